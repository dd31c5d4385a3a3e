// OrderedCollection and OrderedCollectionPage (outbox, followers, following, replies, thread
// context). Pages are `<collection id>?page=N`, N counting from 1; the collection itself carries
// only totalItems and links to its first and last pages, so it stays cheap to serve.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::federation::as2 {

struct OrderedCollectionView {
  std::string id;
  std::uint64_t total_items = 0;
  std::uint64_t page_size = 20;
  std::string attributed_to;  // optional: the thread owner of a FEP-7888 `context` collection
};

struct CollectionPageView {
  std::string collection_id;
  std::uint64_t page = 1;  // 1-based
  std::uint64_t total_items = 0;
  std::uint64_t page_size = 20;
  // Either object ids, or JSON documents rendered by us (never peer text: it is embedded raw).
  std::vector<std::string> items;
  bool items_are_json = false;
};

// Number of pages; an empty collection still has one (empty) page so `first` always resolves.
std::uint64_t page_count(std::uint64_t total_items, std::uint64_t page_size);
// Zero-based index of the first item on `page`.
std::uint64_t page_offset(std::uint64_t page, std::uint64_t page_size);
std::string page_url(std::string_view collection_id, std::uint64_t page);
// Reads the `page` query value: a positive decimal number without sign or leading zeros.
std::optional<std::uint64_t> parse_page_number(std::string_view text);

std::string render_ordered_collection(const OrderedCollectionView& view);
// A `Collection` that only counts (a post's likes and shares, as Mastodon serves them): id,
// totalItems, no items and no pages.
std::string render_counted_collection(std::string_view id, std::uint64_t total_items);
std::string render_ordered_collection_page(const CollectionPageView& view);

}  // namespace civicpub::federation::as2
