#include "server/federation_settings.hpp"

#include "civicpub/version.hpp"
#include "federation/accounts.hpp"

#include <stdexcept>

namespace civicpub::server {

federation::as2::InstanceInfo instance_info(const Config& config) {
  federation::as2::InstanceInfo info;
  info.base_url = config.instance.base_url;
  info.host = config.instance.authority;
  info.handle_domain = config.instance.handle_host();
  info.name = config.instance.name;
  info.description = config.instance.description;
  info.admin_contact = config.instance.admin_contact;
  info.software_version = kVersion;
  info.instance_actor_id = federation::instance_actor_uri(config.instance.base_url);
  return info;
}

federation::http::ClientSettings client_settings(const Config& config) {
  federation::http::ClientSettings s;
  // INTEROP.md section 3: peers log and sometimes allow-list by User-Agent.
  s.user_agent = std::string("civicpub/") + kVersion + " (+" + config.instance.base_url + "/)";
  s.connect_timeout = std::chrono::seconds(config.federation.connect_timeout_seconds);
  s.handshake_timeout = std::chrono::seconds(config.federation.connect_timeout_seconds);
  s.resolve_timeout = std::chrono::seconds(config.federation.connect_timeout_seconds);
  s.read_timeout = std::chrono::seconds(config.federation.read_timeout_seconds);
  s.write_timeout = std::chrono::seconds(config.federation.read_timeout_seconds);
  for (const auto& text : config.federation.allow_private_addresses) {
    auto cidr = federation::http::parse_cidr(text);
    if (!cidr) {
      throw std::runtime_error("federation.allow_private_addresses: \"" + text +
                               "\": " + cidr.error().message());
    }
    s.allow_private.push_back(*cidr);
  }
  if (config.federation.extra_ca_file) s.extra_ca_file = config.federation.extra_ca_file->string();
  return s;
}

federation::delivery::RetryPolicy retry_policy(const Config& config) {
  federation::delivery::RetryPolicy policy;
  policy.max_attempts = config.federation.delivery_max_attempts;
  return policy;
}

federation::delivery::WorkerSettings delivery_settings(const Config&) {
  return federation::delivery::WorkerSettings{};
}

federation::RemotePostsSettings remote_posts_settings(const Config& config) {
  federation::RemotePostsSettings s;
  s.thread_depth_limit = config.federation.thread_depth_limit;
  s.thread_fetch_budget = config.federation.thread_fetch_budget;
  return s;
}

}  // namespace civicpub::server
