#include "server/http/document_cache.hpp"
#include "server/http/response.hpp"

#include <boost/beast/http/field.hpp>

#include <mutex>

namespace civicpub::server::http {
namespace bhttp = boost::beast::http;
namespace {

std::size_t weight(const std::string& key, const Response& res) {
  std::size_t header_bytes = 0;
  for (const auto& field : res) header_bytes += field.name_string().size() + field.value().size();
  return key.size() + header_bytes + res.body().size();
}

// JSON documents (`application/...`) and HTML pages. An answer that sets a cookie is per reader
// and never stored.
bool is_document(const Response& res) {
  if (res.find(bhttp::field::set_cookie) != res.end()) return false;
  const auto type = res[bhttp::field::content_type];
  return type.substr(0, 12) == "application/" || type.substr(0, 9) == "text/html";
}

// `res` as sent to an HTTP/1.1 keep-alive request (what the session would write).
std::string wire_of(Response res) {
  res.version(11);
  res.keep_alive(true);
  res.prepare_payload();
  return serialize(res);
}

}  // namespace

DocumentCache::DocumentCache(VersionSource version, DocumentCacheLimits limits)
    : version_(std::move(version)), limits_(limits) {}

std::optional<std::string> DocumentCache::key_for(const RequestContext& ctx) {
  const auto& req = ctx.req;
  if (req.method() != bhttp::verb::get) return std::nullopt;
  if (req.find(bhttp::field::authorization) != req.end() || req.find("Signature") != req.end() ||
      req.find(bhttp::field::cookie) != req.end()) {
    return std::nullopt;
  }
  std::string key;
  const auto accept = req[bhttp::field::accept];
  const auto target = req.target();
  key.reserve(ctx.scheme.size() + ctx.host.size() + target.size() + accept.size() + 3);
  // The separator cannot occur in a parsed header value or request-target (Beast rejects
  // control characters in both).
  key.append(ctx.scheme).push_back('\n');
  key.append(ctx.host).push_back('\n');
  key.append(target.data(), target.size()).push_back('\n');
  key.append(accept.data(), accept.size());
  return key;
}

std::shared_ptr<const CachedDocument> DocumentCache::find(const std::string& key) {
  const auto now = version_();
  if (!now) return nullptr;
  const std::shared_lock lock(mutex_);
  if (!any_version_ || *now != stored_version_) return nullptr;
  const auto found = entries_.find(key);
  if (found == entries_.end()) return nullptr;
  return found->second;
}

void DocumentCache::store(const std::string& key, std::int64_t version, const Response& res) {
  if (res.result() != bhttp::status::ok || !is_document(res)) return;
  auto document = std::make_shared<const CachedDocument>(CachedDocument{res, wire_of(res)});
  const std::lock_guard lock(mutex_);
  // SQLite's data version only grows on one connection: an older stamp is already stale.
  if (any_version_ && version < stored_version_) return;
  if (!any_version_ || version != stored_version_) {
    entries_.clear();
    bytes_ = 0;
    stored_version_ = version;
    any_version_ = true;
  }
  const std::size_t size = weight(key, res) + document->wire.size();
  if (entries_.size() >= limits_.max_entries || bytes_ + size > limits_.max_bytes) return;
  if (entries_.emplace(key, std::move(document)).second) bytes_ += size;
}

std::size_t DocumentCache::size() const {
  const std::shared_lock lock(mutex_);
  return entries_.size();
}

}  // namespace civicpub::server::http
