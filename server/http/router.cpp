#include "server/http/router.hpp"

#include "server/http/media_type.hpp"
#include "server/http/response.hpp"

#include <boost/url/decode_view.hpp>
#include <boost/url/grammar/ci_string.hpp>
#include <boost/url/pct_string_view.hpp>

#include <algorithm>
#include <stdexcept>

namespace civicpub::server::http {
namespace bhttp = boost::beast::http;
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path.front() != '/') return out;
  path.remove_prefix(1);
  while (true) {
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

std::optional<std::string> percent_decode(std::string_view s) {
  auto checked = boost::urls::make_pct_string_view(s);
  if (!checked) return std::nullopt;
  std::string out;
  for (char c : **checked) out.push_back(c);  // operator* is the decoded view
  return out;
}

std::string allow_header(std::vector<bhttp::verb> verbs) {
  if (std::find(verbs.begin(), verbs.end(), bhttp::verb::get) != verbs.end()) {
    verbs.push_back(bhttp::verb::head);
  }
  std::sort(verbs.begin(), verbs.end());
  verbs.erase(std::unique(verbs.begin(), verbs.end()), verbs.end());
  std::string allow;
  for (auto v : verbs) {
    if (!allow.empty()) allow += ", ";
    allow += bhttp::to_string(v);
  }
  return allow;
}

}  // namespace

std::vector<Router::Segment> Router::parse_pattern(std::string_view pattern) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + std::string(pattern));
  }
  std::vector<Segment> segments;
  for (std::string_view part : split_path(pattern)) {
    const auto open = part.find('{');
    if (open != std::string_view::npos && part.size() >= open + 3 && part.back() == '}' &&
        part.find_first_of("{}", open + 1) == part.size() - 1) {
      segments.push_back({std::string(part.substr(open + 1, part.size() - open - 2)), true,
                          std::string(part.substr(0, open))});
    } else if (part.find_first_of("{}") != std::string_view::npos) {
      throw std::invalid_argument("bad parameter in route pattern: " + std::string(pattern));
    } else {
      segments.push_back({std::string(part), false, {}});
    }
  }
  return segments;
}

void Router::add(bhttp::verb verb, std::string_view pattern, Handler handler,
                 RouteOptions options) {
  Route route{verb, parse_pattern(pattern), 0, std::move(handler), std::move(options)};
  route.literal_count = static_cast<int>(
      std::count_if(route.segments.begin(), route.segments.end(),
                    [](const Segment& s) { return !s.is_param || !s.prefix.empty(); }));
  routes_.push_back(std::move(route));
}

bool Router::match(const Route& route, const std::vector<std::string_view>& path,
                   std::unordered_map<std::string, std::string>* params) {
  if (route.segments.size() != path.size()) return false;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const Segment& seg = route.segments[i];
    if (!seg.is_param) {
      if (seg.text != path[i]) return false;
      continue;
    }
    std::string_view value = path[i];
    if (!seg.prefix.empty()) {
      if (value.substr(0, seg.prefix.size()) != seg.prefix) return false;
      value.remove_prefix(seg.prefix.size());
    }
    if (value.empty()) return false;
    auto decoded = percent_decode(value);
    if (!decoded) return false;  // broken %-escape: no route can want it
    if (params) (*params)[seg.text] = std::move(*decoded);
  }
  return true;
}

bool Router::content_type_accepted(const RouteOptions& options, const Request& req) {
  if (options.accepted_content_types.empty()) return true;
  auto it = req.find(bhttp::field::content_type);
  if (it == req.end()) return false;
  auto media = parse_media_type(it->value());
  if (!media) return false;
  std::string essence = media->essence();
  return std::any_of(options.accepted_content_types.begin(), options.accepted_content_types.end(),
                     [&](const std::string& accepted) {
                       return boost::urls::grammar::ci_is_equal(accepted, essence);
                     });
}

std::shared_ptr<const CachedDocument> Router::cached(const RequestContext& ctx) const {
  if (!cache_) return nullptr;
  auto key = DocumentCache::key_for(ctx);
  if (!key) return nullptr;
  return cache_->find(*key);
}

boost::asio::awaitable<Response> Router::dispatch(RequestContext& ctx) const {
  const bhttp::verb method = ctx.req.method();
  const bhttp::verb wanted = method == bhttp::verb::head ? bhttp::verb::get : method;
  const auto path = split_path(ctx.path);

  const Route* best = nullptr;
  std::vector<bhttp::verb> allowed;
  for (const Route& route : routes_) {
    if (!match(route, path, nullptr)) continue;
    allowed.push_back(route.verb);
    if (route.verb == wanted && (!best || route.literal_count > best->literal_count)) {
      best = &route;
    }
  }

  Response res;
  if (best) {
    match(*best, path, &ctx.params);
    if (!content_type_accepted(best->options, ctx.req)) {
      res = error_response(bhttp::status::unsupported_media_type, "unsupported content type");
    } else {
      auto key =
          best->options.cache_documents && cache_ ? DocumentCache::key_for(ctx) : std::nullopt;
      // Stamped before the answer is built (document_cache.hpp).
      const auto version = key ? cache_->version() : std::nullopt;
      auto handling = best->handler(ctx);
      res = co_await std::move(handling);
      if (version) cache_->store(*key, *version, res);
    }
  } else if (!allowed.empty()) {
    res = error_response(bhttp::status::method_not_allowed, "method not allowed");
    res.set(bhttp::field::allow, allow_header(std::move(allowed)));
  } else {
    res = error_response(bhttp::status::not_found, "not found");
  }

  if (method == bhttp::verb::head) {
    // RFC 9110 9.3.2: the same header fields as GET, no content.
    res.content_length(res.body().size());
    res.body().clear();
  }
  co_return res;
}

}  // namespace civicpub::server::http
