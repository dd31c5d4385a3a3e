#include "server/views/discovery.hpp"

#include "federation/as2/webfinger.hpp"
#include "server/views/error.hpp"
#include "storage/actors.hpp"
#include "storage/usage.hpp"

#include <algorithm>
#include <cctype>

namespace civicpub::server::views {
namespace {

constexpr storage::Millis kDay = 24LL * 60 * 60 * 1000;
// NodeInfo's activeMonth and activeHalfyear, as Mastodon counts them.
constexpr storage::Millis kMonth = 30 * kDay;
constexpr storage::Millis kHalfYear = 180 * kDay;

std::string lowercase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return out;
}

bool is_our_domain(const federation::as2::InstanceInfo& instance, const std::string& domain) {
  return domain == lowercase(instance.effective_handle_domain()) ||
         domain == lowercase(instance.host);
}

Result<std::optional<storage::ActorRecord>> find_by_url(storage::Connection& conn,
                                                        const federation::as2::InstanceInfo& instance,
                                                        const std::string& url) {
  auto by_id = storage::actors::find_by_uri(conn, url);
  if (!by_id || *by_id) return by_id;
  // The profile page URL <base>/@name, which Mastodon lists among the aliases too.
  const std::string prefix = instance.base_url + "/@";
  if (url.size() > prefix.size() && url.compare(0, prefix.size(), prefix) == 0) {
    const auto name = std::string_view(url).substr(prefix.size());
    if (name.find('/') == std::string_view::npos) {
      return storage::actors::find_local_by_username(conn, name);
    }
  }
  return std::optional<storage::ActorRecord>();
}

}  // namespace

Result<storage::ActorRecord> resolve_webfinger(storage::Database& db,
                                               const federation::as2::InstanceInfo& instance,
                                               std::string_view resource) {
  auto query = federation::as2::parse_webfinger_resource(resource);
  if (!query) return query.error();
  if (!is_our_domain(instance, query->domain)) return ViewError::not_found;
  auto found = db.read([&](storage::Connection& conn) {
    if (query->kind == federation::as2::WebfingerQuery::Kind::url)
      return find_by_url(conn, instance, query->url);
    return storage::actors::find_local_by_username(conn, query->username);
  });
  if (!found) return found.error();
  if (!*found || !(*found)->local) return ViewError::not_found;
  if ((*found)->deleted_at) return ViewError::gone;
  return std::move(**found);
}

Result<federation::as2::NodeUsage> node_usage(storage::Database& db, const federation::as2::InstanceInfo& instance,
                                  storage::Millis now) {
  storage::usage::UsageQuery query;
  query.month_since = now - kMonth;
  query.halfyear_since = now - kHalfYear;
  query.excluded_actor_uri = instance.instance_actor_id;
  auto counts =
      db.read([&](storage::Connection& conn) { return storage::usage::counts(conn, query); });
  if (!counts) return counts.error();
  federation::as2::NodeUsage usage;
  usage.users_total = static_cast<std::uint64_t>(counts->users_total);
  usage.active_month = static_cast<std::uint64_t>(counts->active_month);
  usage.active_halfyear = static_cast<std::uint64_t>(counts->active_halfyear);
  usage.local_posts = static_cast<std::uint64_t>(counts->local_posts);
  return usage;
}

Result<std::vector<storage::ActorRecord>> listed_accounts(storage::Database& db,
                                                          const federation::as2::InstanceInfo& instance,
                                                          std::size_t limit) {
  auto all = db.read([](storage::Connection& conn) { return storage::actors::list_local(conn); });
  if (!all) return all.error();
  std::vector<storage::ActorRecord> out;
  for (auto& actor : *all) {
    if (out.size() >= limit) break;
    if (!actor.discoverable || actor.uri == instance.instance_actor_id) continue;
    out.push_back(std::move(actor));
  }
  return out;
}

}  // namespace civicpub::server::views
