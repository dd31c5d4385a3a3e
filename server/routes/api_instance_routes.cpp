#include "server/routes/api_instance_routes.hpp"

#include "federation/as2/json.hpp"
#include "server/http/response.hpp"
#include "server/views/api_preferences.hpp"
#include "storage/actors.hpp"
#include "storage/posts.hpp"

#include <array>

namespace civicpub::server::routes {
namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using federation::as2::JsonWriter;

namespace {

// A 1x1 grey PNG: the avatar and header of every account until civicpub stores pictures.
constexpr std::array<unsigned char, 67> kMissingPng = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
    0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00,
    0x00, 0x3a, 0x7e, 0x9b, 0x55, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78,
    0x9c, 0x63, 0x68, 0x00, 0x00, 0x00, 0x82, 0x00, 0x81, 0x77, 0xcd, 0x72, 0xb6, 0x00,
    0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

std::string streaming_url(const std::string& base_url) {
  if (base_url.starts_with("https://")) return "wss://" + base_url.substr(8);
  if (base_url.starts_with("http://")) return "ws://" + base_url.substr(7);
  return base_url;
}

void statuses_configuration(JsonWriter& out) {
  out.key("statuses");
  out.start_object();
  out.field("max_characters", kMaxStatusCharacters);
  out.field("max_media_attachments", std::int64_t{0});
  out.field("characters_reserved_per_url", std::int64_t{23});
  out.end_object();
  out.key("media_attachments");
  out.start_object();
  out.key("supported_mime_types");
  out.start_array();
  out.end_array();
  out.field("image_size_limit", std::int64_t{0});
  out.field("image_matrix_limit", std::int64_t{0});
  out.field("video_size_limit", std::int64_t{0});
  out.field("video_frame_rate_limit", std::int64_t{0});
  out.field("video_matrix_limit", std::int64_t{0});
  out.end_object();
  out.key("polls");
  out.start_object();
  out.field("max_options", std::int64_t{0});
  out.field("max_characters_per_option", std::int64_t{0});
  out.field("min_expiration", std::int64_t{0});
  out.field("max_expiration", std::int64_t{0});
  out.end_object();
}

void empty_array(JsonWriter& out, std::string_view key) {
  out.key(key);
  out.start_array();
  out.end_array();
}

struct Counts {
  std::int64_t users = 0;
  std::int64_t statuses = 0;
};

Counts counts(const ApiDeps& deps) {
  Counts c;
  (void)deps.db.read([&](storage::Connection& conn) -> Result<void> {
    if (auto u = storage::actors::count_local(conn)) c.users = *u;
    if (auto p = storage::posts::count_local(conn)) c.statuses = *p;
    return {};
  });
  return c;
}

http::Response instance_v1(const ApiDeps& deps) {
  const auto& i = deps.instance;
  const auto c = counts(deps);
  JsonWriter out;
  out.start_object();
  out.field("uri", i.effective_handle_domain());
  out.field("title", i.name);
  out.field("short_description", i.description);
  out.field("description", i.description);
  out.field("email", i.admin_contact);
  out.field("version", mastodon_version(i.software_version));
  out.key("urls");
  out.start_object();
  out.field("streaming_api", streaming_url(i.base_url));
  out.end_object();
  out.key("stats");
  out.start_object();
  out.field("user_count", c.users);
  out.field("status_count", c.statuses);
  out.field("domain_count", std::int64_t{0});
  out.end_object();
  out.key("thumbnail");
  out.null();
  out.string_array("languages", {"en"});
  out.field("registrations", false);
  out.field("approval_required", false);
  out.field("invites_enabled", false);
  out.key("configuration");
  out.start_object();
  out.key("accounts");
  out.start_object();
  out.field("max_featured_tags", std::int64_t{0});
  out.end_object();
  statuses_configuration(out);
  out.end_object();
  out.key("contact_account");
  out.null();
  empty_array(out, "rules");
  out.end_object();
  return api_json(out.str());
}

http::Response instance_v2(const ApiDeps& deps) {
  const auto& i = deps.instance;
  const auto c = counts(deps);
  JsonWriter out;
  out.start_object();
  out.field("domain", i.effective_handle_domain());
  out.field("title", i.name);
  out.field("version", mastodon_version(i.software_version));
  out.field("source_url", i.software_repository.empty() ? i.base_url : i.software_repository);
  out.field("description", i.description);
  out.key("usage");
  out.start_object();
  out.key("users");
  out.start_object();
  out.field("active_month", c.users);
  out.end_object();
  out.end_object();
  out.key("thumbnail");
  out.start_object();
  out.field("url", i.base_url + std::string(views::kDefaultAvatarPath));
  out.end_object();
  out.string_array("languages", {"en"});
  out.key("configuration");
  out.start_object();
  out.key("urls");
  out.start_object();
  out.field("streaming", streaming_url(i.base_url));
  out.end_object();
  out.key("accounts");
  out.start_object();
  out.field("max_featured_tags", std::int64_t{0});
  out.field("max_pinned_statuses", std::int64_t{0});
  out.end_object();
  statuses_configuration(out);
  out.key("translation");
  out.start_object();
  out.field("enabled", false);
  out.end_object();
  out.end_object();
  out.key("registrations");
  out.start_object();
  out.field("enabled", false);
  out.field("approval_required", false);
  out.key("message");
  out.null();
  out.end_object();
  out.key("api_versions");
  out.start_object();
  out.field("mastodon", std::int64_t{0});
  out.end_object();
  out.key("contact");
  out.start_object();
  out.field("email", i.admin_contact);
  out.key("account");
  out.null();
  out.end_object();
  empty_array(out, "rules");
  out.end_object();
  return api_json(out.str());
}

}  // namespace

std::string mastodon_version(std::string_view civicpub_version) {
  return "4.2.0 (compatible; civicpub " + std::string(civicpub_version) + ")";
}

void register_api_instance_routes(http::Router& router, const ApiDeps& deps) {
  const ApiDeps* d = &deps;
  for (const char* path : {"/api/v1/instance", "/api/v1/instance/"}) {
    router.add(bhttp::verb::get, path, [d](http::RequestContext&) -> asio::awaitable<http::Response> {
      co_return instance_v1(*d);
    });
  }
  router.add(bhttp::verb::get, "/api/v2/instance",
             [d](http::RequestContext&) -> asio::awaitable<http::Response> {
               co_return instance_v2(*d);
             });
  // Features civicpub does not have answer their empty shape: apps call them at start-up and
  // some stop on a 404 (INTEROP.md section 8).
  for (const char* path :
       {"/api/v1/custom_emojis", "/api/v1/trends", "/api/v1/trends/tags",
        "/api/v1/trends/statuses", "/api/v1/trends/links", "/api/v1/announcements"}) {
    router.add(bhttp::verb::get, path, [](http::RequestContext&) -> asio::awaitable<http::Response> {
      co_return api_json("[]");
    });
  }
  // These belong to an account: a valid token with read access is needed, as on Mastodon.
  for (const char* path : {"/api/v1/filters", "/api/v2/filters", "/api/v1/lists",
                           "/api/v1/followed_tags"}) {
    router.add(bhttp::verb::get, path, [d](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
      auto grant = authorize(*d, ctx, "read");
      if (auto* res = std::get_if<http::Response>(&grant)) co_return std::move(*res);
      co_return api_json("[]");
    });
  }
  router.add(bhttp::verb::get, "/api/v1/preferences",
             [d](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
               auto grant = authorize(*d, ctx, "read:accounts");
               if (auto* res = std::get_if<http::Response>(&grant)) co_return std::move(*res);
               // The posting defaults update_credentials' source set.
               auto json = views::preferences_json(
                   d->db, std::get<services::TokenGrant>(grant).account->id);
               if (!json) co_return api_error(*d, ctx, json.error());
               co_return api_json(std::move(*json));
             });
  router.add(bhttp::verb::get, views::kDefaultAvatarPath,
             [](http::RequestContext&) -> asio::awaitable<http::Response> {
               http::Response res{bhttp::status::ok, 11};
               res.set(bhttp::field::content_type, "image/png");
               res.set(bhttp::field::cache_control, "public, max-age=86400");
               res.body().assign(reinterpret_cast<const char*>(kMissingPng.data()),
                                 kMissingPng.size());
               co_return res;
             });
}

}  // namespace civicpub::server::routes
