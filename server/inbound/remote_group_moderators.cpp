#include "server/inbound/remote_group_moderators.hpp"

#include "federation/as2/reader.hpp"
#include "federation/http/urls.hpp"

#include <algorithm>

namespace civicpub::server::inbound {
namespace {

// Moderator lists are short (Lemmy serves them whole); more than this is not a moderators list.
constexpr std::size_t kMaxModerators = 500;

bool lists(const rapidjson::Value& collection, const std::string& actor) {
  const auto* items = federation::as2::find_member(collection, "orderedItems");
  if (items == nullptr) items = federation::as2::find_member(collection, "items");
  if (items == nullptr) return false;
  auto ids = federation::as2::ids_of(*items);
  if (ids.size() > kMaxModerators) ids.resize(kMaxModerators);
  return std::find(ids.begin(), ids.end(), actor) != ids.end();
}

}  // namespace

boost::asio::awaitable<Result<bool>> remote_group_moderator(ActivityContext& ctx, std::string group,
                                                            std::string actor) {
  if (actor == group) co_return true;
  auto group_doc = co_await ctx.posts.fetch_document(group);
  if (!group_doc) {
    ctx.log.info("group {}: its document could not be fetched ({}); no moderators known", group,
                 group_doc.error().message());
    co_return false;
  }
  const auto moderators = federation::as2::member_id(*group_doc, "attributedTo");
  const auto origin = federation::http::origin_of(group);
  if (!moderators || !origin || federation::http::origin_of(*moderators) != origin) {
    ctx.log.info("group {}: no moderators collection on its own origin", group);
    co_return false;
  }
  const std::string collection_uri = *moderators;
  auto collection = co_await ctx.posts.fetch_document(collection_uri);
  if (!collection) {
    ctx.log.info("group {}: moderators {} could not be fetched ({})", group, collection_uri,
                 collection.error().message());
    co_return false;
  }
  if (lists(*collection, actor)) co_return true;
  // A paged collection (civicpub's): the first page, embedded or by id on the same origin.
  const auto* first = federation::as2::find_member(*collection, "first");
  if (first == nullptr) co_return false;
  if (first->IsObject()) co_return lists(*first, actor);
  const auto page_id = federation::as2::id_of(*first);
  if (!page_id || federation::http::origin_of(*page_id) != origin) co_return false;
  const std::string page_uri = *page_id;
  auto page = co_await ctx.posts.fetch_document(page_uri);
  if (!page) co_return false;
  co_return lists(*page, actor);
}

}  // namespace civicpub::server::inbound
