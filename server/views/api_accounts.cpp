#include "server/views/api_accounts.hpp"

#include "server/views/error.hpp"
#include "storage/follow_notify.hpp"
#include "storage/actors.hpp"
#include "storage/follow_lists.hpp"
#include "storage/follows.hpp"

namespace civicpub::server::views {
namespace {

using federation::as2::JsonWriter;

Result<bool> failed(const boost::system::error_code& ec) {
  return Result<bool>(boost::system::in_place_error, ec);
}

// Writes the Relationship with `id`; false (nothing written) for an unknown or deleted account.
Result<bool> write_relationship(JsonWriter& out, storage::Connection& conn, std::int64_t viewer,
                                std::int64_t id) {
  auto actor = storage::actors::find_by_id(conn, id);
  if (!actor) return failed(actor.error());
  if (!*actor || (*actor)->deleted_at) return false;
  auto outgoing = storage::follows::find_by_pair(conn, viewer, id);
  if (!outgoing) return failed(outgoing.error());
  auto incoming = storage::follows::find_by_pair(conn, id, viewer);
  if (!incoming) return failed(incoming.error());
  auto in_state = [](const auto& f, storage::FollowState s) { return f && f->state == s; };
  const bool following = in_state(*outgoing, storage::FollowState::accepted);
  out.start_object();
  out.field("id", std::to_string(id));
  out.field("following", following);
  out.field("showing_reblogs", following);
  auto notifying = storage::follow_notify::notifying(conn, viewer, id);
  if (!notifying) return failed(notifying.error());
  out.field("notifying", following && *notifying);
  out.key("languages");
  out.null();
  out.field("followed_by", in_state(*incoming, storage::FollowState::accepted));
  for (const char* no : {"blocking", "blocked_by", "muting", "muting_notifications",
                         "domain_blocking", "endorsed"}) {
    out.field(no, false);
  }
  out.field("requested", in_state(*outgoing, storage::FollowState::pending));
  out.field("requested_by", in_state(*incoming, storage::FollowState::pending));
  out.field("note", "");
  out.end_object();
  return true;
}

Result<std::vector<storage::follows::ListedActor>> listed(storage::Connection& conn,
                                                           std::int64_t id, AccountList which,
                                                           const storage::PageQuery& query) {
  switch (which) {
    case AccountList::followers:
      return storage::follows::followers_list(conn, id, storage::FollowState::accepted, query);
    case AccountList::follow_requests:
      return storage::follows::followers_list(conn, id, storage::FollowState::pending, query);
    case AccountList::following:
      break;
  }
  return storage::follows::following_list(conn, id, query);
}

}  // namespace

Result<TimelinePage> account_list(storage::Database& db, std::string_view account_id,
                                  AccountList which, const storage::PageQuery& query,
                                  const ApiView& view) {
  const auto id = parse_id(account_id);
  if (!id) return make_error_code(ViewError::not_found);
  return db.read([&](storage::Connection& conn) -> Result<TimelinePage> {
    auto actor = storage::actors::find_by_id(conn, *id);
    if (!actor) return actor.error();
    if (!*actor || (*actor)->deleted_at) return make_error_code(ViewError::not_found);
    auto rows = listed(conn, *id, which, query);
    if (!rows) return rows.error();
    JsonWriter out;
    out.start_array();
    for (const auto& row : *rows) {
      if (auto r = write_account(out, conn, row.actor, view); !r) return r.error();
    }
    out.end_array();
    TimelinePage page;
    page.json = out.str();
    if (!rows->empty()) {
      page.newest_id = rows->front().position;
      page.oldest_id = rows->back().position;
    }
    return page;
  });
}

Result<storage::ActorRecord> find_account(storage::Database& db, std::string_view id) {
  const auto row = parse_id(id);
  if (!row) return make_error_code(ViewError::not_found);
  auto actor = db.read([&](storage::Connection& conn) { return storage::actors::find_by_id(conn, *row); });
  if (!actor) return actor.error();
  if (!*actor || (*actor)->deleted_at) return make_error_code(ViewError::not_found);
  return std::move(**actor);
}

Result<std::string> relationships_json(storage::Database& db, std::int64_t viewer,
                                       const std::vector<std::string>& ids) {
  return db.read([&](storage::Connection& conn) -> Result<std::string> {
    JsonWriter out;
    out.start_array();
    for (const auto& text : ids) {
      const auto id = parse_id(text);
      if (!id) continue;
      if (auto w = write_relationship(out, conn, viewer, *id); !w) return w.error();
    }
    out.end_array();
    return out.str();
  });
}

Result<std::string> relationship_json(storage::Database& db, std::int64_t viewer,
                                      std::int64_t id) {
  return db.read([&](storage::Connection& conn) -> Result<std::string> {
    JsonWriter out;
    auto written = write_relationship(out, conn, viewer, id);
    if (!written) return written.error();
    if (!*written) return make_error_code(ViewError::not_found);
    return out.str();
  });
}

}  // namespace civicpub::server::views
