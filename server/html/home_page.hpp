// The instance front page: what this server is, who runs it, and its public accounts.
#pragma once

#include "federation/as2/instance_info.hpp"
#include "storage/records.hpp"

#include <span>
#include <string>

namespace civicpub::server::html {

// `accounts`: the local, discoverable, not deleted accounts in the order to show them; the
// handler chooses (and caps) the list. The about section has id="about", which the footer of
// every page links to.
std::string home_page(const federation::as2::InstanceInfo& instance,
                      std::span<const storage::ActorRecord> accounts);

}  // namespace civicpub::server::html
