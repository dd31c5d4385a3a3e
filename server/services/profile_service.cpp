#include "server/services/profile_service.hpp"
#include "federation/convert/actor.hpp"

#include "federation/as2/activities.hpp"
#include "federation/keys/assertion_key.hpp"
#include "federation/delivery/outbox.hpp"
#include "federation/storage_async.hpp"
#include "server/services/compose.hpp"
#include "storage/account_profile.hpp"
#include "storage/actors.hpp"
#include "storage/deliveries.hpp"
#include "storage/follows.hpp"

namespace civicpub::server::services {

namespace {

// What one profile edit writes besides the actors row.
struct ProfileWrite {
  storage::ActorRecord actor;
  bool type_changed = false;
  std::optional<std::vector<storage::AccountField>> fields;
  std::optional<storage::AccountSettings> settings;
};

// A plain function, not a lambda in the coroutine: GCC 12 destroys a coroutine-local lambda's
// by-value captures twice.
auto update_job(ProfileWrite change, std::string body, std::string activity_id,
                storage::Millis now) {
  return [change = std::move(change), body = std::move(body),
          activity_id = std::move(activity_id),
          now](storage::Connection& conn) -> Result<std::size_t> {
    const auto& actor = change.actor;
    if (auto stored = storage::actors::update_local_profile(conn, actor); !stored) {
      return stored.error();
    }
    if (change.type_changed) {
      auto typed = storage::account_profile::set_local_type(conn, actor.id, actor.type);
      if (!typed) return typed.error();
    }
    if (change.fields) {
      auto stored = storage::account_profile::set_fields(conn, actor.id, *change.fields);
      if (!stored) return stored.error();
    }
    if (change.settings) {
      auto stored = storage::account_profile::set_settings(conn, actor.id, *change.settings, now);
      if (!stored) return stored.error();
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

// The stored fields and settings the change does not replace (the Update carries every field).
struct Stored {
  std::vector<storage::AccountField> fields;
  storage::AccountSettings settings;
};
Result<Stored> stored_profile(storage::Database& db, std::int64_t actor_id) {
  return db.read([actor_id](storage::Connection& conn) -> Result<Stored> {
    auto fields = storage::account_profile::fields(conn, actor_id);
    if (!fields) return fields.error();
    auto settings = storage::account_profile::settings(conn, actor_id);
    if (!settings) return settings.error();
    return Stored{std::move(*fields), std::move(*settings)};
  });
}

// Applies the change to the write (and the actor in it); `markup` marks a bio or value up.
template <class Markup>
void apply(const ProfileChange& change, Stored& stored, ProfileWrite& write, Markup markup) {
  auto& actor = write.actor;
  if (change.display_name) actor.display_name = *change.display_name;
  if (change.summary) actor.summary_html = markup(*change.summary);
  if (change.manually_approves_followers) {
    actor.manually_approves_followers = *change.manually_approves_followers;
  }
  if (change.discoverable) actor.discoverable = *change.discoverable;
  if (change.bot) {
    const std::string type = *change.bot ? "Service" : (actor.type == "Service" ? "Person" : actor.type);
    write.type_changed = type != actor.type;
    actor.type = type;
  }
  if (change.fields) {
    stored.fields.clear();
    for (const auto& [name, value] : *change.fields) {
      stored.fields.push_back(storage::AccountField{name, value, markup(value)});
    }
    write.fields = stored.fields;
  }
  if (change.privacy || change.sensitive || change.language) {
    if (change.privacy) stored.settings.privacy = *change.privacy;
    if (change.sensitive) stored.settings.sensitive = *change.sensitive;
    if (change.language) stored.settings.language = *change.language;
    write.settings = stored.settings;
  }
}

}  // namespace

boost::asio::awaitable<Result<ProfileOutcome>> ProfileService::update_profile(
    std::string username, ProfileChange change) {
  auto actor = lookup_.local_account(username);
  if (!actor) co_return actor.error();
  const auto now = clock_();
  auto stored = stored_profile(db_, actor->id);
  if (!stored) co_return stored.error();
  // Same markup as posts, without resolving mentions (a bio is not a notification).
  ComposeOptions options;
  options.local_domain = lookup_.local_domain();
  options.base_url = instance_.base_url;
  ProfileWrite write;
  write.actor = std::move(*actor);
  apply(change, *stored, write, [&options](const std::string& text) {
    return compose_plain_text(text, options).html;
  });
  write.actor.updated_at = now;

  ProfileOutcome outcome;
  outcome.activity_id = write.actor.uri + "#updates/" + std::to_string(now);
  // The embedded actor publishes the same Ed25519 key and fields as the actor document.
  federation::as2::ActorExtras extras;
  auto key = assertion_key_of(db_, write.actor.id);
  if (!key) co_return key.error();
  if (*key) extras.assertion_key = **key;
  for (const auto& f : stored->fields) extras.fields.push_back({f.name, f.value_html});
  auto body =
      federation::convert::render_update_actor(outcome.activity_id, write.actor, instance_, extras);
  outcome.actor = write.actor;
  auto job = update_job(std::move(write), std::move(body), outcome.activity_id, now);
  auto queued = co_await federation::write(db_, std::move(job));
  if (!queued) co_return queued.error();
  outcome.deliveries = *queued;
  co_return outcome;
}

}  // namespace civicpub::server::services
