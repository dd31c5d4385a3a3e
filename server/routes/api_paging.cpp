#include "server/routes/api_paging.hpp"

#include <algorithm>
#include <charconv>

namespace civicpub::server::routes {
namespace bhttp = boost::beast::http;
namespace {

constexpr int kDefaultLimit = 20;

std::optional<std::int64_t> id_param(const Params& params, std::string_view name) {
  auto v = params.get(name);
  if (!v) return std::nullopt;
  return views::parse_id(*v);
}

}  // namespace

storage::PageQuery page_query(const Params& params, int max_limit) {
  storage::PageQuery q;
  q.limit = std::min(kDefaultLimit, max_limit);
  if (auto limit = params.get("limit")) {
    int value = 0;
    auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), value);
    if (ec == std::errc() && end == limit->data() + limit->size()) {
      q.limit = std::clamp(value, 1, max_limit);
    }
  }
  q.max_id = id_param(params, "max_id");
  q.since_id = id_param(params, "since_id");
  q.min_id = id_param(params, "min_id");
  return q;
}

std::string page_link(const std::string& url, const std::string& kept,
                      std::optional<std::int64_t> newest, std::optional<std::int64_t> oldest) {
  if (!newest || !oldest) return {};
  return "<" + url + "?" + kept + "max_id=" + std::to_string(*oldest) + ">; rel=\"next\", <" +
         url + "?" + kept + "min_id=" + std::to_string(*newest) + ">; rel=\"prev\"";
}

http::Response page_answer(const ApiDeps& deps, const http::RequestContext& ctx,
                           const Params& params, const storage::PageQuery& query,
                           std::string kept, const Result<views::TimelinePage>& page) {
  if (!page) return api_error(deps, ctx, page.error());
  if (params.get("limit")) kept += "limit=" + std::to_string(query.limit) + "&";
  auto res = api_json(page->json);
  const auto link =
      page_link(deps.instance.base_url + ctx.path, kept, page->newest_id, page->oldest_id);
  if (!link.empty()) res.set(bhttp::field::link, link);
  return res;
}

}  // namespace civicpub::server::routes
