// Documents rendered once and served again until the database changes (issue 15). Remote servers
// fetch the same few JSON documents over and over: an actor's document and WebFinger on every
// first contact and key refresh, a note each time someone boosts or quotes it (a popular post is
// fetched by hundreds of servers within seconds). Building each answer reads SQLite several
// times and writes the JSON anew; a hit here is the stored answer, shared, not copied: for the
// common request (HTTP/1.1, keep-alive) the session writes its bytes as they are.
//
// The same holds for the HTML pages of posts and their threads: a post linked from Mastodon is
// opened by every reader who clicks it, and a thread page of 50 replies costs milliseconds to
// build (issue 15).
//
// What is stored: GET answers of routes registered with RouteOptions::cache_documents, only
// 200 responses with an `application/...` (JSON) or `text/html` Content-Type and no Set-Cookie,
// keyed by scheme, effective host, request-target and Accept. Requests with Authorization,
// Signature or Cookie are neither answered from nor stored in the cache: what a signed or
// logged-in reader sees may differ. Such routes must build their answer from the database and
// the request's key alone (no clock, no other header): pages show absolute times, and a poll or
// consultation closes by a write (its close job), which changes the version.
//
// When it is fresh: every entry is stamped with the database version read BEFORE its answer was
// built (`version`, from storage::ChangeWatch::epoch: it changes at once on any commit of this
// server, and within a millisecond on a commit of another process). A lookup reads the current
// version; any difference misses, and the next store drops every entry of the older version. So an
// answer is never older than the last commit: a commit racing with a render stamps the entry with
// the version before it, which the next lookup no longer matches. A version that cannot be read
// disables the cache for that request.
//
// Bounded: at most `max_entries` entries and `max_bytes` of bodies and headers; when full, new
// answers are not stored (until the next version empties it). Thread-safe (a shared mutex:
// lookups do not wait for each other).
#pragma once

#include "server/http/request.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace civicpub::server::http {

struct DocumentCacheLimits {
  std::size_t max_entries = 1024;
  std::size_t max_bytes = 8 * 1024 * 1024;
};

// One stored answer: the response, and the same answer as the bytes an HTTP/1.1 keep-alive
// request is sent (status line, header with Content-Length, body).
struct CachedDocument {
  Response response;
  std::string wire;
};

class DocumentCache {
 public:
  // The database's current version, or nullopt when it cannot be told (then nothing is served
  // from or stored in the cache). Called once per lookup and once per store; must be thread-safe.
  using VersionSource = std::function<std::optional<std::int64_t>()>;

  explicit DocumentCache(VersionSource version, DocumentCacheLimits limits = {});

  // The key for this request, or nullopt when it must not be served from the cache (not a GET;
  // Authorization, Signature or Cookie present).
  static std::optional<std::string> key_for(const RequestContext& ctx);

  // The stored answer for `key`, when it was built at the current version.
  std::shared_ptr<const CachedDocument> find(const std::string& key);

  // The version to stamp an answer with: read it before building the answer.
  std::optional<std::int64_t> version() const { return version_(); }

  // Stores `res` for `key` if it is a 200 JSON or HTML answer built at `version` and there is
  // room.
  void store(const std::string& key, std::int64_t version, const Response& res);

  std::size_t size() const;

 private:
  VersionSource version_;
  DocumentCacheLimits limits_;
  mutable std::shared_mutex mutex_;
  std::int64_t stored_version_ = 0;
  bool any_version_ = false;  // false until the first store
  std::size_t bytes_ = 0;
  std::unordered_map<std::string, std::shared_ptr<const CachedDocument>> entries_;
};

}  // namespace civicpub::server::http
