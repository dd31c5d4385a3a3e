#include "server/views/post_urls.hpp"

#include "federation/crypto/sha256.hpp"

#include <algorithm>

namespace civicpub::server::views {
namespace {

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0xf];
  }
  return out;
}

}  // namespace

std::string group_moderators_url(std::string_view group_id) {
  return std::string(group_id) + "/moderators";
}

std::string group_featured_url(std::string_view group_id) {
  return std::string(group_id) + "/featured";
}

std::string group_context_url(std::string_view group_id, std::string_view root_post_id) {
  return std::string(group_id) + "/context/" +
         hex(federation::crypto::sha256(root_post_id).substr(0, 16));
}

std::string group_announce_id(std::string_view group_id, std::string_view activity_id) {
  return std::string(group_id) + "/announces/" +
         hex(federation::crypto::sha256(activity_id).substr(0, 16));
}

std::string group_object_announce_id(std::string_view group_id, std::string_view activity_id) {
  return group_announce_id(group_id, activity_id) + "/object";
}

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
