#include "server/views/post_urls.hpp"

#include <algorithm>

namespace civicpub::server::views {

std::string mint_post_id(storage::Millis now, std::mt19937_64& rng) {
  const auto high = static_cast<std::uint64_t>(now) << 16;
  const auto low = rng() & 0xffffu;
  return std::to_string(high | low);
}

std::string post_url(std::string_view actor_id, std::string_view post_id) {
  std::string url(actor_id);
  url += "/statuses/";
  url += post_id;
  return url;
}

std::string post_page_url(std::string_view actor_profile_url, std::string_view post_id) {
  std::string url(actor_profile_url);
  url += '/';
  url += post_id;
  return url;
}

std::string create_activity_id(std::string_view post_url) {
  return std::string(post_url) + "/activity";
}

std::string update_activity_id(std::string_view post_url, storage::Millis at) {
  return std::string(post_url) + "#updates/" + std::to_string(at);
}

std::string delete_activity_id(std::string_view post_url) {
  return std::string(post_url) + "#delete";
}

std::string replies_url(std::string_view post_url) {
  return std::string(post_url) + "/replies";
}

std::string likes_url(std::string_view post_url) {
  return std::string(post_url) + "/likes";
}

std::string shares_url(std::string_view post_url) {
  return std::string(post_url) + "/shares";
}

std::string context_url(std::string_view post_url) {
  return std::string(post_url) + "/context";
}

bool is_post_id(std::string_view post_id) {
  return !post_id.empty() && post_id.size() <= 20 &&
         std::all_of(post_id.begin(), post_id.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace civicpub::server::views
