// Whether a remote post concerns this instance, so that it is worth storing. Like Mastodon
// (INTEROP.md section 4), a post is kept when its author has a follower here, it replies to a
// post we store, or it addresses or mentions one of our accounts; also when its `context`
// (FEP-7888) is the conversation of a post we store. Anything else is dropped so that strangers
// cannot fill the database. (post_intake.cpp also follows a forwarded reply's unknown parents.)
#pragma once

#include "federation/convert/post_reader.hpp"
#include "storage/connection.hpp"
#include "storage/records.hpp"

#include <cstdint>

namespace civicpub::server::inbound {

Result<bool> concerns_us(storage::Connection& conn, const federation::convert::RemotePost& post,
                         std::int64_t author_id);

}  // namespace civicpub::server::inbound
