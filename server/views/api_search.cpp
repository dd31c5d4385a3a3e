#include "server/views/api_search.hpp"

#include "server/views/api_reads.hpp"
#include "storage/posts.hpp"
#include "storage/search.hpp"

#include <algorithm>
#include <cctype>

namespace civicpub::server::views {
namespace {

using federation::as2::JsonWriter;

bool is_url(std::string_view q) { return q.starts_with("https://") || q.starts_with("http://"); }

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

Result<void> stored_accounts(storage::Connection& conn, std::string_view q, int limit,
                             SearchResults& into) {
  if (!q.empty() && q.front() == '@') q.remove_prefix(1);
  const auto at = q.find('@');
  const auto name = q.substr(0, at);
  const auto domain = at == std::string_view::npos ? std::string_view() : q.substr(at + 1);
  if (name.empty()) return {};
  auto found = storage::search::accounts(conn, name, lower(domain), limit);
  if (!found) return found.error();
  for (auto& actor : *found) {
    const bool known = std::any_of(into.accounts.begin(), into.accounts.end(),
                                   [&](const auto& a) { return a.id == actor.id; });
    if (!known && static_cast<int>(into.accounts.size()) < limit) {
      into.accounts.push_back(std::move(actor));
    }
  }
  return {};
}

}  // namespace

Result<void> search_stored(storage::Database& db, const SearchQuery& query, const ApiView& view,
                           SearchResults& into) {
  return db.read([&](storage::Connection& conn) -> Result<void> {
    const std::string_view q = query.q;
    if (query.accounts && !is_url(q)) {
      if (auto r = stored_accounts(conn, q, query.limit, into); !r) return r;
    }
    if (query.statuses && is_url(q) && into.statuses.empty()) {
      auto post = storage::posts::find_by_ap_id(conn, q);
      if (!post) return post.error();
      if (*post && !(*post)->deleted_at) {
        auto visible = status_visible(conn, **post, view.viewer_id);
        if (!visible) return visible.error();
        if (*visible) into.statuses.push_back(std::move(**post));
      }
    }
    if (query.hashtags && !is_url(q) && q.find('@') == std::string_view::npos) {
      auto name = q.starts_with("#") ? q.substr(1) : q;
      if (!name.empty()) {
        auto tags = storage::search::hashtags(conn, lower(name), query.limit);
        if (!tags) return tags.error();
        into.hashtags = std::move(*tags);
      }
    }
    return {};
  });
}

Result<std::string> search_json(storage::Database& db, const SearchResults& results,
                                const ApiView& view) {
  return db.read([&](storage::Connection& conn) -> Result<std::string> {
    JsonWriter out;
    out.start_object();
    out.key("accounts");
    out.start_array();
    for (const auto& a : results.accounts) {
      if (auto r = write_account(out, conn, a, view); !r) return r.error();
    }
    out.end_array();
    out.key("statuses");
    out.start_array();
    for (const auto& p : results.statuses) {
      if (auto r = write_status(out, conn, p, view); !r) return r.error();
    }
    out.end_array();
    out.key("hashtags");
    out.start_array();
    for (const auto& name : results.hashtags) {
      out.start_object();
      out.field("name", name);
      out.field("url", view.instance.base_url + "/tags/" + name);
      out.key("history");
      out.start_array();
      out.end_array();
      out.field("following", false);
      out.end_object();
    }
    out.end_array();
    out.end_object();
    return out.str();
  });
}

}  // namespace civicpub::server::views
