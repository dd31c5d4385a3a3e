#include "federation/services/actor_fetcher.hpp"

#include "federation/as2/reader.hpp"
#include "federation/http/url_target.hpp"
#include "federation/services/service_error.hpp"
#include "federation/storage_async.hpp"
#include "federation/text/sanitizer.hpp"
#include "federation/webfinger_client.hpp"
#include "storage/actors.hpp"

#include <array>

namespace civicpub::federation::services {

namespace {

constexpr std::string_view kActorAccept =
    "application/activity+json, "
    "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"";

constexpr std::array<std::string_view, 5> kActorTypes = {"Person", "Organization", "Service",
                                                         "Application", "Group"};

std::string string_member(const rapidjson::Value& object, std::string_view name) {
  const auto* member = as2::find_member(object, name);
  if (member == nullptr) return {};
  return as2::string_or_first(*member).value_or("");
}

std::string url_member(const rapidjson::Value& object, std::string_view name) {
  auto value = as2::member_id(object, name).value_or("");
  return is_actor_url(value) ? value : std::string();
}

bool bool_member(const rapidjson::Value& object, std::string_view name, bool fallback) {
  const auto* member = as2::find_member(object, name);
  return member != nullptr && member->IsBool() ? member->GetBool() : fallback;
}

// Built outside the coroutine: GCC 12 miscompiles lambda captures created inside coroutine bodies
// (the copy is destroyed twice), so every write job in services/ comes from a plain function.
auto upsert_job(storage::ActorRecord actor) {
  return [actor = std::move(actor)](storage::Connection& conn) {
    return storage::actors::upsert_remote(conn, actor);
  };
}

}  // namespace

Result<storage::ActorRecord> read_actor_document(std::string_view body,
                                                 std::string_view requested_uri,
                                                 storage::Millis now) {
  auto doc = as2::parse_json(body);
  if (!doc) return doc.error();
  if (!doc->IsObject()) return ServiceError::not_an_actor;
  storage::ActorRecord actor;
  actor.uri = string_member(*doc, "id");
  // A document served under another id could be anyone's: refuse rather than store it.
  if (actor.uri != requested_uri) return ServiceError::not_an_actor;
  const auto type = as2::first_type(*doc).value_or("");
  if (std::find(kActorTypes.begin(), kActorTypes.end(), type) == kActorTypes.end()) {
    return ServiceError::not_an_actor;
  }
  actor.type = type;
  actor.inbox = url_member(*doc, "inbox");
  if (actor.inbox.empty()) return ServiceError::not_an_actor;
  auto url = http::parse_absolute_url(actor.uri);
  if (!url) return ServiceError::not_an_actor;
  actor.domain = std::string(url->encoded_host_and_port());
  actor.username = string_member(*doc, "preferredUsername");
  actor.display_name = string_member(*doc, "name");
  actor.summary_html = text::sanitize_html(string_member(*doc, "summary"));
  actor.outbox = url_member(*doc, "outbox");
  actor.followers = url_member(*doc, "followers");
  actor.following = url_member(*doc, "following");
  if (const auto* endpoints = as2::find_member(*doc, "endpoints")) {
    actor.shared_inbox = url_member(*endpoints, "sharedInbox");
  }
  actor.url = url_member(*doc, "url");
  if (const auto* key = as2::find_member(*doc, "publicKey"); key && key->IsObject()) {
    actor.key_id = string_member(*key, "id");
    actor.public_key_pem = string_member(*key, "publicKeyPem");
  }
  actor.manually_approves_followers = bool_member(*doc, "manuallyApprovesFollowers", false);
  actor.discoverable = bool_member(*doc, "discoverable", false);
  actor.raw_json = std::string(body);
  actor.created_at = actor.updated_at = actor.fetched_at = now;
  return actor;
}

boost::asio::awaitable<Result<storage::ActorRecord>> FetchingRemoteActors::resolve(
    std::string uri, bool force_refresh) {
  auto stored =
      db_.read([&](storage::Connection& conn) { return storage::actors::find_by_uri(conn, uri); });
  if (!stored) co_return stored.error();
  if (*stored && ((*stored)->local || !force_refresh)) co_return std::move(**stored);

  http::OutboundRequest request;
  request.url = uri;
  request.set_header("Accept", std::string(kActorAccept));
  auto response = co_await transport_.send(std::move(request));
  if (!response) co_return response.error();
  if (response->status < 200 || response->status > 299) co_return ServiceError::actor_unavailable;
  auto actor = read_actor_document(response->body, uri, clock_());
  if (!actor) co_return actor.error();
  auto id = co_await write(db_, upsert_job(*actor));
  if (!id) co_return id.error();
  actor->id = *id;
  co_return std::move(*actor);
}

}  // namespace civicpub::federation::services
