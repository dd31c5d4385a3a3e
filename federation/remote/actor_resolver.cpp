#include "federation/remote/actor_resolver.hpp"
#include "federation/http/urls.hpp"

#include "federation/remote/actor_document.hpp"
#include "federation/as2/reader.hpp"
#include "federation/crypto/multibase.hpp"
#include "federation/federation_error.hpp"
#include "federation/storage_async.hpp"
#include "storage/actors.hpp"
#include "storage/assertion_keys.hpp"
#include "storage/errors.hpp"

#include <spdlog/logger.h>

namespace civicpub::federation {
namespace {

constexpr std::size_t kMaxRefetchEntries = 10000;

// Write jobs and hooks are built by plain functions, never as lambdas inside a coroutine body:
// GCC 12 destroys a coroutine-local lambda's by-value captures twice.
auto upsert_job(storage::ActorRecord actor) {
  return [actor = std::move(actor)](storage::Connection& c) {
    return storage::actors::upsert_remote(c, actor);
  };
}

// A 410 is the remote telling us the account is gone for good: remember it.
auto mark_gone_job(std::string uri, storage::Millis now) {
  return [uri = std::move(uri), now](storage::Connection& c) -> Result<void> {
    auto known = storage::actors::find_by_uri(c, uri);
    if (!known) return known.error();
    if (!*known || (*known)->local || (*known)->deleted_at) return {};
    return storage::actors::mark_deleted(c, (*known)->id, now);
  };
}

auto store_assertion_key_job(storage::RemoteAssertionKeyRecord key) {
  return [key = std::move(key)](storage::Connection& c) {
    return storage::assertion_keys::upsert_remote(c, key);
  };
}

}  // namespace

ActorResolver::ActorResolver(storage::Database& db, http::Transport& transport,
                             as2::InstanceInfo instance, Clock clock,
                             ActorResolverSettings settings, std::shared_ptr<spdlog::logger> log)
    : db_(db),
      instance_(std::move(instance)),
      clock_(std::move(clock)),
      settings_(settings),
      log_(std::move(log)),
      fetcher_(db, transport, instance_.instance_actor_id, clock_, log_,
               settings_.blocks) {}

boost::asio::awaitable<Result<http::OutboundResponse>> ActorResolver::fetch(
    const std::string& url) {
  auto response = co_await fetcher_.get(url);
  if (!response) co_return response.error();
  if (response->status == 410) co_return make_error_code(FederationError::actor_gone);
  if (response->status == 404) co_return make_error_code(FederationError::actor_not_found);
  if (response->status < 200 || response->status > 299) {
    log_->info("fetch {} answered {}", url, response->status);
    co_return make_error_code(FederationError::fetch_failed);
  }
  // An actor or key document must be the one asked for (read_actor_document), so it must also
  // come from the origin asked: a redirect elsewhere would let that server speak for the id
  // (CVE-2024-23832). Redirects within the origin (a trailing slash, a login path) are fine.
  if (!response->final_url.empty() && http::origin_of(response->final_url) != http::origin_of(url)) {
    log_->info("actor document {} was answered by {}: refused", url, response->final_url);
    co_return make_error_code(FederationError::origin_mismatch);
  }
  co_return std::move(*response);
}

boost::asio::awaitable<Result<storage::ActorRecord>> ActorResolver::store(
    const rapidjson::Value& doc, const std::string& body, const std::string& uri,
    const std::string& preferred_key_id) {
  auto record = read_actor_document(doc, body, uri, preferred_key_id);
  if (!record) {
    log_->info("refused actor document {}: {}", uri, record.error().message());
    co_return record.error();
  }
  const auto now = clock_();
  record->created_at = record->updated_at = record->fetched_at = now;
  auto id = co_await write(db_, upsert_job(*record));
  if (!id) co_return id.error();
  record->id = *id;
  co_return std::move(*record);
}

boost::asio::awaitable<Result<storage::ActorRecord>> ActorResolver::fetch_actor(
    const std::string& uri, std::string preferred_key_id) {
  auto response = co_await fetch(uri);
  if (!response) {
    if (response.error() == FederationError::actor_gone) {
      auto marked = co_await write(db_, mark_gone_job(uri, clock_()));
      if (!marked) log_->warn("cannot mark {} deleted: {}", uri, marked.error().message());
    }
    co_return response.error();
  }
  auto doc = as2::parse_json(response->body);
  if (!doc) {
    log_->info("actor document {} unreadable: {}", uri, doc.error().message());
    co_return make_error_code(FederationError::not_an_actor);
  }
  co_return co_await store(*doc, response->body, uri, preferred_key_id);
}

boost::asio::awaitable<Result<storage::ActorRecord>> ActorResolver::resolve(std::string uri,
                                                                            bool force_refresh) {
  uri = http::strip_fragment(uri);
  auto stored =
      db_.read([&](storage::Connection& c) { return storage::actors::find_by_uri(c, uri); });
  if (!stored) co_return stored.error();
  if (*stored) {
    const auto& actor = **stored;
    if (actor.local) co_return actor;
    if (actor.deleted_at && !force_refresh) co_return make_error_code(FederationError::actor_gone);
    const auto age = clock_() - actor.fetched_at;
    if (!force_refresh && !actor.deleted_at && age < settings_.refetch_after.count())
      co_return actor;
  }
  // Named, not a temporary in the co_await expression (GCC 12 mishandles those).
  std::string preferred_key;
  if (*stored) preferred_key = (*stored)->key_id;
  auto fetched = co_await fetch_actor(uri, preferred_key);
  if (!fetched && *stored && !(*stored)->deleted_at &&
      kind_of(fetched.error()) == ErrorKind::transient) {
    log_->info("refresh of {} failed ({}); using the stored copy", uri, fetched.error().message());
    co_return **stored;
  }
  co_return fetched;
}

boost::asio::awaitable<Result<storage::ActorRecord>> ActorResolver::fetch_key_owner(
    const std::string& key_id) {
  const std::string url = http::strip_fragment(key_id);
  auto response = co_await fetch(url);
  if (!response) co_return response.error();
  auto doc = as2::parse_json(response->body);
  if (!doc || !doc->IsObject()) co_return make_error_code(FederationError::not_an_actor);

  const auto type = as2::first_type(*doc);
  const auto id = as2::member_id(*doc, "id");
  // Mastodon and Fedify: the key id is `<actor>#main-key`, so this URL is the actor itself.
  if (type && is_actor_type(*type) && id == url) {
    co_return co_await store(*doc, response->body, url, key_id);
  }
  // GoToSocial serves a stub of the actor at `/main-key`; others serve a Key with an `owner`.
  // Either way the real actor is fetched from its own id, on the same origin as the key.
  std::optional<std::string> owner;
  if (type && is_actor_type(*type)) {
    owner = id;
  } else {
    owner = key_owner(*doc);
  }
  if (!owner) co_return make_error_code(FederationError::not_an_actor);
  if (http::origin_of(*owner) != http::origin_of(url))
    co_return make_error_code(FederationError::origin_mismatch);
  const std::string owner_uri = http::strip_fragment(*owner);
  co_return co_await fetch_actor(owner_uri, key_id);
}

boost::asio::awaitable<Result<storage::ActorRecord>> ActorResolver::resolve_key(
    std::string key_id, bool force_refresh) {
  if (key_id.empty()) co_return make_error_code(FederationError::key_not_found);
  auto stored =
      db_.read([&](storage::Connection& c) { return storage::actors::find_by_key_id(c, key_id); });
  if (!stored) co_return stored.error();
  if (*stored && ((*stored)->local || !force_refresh)) co_return **stored;

  if (force_refresh && !take_refetch_slot(*stored ? (*stored)->uri : http::strip_fragment(key_id))) {
    co_return make_error_code(FederationError::refetch_rate_limited);
  }
  // (No co_await inside ?: : GCC 12 miscompiles some conditional awaits.)
  Result<storage::ActorRecord> owner = make_error_code(FederationError::key_not_found);
  if (*stored) {
    owner = co_await fetch_actor((*stored)->uri, key_id);
  } else {
    owner = co_await fetch_key_owner(key_id);
  }
  if (!owner) co_return owner.error();
  if (owner->key_id != key_id) {
    log_->info("actor {} does not have key {}", owner->uri, key_id);
    co_return make_error_code(FederationError::key_not_found);
  }
  co_return owner;
}

boost::asio::awaitable<Result<AssertionKey>> ActorResolver::resolve_assertion_key(
    std::string key_id, bool force_refresh) {
  if (key_id.empty()) co_return make_error_code(FederationError::key_not_found);
  if (!force_refresh) {
    auto cached = db_.read(
        [&](storage::Connection& c) { return storage::assertion_keys::find_remote(c, key_id); });
    if (!cached) co_return cached.error();
    if (*cached) {
      auto raw = crypto::ed25519_public_key_from_multikey((*cached)->public_key_multibase);
      if (raw) co_return AssertionKey{key_id, (*cached)->actor_uri, std::move(*raw)};
    }
  }
  const std::string actor_uri = http::strip_fragment(key_id);
  if (force_refresh && !take_refetch_slot(actor_uri)) {
    co_return make_error_code(FederationError::refetch_rate_limited);
  }
  auto actor = co_await resolve(actor_uri, force_refresh);
  if (!actor) co_return actor.error();
  if (actor->local) {
    // One of our own activities coming back (a thread owner forwarding it to us).
    auto multikey =
        db_.read([&](storage::Connection& c) { return local_assertion_multikey(c, actor->id); });
    if (!multikey) co_return multikey.error();
    if (!*multikey || key_id != assertion_key_id(actor->uri)) {
      co_return make_error_code(FederationError::key_not_found);
    }
    auto raw = crypto::ed25519_public_key_from_multikey(**multikey);
    if (!raw) co_return raw.error();
    co_return AssertionKey{key_id, actor->uri, std::move(*raw)};
  }
  auto doc = as2::parse_json(actor->raw_json);
  if (!doc) co_return make_error_code(FederationError::key_not_found);
  auto key = find_assertion_key(*doc, key_id);
  if (!key) {
    log_->debug("actor {} lists no Ed25519 assertionMethod key {}", actor->uri, key_id);
    co_return make_error_code(FederationError::key_not_found);
  }
  if (key->controller != actor->uri) {
    log_->info("key {} of {} is controlled by {}", key_id, actor->uri, key->controller);
    co_return make_error_code(FederationError::origin_mismatch);
  }
  auto multibase = crypto::ed25519_public_key_to_multikey(key->public_key);
  if (!multibase) co_return multibase.error();
  storage::RemoteAssertionKeyRecord record{key_id, actor->uri, std::move(*multibase), clock_()};
  auto stored = co_await write(db_, store_assertion_key_job(std::move(record)));
  if (!stored) co_return stored.error();
  co_return std::move(*key);
}

bool ActorResolver::take_refetch_slot(const std::string& actor) {
  const auto now = clock_();
  const auto interval = settings_.min_refetch_interval.count();
  std::lock_guard lock(refetch_mutex_);
  if (last_forced_.size() > kMaxRefetchEntries) {
    std::erase_if(last_forced_, [&](const auto& entry) { return now - entry.second >= interval; });
  }
  auto [it, inserted] = last_forced_.try_emplace(actor, now);
  if (inserted) return true;
  if (now - it->second < interval) return false;
  it->second = now;
  return true;
}

}  // namespace civicpub::federation
