#include "federation/inbox/inbox.hpp"
#include "federation/http/error.hpp"
#include "federation/http/urls.hpp"

#include "federation/remote/actor_document.hpp"
#include "federation/as2/envelope.hpp"
#include "federation/as2/integrity_proof.hpp"
#include "federation/as2/proof_error.hpp"
#include "federation/as2/reader.hpp"
#include "federation/as2/time_format.hpp"
#include "federation/federation_error.hpp"
#include "federation/inbox/request_signature.hpp"
#include "federation/signatures/signature_error.hpp"
#include "federation/storage_async.hpp"
#include "storage/actors.hpp"
#include "storage/errors.hpp"
#include "storage/inbox_items.hpp"

#include <spdlog/logger.h>

namespace civicpub::federation {
namespace {

using signatures::SignatureError;

std::chrono::system_clock::time_point to_time_point(storage::Millis ms) {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
}

// The first rule deciding whether the verified signer may deliver this activity: the key's owner
// is the activity's actor (INTEROP.md section 2). When it is not (a forwarded activity: someone
// else's reply relayed by a thread owner), Inbox::accept looks for a valid integrity proof
// (FEP-8b32) by the actor, and failing that queues only what can be refetched from its origin.
bool signer_speaks_for(const storage::ActorRecord& signer, const as2::ActivityEnvelope& activity) {
  return signer.uri == activity.actor;
}

// Without a proof, only an activity whose object the handlers can refetch from its own origin
// is taken (the copy received is then not believed): Create, Update and Delete naming an object.
bool refetchable(const as2::ActivityEnvelope& activity) {
  const bool type =
      activity.type == "Create" || activity.type == "Update" || activity.type == "Delete";
  return type && activity.object_id && !activity.object_id->empty();
}

// Mastodon sends Delete{actor} for every deleted account to every server it ever talked to, signed
// with a key that now answers 410. When we never knew the actor there is nothing to delete: answer
// 202 and drop it instead of a 401 the sender would retry for days.
bool is_self_delete(const as2::ActivityEnvelope& activity, std::string_view key_id) {
  return activity.type == "Delete" && activity.object_id == activity.actor &&
         http::strip_fragment(key_id) == activity.actor;
}

// An activity id names something its actor's server made: it must be on the actor's origin
// (scheme, host and port; INTEROP.md section 4). Without this another server could claim
// `<someone's post>#delete` ahead of time, and the real Delete would look like a redelivery.
// Forwarded activities (proof, unverified) are held to the same rule: the id is the actor's.
bool id_on_actor_origin(const as2::ActivityEnvelope& activity) {
  const auto id_origin = http::origin_of(activity.id);
  return id_origin && id_origin == http::origin_of(activity.actor);
}

// How old an integrity proof may be when its activity reaches us through someone else. A thread
// owner forwards at once, but its delivery retries run for days (Mastodon: 16 tries over 2 to 3
// days), so a week covers every honest forward; older proofs are treated as no proof (the
// object is then refetched from its origin). An hour ahead allows for clock skew, as for Date.
constexpr storage::Millis kMaxProofAge = 7LL * 24 * 60 * 60 * 1000;
constexpr storage::Millis kMaxProofAhead = 60LL * 60 * 1000;

// A proof without `created` cannot be judged (Data Integrity makes it optional) and is taken.
Result<void> check_proof_created(const as2::ProofInfo& info, storage::Millis now) {
  if (info.created.empty()) return {};
  auto created = as2::parse_iso8601(info.created);
  if (!created) return created.error();
  if (*created > now + kMaxProofAhead || now - *created > kMaxProofAge) {
    return make_error_code(FederationError::stale_proof);
  }
  return {};
}

// A plain function, not a lambda in the coroutine (GCC 12 destroys its captures twice). A write
// job runs once, so it hands its item (the whole body) on instead of copying it.
auto insert_job(storage::InboxItemRecord item, InboxQueueCaps caps) {
  return [item = std::move(item), caps](storage::Connection& c) mutable {
    return queue_item(c, std::move(item), caps);
  };
}

}  // namespace

struct Inbox::Verified {
  storage::ActorRecord signer;
  RequestSignature signature;
  bool dropped = false;
};

Inbox::Inbox(storage::Database& db, ActorResolver& resolver, as2::InstanceInfo instance,
             Clock clock, InboxSettings settings, std::shared_ptr<spdlog::logger> log,
             std::function<void()> wake_worker)
    : db_(db),
      resolver_(resolver),
      instance_(std::move(instance)),
      clock_(std::move(clock)),
      settings_(std::move(settings)),
      log_(std::move(log)),
      wake_worker_(std::move(wake_worker)) {
  // A signature must be made for this server: its host, or the handle domain it answers for.
  if (settings_.verify.accepted_hosts.empty()) {
    settings_.verify.accepted_hosts.push_back(instance_.host);
    if (instance_.effective_handle_domain() != instance_.host) {
      settings_.verify.accepted_hosts.push_back(instance_.effective_handle_domain());
    }
  }
}

Result<void> Inbox::admit(std::string_view actor_or_key_id) const {
  if (!settings_.blocks) return {};
  switch (settings_.blocks->check_actor(actor_or_key_id)) {
    case Blocked::no: return {};
    case Blocked::domain: return make_error_code(FederationError::blocked_domain);
    case Blocked::actor: return make_error_code(FederationError::actor_suspended);
  }
  return {};
}

boost::system::error_code Inbox::refuse(const InboundRequest& request, std::string_view key_id,
                                        std::string_view activity_id, boost::system::error_code ec,
                                        std::string_view detail) const {
  log_->info("inbox refused {} {} from {}: {}{}{} (key {}, activity {})", request.method,
             request.target, request.peer, ec.message(), detail.empty() ? "" : ": ", detail,
             key_id.empty() ? "-" : key_id, activity_id.empty() ? "-" : activity_id);
  return ec;
}

boost::asio::awaitable<Result<Inbox::Verified>> Inbox::verify(const InboundRequest& request) {
  auto signature = read_request_signature(request.headers);
  if (!signature) co_return refuse(request, "", "", signature.error());
  const std::string key_id = signature->key_id;
  if (auto admitted = admit(key_id); !admitted) {
    co_return refuse(request, key_id, "", admitted.error());
  }
  const signatures::SignedRequestView view{request.method, request.target, request.headers,
                                           request.body};
  const auto now = to_time_point(clock_());
  // Everything that needs no key first: a request that cannot be valid (too little signed,
  // another server's Host, a stale Date, a wrong Digest) costs no outbound fetch.
  if (auto pre = precheck_request_signature(*signature, view, now, settings_.verify); !pre) {
    co_return refuse(request, key_id, "", pre.error());
  }

  auto signer = co_await resolver_.resolve_key(key_id);
  if (!signer) {
    const auto ec = signer.error();
    if (ec == FederationError::actor_gone || ec == FederationError::actor_not_found) {
      auto doc = as2::parse_json(request.body);
      if (doc) {
        auto activity = as2::read_envelope(*doc);
        if (activity && is_self_delete(*activity, key_id)) {
          log_->debug("dropping Delete of unknown actor {} (key {}: {})", activity->actor, key_id,
                      ec.message());
          co_return Verified{{}, std::move(*signature), true};
        }
      }
    }
    // Our own cap on concurrent fetches per host is no reason to call the signature bad: a 401
    // is final for senders that treat every 4xx but 429 as final (older Mastodon; current
    // Mastodon retries 401, 408 and 429), while every sender retries a 503 (Retry-After).
    const auto refusal = ec == http::HttpError::host_busy ? FederationError::key_fetch_busy
                                                          : FederationError::key_unavailable;
    co_return refuse(request, key_id, "", make_error_code(refusal), ec.message());
  }

  const std::string default_scheme = instance_.base_url.starts_with("http://") ? "http" : "https";
  const signatures::RequestOrigin origin{
      request.scheme.empty() ? std::string_view(default_scheme) : std::string_view(request.scheme),
      request.authority.empty() ? std::string_view(instance_.host)
                                : std::string_view(request.authority)};
  auto checked = check_request_signature(*signature, view, origin, signer->public_key_pem, now,
                                         settings_.verify);
  if (!checked && (checked.error() == SignatureError::bad_signature ||
                   checked.error() == SignatureError::key_mismatch)) {
    // The actor may have rotated its key since we cached it: refetch once (rate-limited).
    auto refreshed = co_await resolver_.resolve_key(key_id, true);
    if (refreshed && refreshed->public_key_pem != signer->public_key_pem) {
      signer = std::move(refreshed);
      checked = check_request_signature(*signature, view, origin, signer->public_key_pem, now,
                                        settings_.verify);
    } else if (!refreshed) {
      log_->debug("key refetch for {} failed: {}", key_id, refreshed.error().message());
    }
  }
  if (!checked) co_return refuse(request, key_id, "", checked.error());
  co_return Verified{std::move(*signer), std::move(*signature), false};
}

boost::asio::awaitable<Result<void>> Inbox::check_proof(const rapidjson::Value& doc,
                                                        const as2::ActivityEnvelope& activity) {
  auto info = as2::read_proof(doc);
  if (!info) co_return info.error();
  if (auto fresh = check_proof_created(*info, clock_()); !fresh) co_return fresh.error();
  const std::string key_id = info->verification_method;
  // The key must be the actor's own: listed in the actor's document, controlled by the actor.
  if (http::strip_fragment(key_id) != activity.actor) {
    co_return make_error_code(FederationError::origin_mismatch);
  }
  auto key = co_await resolver_.resolve_assertion_key(key_id);
  Result<as2::ProofInfo> checked = make_error_code(FederationError::key_not_found);
  if (key) {
    if (key->controller != activity.actor) {
      co_return make_error_code(FederationError::origin_mismatch);
    }
    checked = as2::verify_proof(doc, key->public_key);
  } else {
    checked = key.error();
  }
  if (!checked && checked.error() != as2::ProofError::context_mismatch) {
    // A key we had cached may have been rotated, or the actor document we had may predate the
    // key: refetch once (rate-limited per actor).
    auto fresh = co_await resolver_.resolve_assertion_key(key_id, true);
    if (fresh && fresh->controller == activity.actor &&
        (!key || fresh->public_key != key->public_key)) {
      checked = as2::verify_proof(doc, fresh->public_key);
    } else if (!fresh) {
      log_->debug("assertion key {} not refetched: {}", key_id, fresh.error().message());
    }
  }
  if (!checked) co_return checked.error();
  co_return Result<void>{};
}

boost::asio::awaitable<Result<InboxAccepted>> Inbox::accept(const InboundRequest& request) {
  if (request.username) {
    auto account = db_.read([&](storage::Connection& c) {
      return storage::actors::find_local_by_username(c, *request.username);
    });
    if (!account) co_return refuse(request, "", "", account.error());
    if (!*account || (*account)->deleted_at) {
      co_return refuse(request, "", "", make_error_code(FederationError::unknown_user));
    }
  }

  // The body is parsed (with limits) before the signature is checked, so that an activity of a
  // blocked domain or a suspended actor is refused before any key is fetched for it. A body that
  // does not parse is refused after the signature check, as before: a bad signature stays a 401.
  auto doc = as2::parse_json(request.body);
  if (doc) {
    auto early = as2::read_envelope(*doc);
    if (early) {
      if (auto admitted = admit(early->actor); !admitted) {
        co_return refuse(request, "", early->id, admitted.error(), "actor " + early->actor);
      }
    }
  }

  auto verified = co_await verify(request);
  if (!verified) co_return verified.error();
  if (verified->dropped) co_return InboxAccepted{0, false, true};
  const std::string& key_id = verified->signature.key_id;

  if (!doc) co_return refuse(request, key_id, "", doc.error());
  auto activity = as2::read_envelope(*doc);
  if (!activity) co_return refuse(request, key_id, "", activity.error());
  if (!id_on_actor_origin(*activity)) {
    co_return refuse(request, key_id, activity->id,
                     make_error_code(FederationError::foreign_activity_id),
                     "actor " + activity->actor);
  }
  auto auth = storage::InboxAuth::signature;
  if (!signer_speaks_for(verified->signer, *activity)) {
    auto proven = co_await check_proof(*doc, *activity);
    if (proven) {
      auth = storage::InboxAuth::proof;
      log_->debug("inbox: {} {} from {} forwarded by {}: integrity proof verified", activity->type,
                  activity->id, activity->actor, verified->signer.uri);
    } else if (refetchable(*activity) &&
               http::origin_of(activity->actor) != http::origin_of(instance_.base_url)) {
      // (Our own actors' activities without our proof are never taken from someone else's
      // hands: there is nothing to refetch, we hold what they did.)
      auth = storage::InboxAuth::unverified;
      log_->info(
          "inbox: {} {} from {} forwarded by {} without a valid proof ({}): queued unverified, "
          "its object will be refetched from its origin",
          activity->type, activity->id, activity->actor, verified->signer.uri,
          proven.error().message());
    } else {
      co_return refuse(request, key_id, activity->id,
                       make_error_code(FederationError::signer_not_actor),
                       "actor " + activity->actor + ", signer " + verified->signer.uri +
                           ", no valid integrity proof: " + proven.error().message());
    }
  }

  storage::InboxItemRecord item;
  item.activity_id = activity->id;
  item.actor_uri = activity->actor;
  item.key_id = key_id;
  item.body = request.body;
  item.auth = auth;
  item.received_at = clock_();
  auto inserted = co_await write(db_, insert_job(std::move(item), settings_.queue_caps));
  if (!inserted) {
    if (inserted.error() == storage::Errc::conflict) {
      // A redelivery: the first copy is queued or done already.
      log_->debug("inbox: duplicate activity {} from {}", activity->id, request.peer);
      co_return InboxAccepted{0, true, false};
    }
    co_return refuse(request, key_id, activity->id, inserted.error());
  }
  log_->debug("inbox: queued {} {} from {}", activity->type, activity->id, activity->actor);
  if (wake_worker_) wake_worker_();
  co_return InboxAccepted{*inserted, false, false};
}

}  // namespace civicpub::federation
