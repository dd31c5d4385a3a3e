// Finding the Follow one of our accounts sent, which a remote Accept or Reject answers.
#pragma once

#include "federation/as2/envelope.hpp"
#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <optional>

namespace civicpub::server::inbound {

// The follow from a local account to the answering actor (`answer.actor`): by the answered
// Follow's id when we know it, else by the embedded Follow's actor (our account). Only the
// followed actor may answer, so a follow of someone else never matches.
Result<std::optional<storage::FollowRecord>> find_answered_follow(
    storage::Connection& conn, const std::string& answering_actor,
    const std::optional<std::string>& follow_id, const std::optional<std::string>& our_actor);

}  // namespace civicpub::server::inbound
