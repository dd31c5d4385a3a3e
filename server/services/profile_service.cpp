#include "server/services/profile_service.hpp"
#include "federation/convert/actor.hpp"

#include "federation/as2/activities.hpp"
#include "federation/keys/assertion_key.hpp"
#include "federation/delivery/outbox.hpp"
#include "federation/storage_async.hpp"
#include "server/services/compose.hpp"
#include "storage/actors.hpp"
#include "storage/deliveries.hpp"
#include "storage/follows.hpp"

namespace civicpub::server::services {

namespace {

// A plain function, not a lambda in the coroutine: GCC 12 destroys a coroutine-local lambda's
// by-value captures twice.
auto update_job(storage::ActorRecord actor, std::string body, std::string activity_id,
                storage::Millis now) {
  return [actor = std::move(actor), body = std::move(body), activity_id = std::move(activity_id),
          now](storage::Connection& conn) -> Result<std::size_t> {
    if (auto stored = storage::actors::update_local_profile(conn, actor); !stored) {
      return stored.error();
    }
    auto inboxes = storage::follows::follower_inboxes(conn, actor.id);
    if (!inboxes) return inboxes.error();
    return federation::enqueue_activity(conn, activity_id, actor.id, body, *inboxes, now);
  };
}

Result<std::optional<std::string>> assertion_key_of(storage::Database& db, std::int64_t actor_id) {
  return db.read(
      [actor_id](storage::Connection& conn) { return federation::local_assertion_multikey(conn, actor_id); });
}

}  // namespace

boost::asio::awaitable<Result<ProfileOutcome>> ProfileService::update_profile(
    std::string username, ProfileChange change) {
  auto actor = lookup_.local_account(username);
  if (!actor) co_return actor.error();
  const auto now = clock_();
  if (change.display_name) actor->display_name = *change.display_name;
  if (change.summary) {
    // Same markup as posts, without resolving mentions (a bio is not a notification).
    ComposeOptions options;
    options.local_domain = lookup_.local_domain();
    options.base_url = instance_.base_url;
    actor->summary_html = compose_plain_text(*change.summary, options).html;
  }
  if (change.manually_approves_followers) {
    actor->manually_approves_followers = *change.manually_approves_followers;
  }
  actor->updated_at = now;

  ProfileOutcome outcome;
  outcome.activity_id = actor->uri + "#updates/" + std::to_string(now);
  // The embedded actor publishes the same Ed25519 key as the actor document.
  federation::as2::ActorExtras extras;
  auto key = assertion_key_of(db_, actor->id);
  if (!key) co_return key.error();
  if (*key) extras.assertion_key = **key;
  auto body = federation::convert::render_update_actor(outcome.activity_id, *actor, instance_, extras);
  auto queued = co_await federation::write(db_, update_job(*actor, std::move(body), outcome.activity_id, now));
  if (!queued) co_return queued.error();
  outcome.actor = std::move(*actor);
  outcome.deliveries = *queued;
  co_return outcome;
}

}  // namespace civicpub::server::services
