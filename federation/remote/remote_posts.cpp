#include "federation/remote/remote_posts.hpp"
#include "federation/http/urls.hpp"

#include "federation/as2/error.hpp"
#include "federation/as2/reader.hpp"
#include "federation/federation_error.hpp"
#include "federation/remote/actor_document.hpp"
#include "federation/remote/thread_backfill.hpp"
#include "federation/storage_async.hpp"
#include "storage/object_fetches.hpp"
#include "storage/posts.hpp"
#include "storage/tombstones.hpp"

#include <set>

namespace civicpub::federation {
namespace {

// Write jobs are built by plain functions, never as lambdas inside a coroutine body: GCC 12
// destroys a coroutine-local lambda's by-value captures twice.
// The text is cleaned here, before the job reaches the single writer (clean_text).
// `hook` runs in the same write after a post was newly stored (not for one stored already).
auto store_job(CheckedPost checked, storage::Millis now, PostHook hook) {
  CleanText clean = clean_text(checked.post);
  return [checked = std::move(checked), clean = std::move(clean), now,
          hook = std::move(hook)](storage::Connection& c) -> Result<storage::PostRecord> {
    auto before = storage::posts::find_by_ap_id(c, checked.post.id);
    if (!before) return before.error();
    auto stored = store_remote_post(c, checked, clean, now);
    if (!stored || *before || !hook) return stored;
    if (auto hooked = hook(c, *stored, now); !hooked) return hooked.error();
    return stored;
  };
}

auto update_job(storage::PostRecord stored, CheckedPost checked, storage::Millis now,
                PostHook hook) {
  CleanText clean = clean_text(checked.post);
  return [stored = std::move(stored), checked = std::move(checked), clean = std::move(clean), now,
          hook = std::move(hook)](storage::Connection& c) -> Result<storage::PostRecord> {
    auto updated = update_remote_post(c, stored, checked, clean, now);
    if (!updated || !hook) return updated;
    if (auto hooked = hook(c, *updated, now); !hooked) return hooked.error();
    return updated;
  };
}

// A 410 is the origin saying the object was deleted: a later Create of it is ignored.
auto tombstone_job(std::string uri, storage::Millis now) {
  return [uri = std::move(uri), now](storage::Connection& c) {
    return storage::tombstones::add(c, uri, now);
  };
}

auto record_fetch_job(std::string uri, std::string thread, storage::Millis at, bool ok,
                      std::string error) {
  return [uri = std::move(uri), thread = std::move(thread), at, ok,
          error = std::move(error)](storage::Connection& c) {
    return storage::object_fetches::record(c, uri, thread, at, ok, error);
  };
}

// The document may be served at another URL than its id only after a redirect, and then only
// from the origin that finally answered (served_by_its_origin, signed_fetch.hpp).
bool id_matches(const std::string& id, const std::string& requested, const std::string& final_url) {
  return served_by_its_origin(id, requested, final_url);
}

}  // namespace

RemotePosts::RemotePosts(storage::Database& db, http::Transport& transport,
                         as2::InstanceInfo instance, ActorResolver& resolver, Clock clock,
                         RemotePostsSettings settings, std::shared_ptr<spdlog::logger> log,
                         PostHooks hooks)
    : db_(db),
      instance_(std::move(instance)),
      resolver_(resolver),
      clock_(std::move(clock)),
      settings_(settings),
      log_(std::move(log)),
      hooks_(std::move(hooks)),
      fetcher_(db, transport, instance_.instance_actor_id, clock_, log_,
               settings_.blocks),
      backfill_(std::make_unique<ThreadBackfill>(db_, *this, instance_, clock_,
                                                 settings_.backfill, log_)) {}

RemotePosts::~RemotePosts() = default;

boost::asio::awaitable<Result<BackfillCounts>> RemotePosts::backfill(std::string uri) {
  co_return co_await backfill_->run(std::move(uri));
}

boost::asio::awaitable<Result<CheckedPost>> RemotePosts::fetch(std::string uri) {
  auto tombstoned =
      db_.read([&](storage::Connection& c) { return storage::tombstones::contains(c, uri); });
  if (!tombstoned) co_return tombstoned.error();
  if (*tombstoned) co_return make_error_code(FederationError::object_gone);
  // Our own posts are never fetched over HTTP: what is not stored does not exist.
  if (http::authority_of(uri) == instance_.host)
    co_return make_error_code(FederationError::object_not_found);

  auto response = co_await fetcher_.get(uri);
  if (!response) co_return response.error();
  if (response->status == 410) {
    auto marked = co_await write(db_, tombstone_job(uri, clock_()));
    if (!marked) log_->warn("cannot keep the tombstone of {}: {}", uri, marked.error().message());
    co_return make_error_code(FederationError::object_gone);
  }
  if (response->status == 404) co_return make_error_code(FederationError::object_not_found);
  if (response->status < 200 || response->status > 299) {
    log_->info("fetch {} answered {}", uri, response->status);
    co_return make_error_code(FederationError::fetch_failed);
  }
  auto doc = as2::parse_json(response->body);
  if (!doc) co_return doc.error();
  if (doc->IsObject() && as2::has_type(*doc, "Tombstone") &&
      id_matches(as2::member_id(*doc, "id").value_or(""), uri, response->final_url)) {
    // Some servers answer 200 with the Tombstone (Mastodon answers 410): gone all the same.
    auto marked = co_await write(db_, tombstone_job(uri, clock_()));
    if (!marked) log_->warn("cannot keep the tombstone of {}: {}", uri, marked.error().message());
    co_return make_error_code(FederationError::object_gone);
  }
  auto post = convert::read_post(*doc);
  if (!post) co_return post.error();

  if (!id_matches(post->id, uri, response->final_url)) {
    log_->info("post fetched from {} (answered by {}) has id {}", uri, response->final_url,
               post->id);
    co_return make_error_code(FederationError::id_mismatch);
  }
  if (post->id != uri) {
    tombstoned = db_.read(
        [&](storage::Connection& c) { return storage::tombstones::contains(c, post->id); });
    if (!tombstoned) co_return tombstoned.error();
    if (*tombstoned) co_return make_error_code(FederationError::object_gone);
  }
  // The author must live where the post does (scheme, host and port): one server cannot write
  // in another's name.
  const auto post_origin = http::origin_of(post->id);
  if (!post_origin || post->attributed_to.empty() ||
      http::origin_of(post->attributed_to) != post_origin) {
    log_->info("post {} is attributed to {} on another host", post->id, post->attributed_to);
    co_return make_error_code(FederationError::origin_mismatch);
  }
  auto author = co_await resolver_.resolve(post->attributed_to);
  if (!author) co_return author.error();
  co_return CheckedPost{std::move(*post), std::move(*author), std::move(response->body)};
}

Result<void> RemotePosts::admissible(const CheckedPost& checked) const {
  if (!settings_.blocks) return {};
  switch (settings_.blocks->check_actor(checked.author.uri)) {
    case Blocked::no: return {};
    case Blocked::domain: return make_error_code(FederationError::blocked_domain);
    case Blocked::actor: return make_error_code(FederationError::actor_suspended);
  }
  return {};
}

boost::asio::awaitable<Result<storage::PostRecord>> RemotePosts::store(CheckedPost checked) {
  if (auto ok = admissible(checked); !ok) {
    log_->info("not storing {} by {}: {}", checked.post.id, checked.author.uri,
               ok.error().message());
    co_return ok.error();
  }
  auto job = store_job(std::move(checked), clock_(), hooks_.on_created);
  co_return co_await write(db_, std::move(job));
}

boost::asio::awaitable<Result<storage::PostRecord>> RemotePosts::update(storage::PostRecord stored,
                                                                        CheckedPost checked) {
  if (auto ok = admissible(checked); !ok) co_return ok.error();
  auto job = update_job(std::move(stored), std::move(checked), clock_(), hooks_.on_updated);
  co_return co_await write(db_, std::move(job));
}

boost::asio::awaitable<Result<storage::PostRecord>> RemotePosts::post(std::string uri) {
  auto stored =
      db_.read([&](storage::Connection& c) { return storage::posts::find_by_ap_id(c, uri); });
  if (!stored) co_return stored.error();
  if (*stored) co_return std::move(**stored);
  auto checked = co_await fetch(uri);
  if (!checked) co_return checked.error();
  co_return co_await store(std::move(*checked));
}

boost::asio::awaitable<Result<rapidjson::Document>> RemotePosts::fetch_document(std::string uri) {
  // Our own collections are answered from storage by the callers, never over HTTP.
  if (http::authority_of(uri) == instance_.host) {
    co_return make_error_code(FederationError::object_not_found);
  }
  auto response = co_await fetcher_.get(uri);
  if (!response) co_return response.error();
  if (response->status == 410) co_return make_error_code(FederationError::object_gone);
  if (response->status == 404) co_return make_error_code(FederationError::object_not_found);
  if (response->status < 200 || response->status > 299) {
    log_->info("fetch {} answered {}", uri, response->status);
    co_return make_error_code(FederationError::fetch_failed);
  }
  auto doc = as2::parse_json(response->body);
  if (!doc) co_return doc.error();
  if (!doc->IsObject()) co_return make_error_code(as2::DocumentError::not_an_object);
  const auto id = as2::member_id(*doc, "id");
  if (!id || !id_matches(*id, uri, response->final_url)) {
    log_->info("document fetched from {} has id {}", uri, id.value_or("(none)"));
    co_return make_error_code(FederationError::id_mismatch);
  }
  co_return std::move(*doc);
}

boost::asio::awaitable<Result<storage::ActorRecord>> RemotePosts::context_owner(
    std::string context_uri) {
  auto doc = co_await fetch_document(context_uri);
  if (!doc) co_return doc.error();
  const auto id = as2::member_id(*doc, "id");
  const auto owner = as2::member_id(*doc, "attributedTo");
  if (!owner) co_return make_error_code(FederationError::object_not_found);
  // Whoever serves the conversation names its owner only among its own actors: another server
  // could otherwise have our replies delivered to an inbox of its choosing.
  if (!id || !http::origin_of(*id) || http::origin_of(*owner) != http::origin_of(*id)) {
    log_->info("context {} is attributed to {} on another host", id.value_or(context_uri),
               *owner);
    co_return make_error_code(FederationError::origin_mismatch);
  }
  co_return co_await resolver_.resolve(*owner);
}

Result<ThreadFetch> RemotePosts::may_fetch(const std::string& uri, const std::string& thread) {
  const auto now = clock_();
  return db_.read([&](storage::Connection& c) -> Result<ThreadFetch> {
    auto spent =
        storage::object_fetches::count_for_thread(c, thread, now - settings_.budget_window.count());
    if (!spent) return spent.error();
    if (*spent >= settings_.thread_fetch_budget) {
      log_->info("thread {}: fetch budget of {} spent; {} not fetched", thread,
                 settings_.thread_fetch_budget, uri);
      return ThreadFetch::budget_spent;
    }
    if (auto origin = http::origin_of(uri)) {
      auto host_spent = storage::object_fetches::count_under(
          c, *origin, now - settings_.budget_window.count());
      if (!host_spent) return host_spent.error();
      if (*host_spent >= settings_.host_fetch_budget) {
        log_->info("host {}: fetch budget of {} spent; {} not fetched", *origin,
                   settings_.host_fetch_budget, uri);
        return ThreadFetch::budget_spent;
      }
    }
    auto last = storage::object_fetches::find(c, uri);
    if (!last) return last.error();
    if (*last && (*last)->failures > 0 &&
        now - (*last)->attempted_at < settings_.failure_cooldown.count()) {
      log_->info("{} failed {} ms ago ({}); not fetched again yet", uri,
                 now - (*last)->attempted_at, (*last)->last_error);
      return ThreadFetch::cooling_down;
    }
    return ThreadFetch::stored;
  });
}

boost::asio::awaitable<Result<storage::PostRecord>> RemotePosts::post_if(std::string uri,
                                                                         Belongs belongs) {
  if (!belongs) co_return co_await post(std::move(uri));
  auto checked = co_await fetch(uri);
  if (!checked) co_return checked.error();
  if (!belongs(*checked)) co_return make_error_code(FederationError::not_in_thread);
  co_return co_await store(std::move(*checked));
}

boost::asio::awaitable<ThreadFetch> RemotePosts::fetch_for_thread(const std::string& missing,
                                                                  const std::string& thread,
                                                                  Belongs belongs) {
  const auto now = clock_();
  auto allowed = may_fetch(missing, thread);
  if (!allowed) {
    log_->warn("thread {}: cannot read fetch records: {}", thread, allowed.error().message());
    co_return ThreadFetch::failed;
  }
  if (*allowed != ThreadFetch::stored) co_return *allowed;

  auto fetched = co_await post_if(missing, std::move(belongs));
  std::string error;
  // A stored parent moved the thread's records to its root (store_remote_post); this attempt
  // joins them there.
  std::string counted_for = thread;
  if (fetched) {
    counted_for = fetched->thread_root;
  } else {
    error = fetched.error().message();
  }
  auto recorded =
      co_await write(db_, record_fetch_job(missing, counted_for, now, !!fetched, error));
  if (!recorded)
    log_->warn("cannot record the fetch of {}: {}", missing, recorded.error().message());
  if (!fetched) {
    log_->info("thread {}: {} not fetched: {}", thread, missing, error);
    co_return ThreadFetch::failed;
  }
  co_return ThreadFetch::stored;
}

boost::asio::awaitable<Result<std::size_t>> RemotePosts::ancestors(std::string uri) {
  auto start =
      db_.read([&](storage::Connection& c) { return storage::posts::find_by_ap_id(c, uri); });
  if (!start) co_return start.error();
  if (!*start) co_return make_error_code(FederationError::object_not_found);
  const int depth_limit = settings_.thread_depth_limit;
  std::size_t fetched = 0;
  std::set<std::string> visited{uri};
  for (;;) {
    auto known = db_.read(
        [&](storage::Connection& c) { return storage::posts::ancestors(c, uri, depth_limit); });
    if (!known) co_return known.error();
    if (known->truncated || static_cast<int>(known->chain.size()) >= depth_limit) {
      log_->info("thread of {}: stopped at the depth limit of {} (or a reply cycle)", uri,
                 depth_limit);
      break;
    }
    if (!known->missing_parent) break;
    const std::string missing = *known->missing_parent;
    // The budget is counted per thread root as known now (usually `missing` itself);
    // store_remote_post moves the records along when the root moves up, so the count follows
    // the thread while its parents arrive.
    std::string thread = (*start)->thread_root;
    if (!known->chain.empty()) thread = known->chain.front().thread_root;
    if (!visited.insert(missing).second) {
      log_->info("thread of {}: {} was visited already (a cycle or a moved id)", uri, missing);
      break;
    }
    const auto outcome = co_await fetch_for_thread(missing, thread, {});
    if (outcome != ThreadFetch::stored) break;
    ++fetched;
  }
  co_return fetched;
}

}  // namespace civicpub::federation
