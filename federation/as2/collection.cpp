#include "federation/as2/collection.hpp"

#include "federation/as2/json.hpp"

#include <charconv>

namespace civicpub::federation::as2 {
namespace {

// A page size of 0 would divide by zero; treat it as 1 rather than trusting every caller.
std::uint64_t safe_size(std::uint64_t page_size) {
  return page_size == 0 ? 1 : page_size;
}

}  // namespace

std::uint64_t page_count(std::uint64_t total_items, std::uint64_t page_size) {
  const auto size = safe_size(page_size);
  return total_items == 0 ? 1 : (total_items + size - 1) / size;
}

std::uint64_t page_offset(std::uint64_t page, std::uint64_t page_size) {
  return page == 0 ? 0 : (page - 1) * safe_size(page_size);
}

std::string page_url(std::string_view collection_id, std::uint64_t page) {
  return std::string(collection_id) + "?page=" + std::to_string(page);
}

std::optional<std::uint64_t> parse_page_number(std::string_view text) {
  if (text.empty() || text.size() > 9 || text.front() == '0') return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string render_ordered_collection(const OrderedCollectionView& view) {
  JsonWriter out;
  out.start_object();
  out.context(kActivityContext);
  out.field("id", view.id);
  out.field("type", "OrderedCollection");
  out.field_if("attributedTo", view.attributed_to);
  out.field("totalItems", view.total_items);
  out.field("first", page_url(view.id, 1));
  out.field("last", page_url(view.id, page_count(view.total_items, view.page_size)));
  out.end_object();
  return out.str();
}

std::string render_counted_collection(std::string_view id, std::uint64_t total_items) {
  JsonWriter out;
  out.start_object();
  out.context(kActivityContext);
  out.field("id", id);
  out.field("type", "Collection");
  out.field("totalItems", total_items);
  out.end_object();
  return out.str();
}

std::string render_ordered_collection_page(const CollectionPageView& view) {
  const auto pages = page_count(view.total_items, view.page_size);
  JsonWriter out;
  out.start_object();
  out.context(kActivityContext);
  out.field("id", page_url(view.collection_id, view.page));
  out.field("type", "OrderedCollectionPage");
  out.field("partOf", view.collection_id);
  out.field("totalItems", view.total_items);
  if (view.page > 1) out.field("prev", page_url(view.collection_id, view.page - 1));
  if (view.page < pages) out.field("next", page_url(view.collection_id, view.page + 1));
  out.key("orderedItems");
  out.start_array();
  for (const auto& item : view.items) {
    if (view.items_are_json) {
      out.raw(item, rapidjson::kObjectType);
    } else {
      out.string(item);
    }
  }
  out.end_array();
  out.end_object();
  return out.str();
}

}  // namespace civicpub::federation::as2
