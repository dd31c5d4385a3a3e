#include "server/config/settings.hpp"

#include "civicpub/version.hpp"
#include "server/services/accounts.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <filesystem>
#include <stdexcept>

namespace civicpub::server {

namespace asio = boost::asio;

federation::as2::InstanceInfo instance_info(const Config& config) {
  federation::as2::InstanceInfo info;
  info.base_url = config.instance.base_url;
  info.host = config.instance.authority;
  info.handle_domain = config.instance.handle_host();
  info.name = config.instance.name;
  info.description = config.instance.description;
  info.admin_contact = config.instance.admin_contact;
  info.software_version = kVersion;
  info.instance_actor_id = server::services::instance_actor_uri(config.instance.base_url);
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

federation::http::FetchGuardSettings fetch_guard_settings(const Config& config) {
  federation::http::FetchGuardSettings s;
  s.deadline = std::chrono::seconds(config.federation.fetch_timeout_seconds);
  s.max_per_host = static_cast<std::size_t>(config.federation.fetches_per_host);
  s.host_backoff = std::chrono::seconds(config.federation.host_backoff_seconds);
  s.failure_ttl = std::chrono::seconds(config.federation.fetch_failure_cache_seconds);
  return s;
}

federation::delivery::RetryPolicy retry_policy(const Config& config) {
  federation::delivery::RetryPolicy policy;
  policy.max_attempts = config.federation.delivery_max_attempts;
  return policy;
}

federation::delivery::WorkerSettings delivery_settings(
    const Config& config, std::shared_ptr<const federation::BlockList> blocks) {
  federation::delivery::WorkerSettings s;
  s.max_concurrent = static_cast<std::size_t>(config.federation.deliveries_in_flight);
  s.blocks = std::move(blocks);
  return s;
}

std::vector<federation::DomainRule> configured_domain_rules(const Config& config) {
  std::vector<federation::DomainRule> rules;
  for (const auto& domain : config.federation.blocked_domains) {
    rules.push_back(federation::config_domain_rule(domain));
  }
  return rules;
}

federation::RemotePostsSettings remote_posts_settings(
    const Config& config, std::shared_ptr<const federation::BlockList> blocks) {
  federation::RemotePostsSettings s;
  s.thread_depth_limit = config.federation.thread_depth_limit;
  s.thread_fetch_budget = config.federation.thread_fetch_budget;
  s.blocks = std::move(blocks);
  s.host_fetch_budget = config.federation.host_fetch_budget;
  return s;
}

federation::InboxSettings inbox_settings(const Config& config,
                                         std::shared_ptr<const federation::BlockList> blocks) {
  federation::InboxSettings s;
  s.blocks = std::move(blocks);
  s.queue_caps.per_actor = config.federation.inbox_pending_per_actor;
  s.queue_caps.per_host = config.federation.inbox_pending_per_host;
  return s;
}

federation::InboxWorkerSettings inbox_worker_settings(const Config& config) {
  // The retry schedule (8 tries within about an hour) is documented in FEDERATION.md.
  federation::InboxWorkerSettings s;
  s.item_timeout = std::chrono::seconds(config.federation.inbox_item_timeout_seconds);
  return s;
}

federation::QueuePurgeSettings queue_purge_settings(const Config& config) {
  federation::QueuePurgeSettings s;
  s.keep = std::chrono::hours(24) * config.federation.keep_processed_days;
  return s;
}

services::ConsultationScheduleSettings consultation_schedule_settings(const Config& config) {
  services::ConsultationScheduleSettings s;
  s.update_interval = std::chrono::seconds(config.federation.poll_update_interval_seconds);
  return s;
}

services::BackfillScheduleSettings backfill_schedule_settings(const Config& config) {
  services::BackfillScheduleSettings s;
  s.interval = std::chrono::minutes(config.federation.backfill_interval_minutes);
  s.active_days = config.federation.backfill_active_days;
  return s;
}

federation::ActorResolverSettings resolver_settings(
    const Config&, std::shared_ptr<const federation::BlockList> blocks) {
  // The defaults (trust a fetched actor for a day, force a refetch for a failing key at most
  // every five minutes) hold for serve and the CLI alike; blocked domains are never fetched.
  federation::ActorResolverSettings s;
  s.blocks = std::move(blocks);
  return s;
}

storage::DatabaseOptions database_options(const Config& config) {
  storage::DatabaseOptions options;
  options.path = config.storage.path.string();
  options.read_pool_size = static_cast<std::size_t>(config.storage.read_connections);
  options.log = [](std::string_view what) { spdlog::error("database: {}", what); };
  return options;
}

std::unique_ptr<storage::Database> open_database(const Config& config) {
  const auto& path = config.storage.path;
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) {
    throw std::runtime_error("storage.path: cannot create " + path.parent_path().string() + ": " +
                             ec.message());
  }
  auto db = storage::Database::open(database_options(config));
  if (!db) {
    throw std::runtime_error("cannot open the database " + path.string() + ": " +
                             db.error().message());
  }
  return std::move(*db);
}

server::services::AccountSettings account_settings(const Config& config) {
  return {config.instance.base_url, config.instance.handle_host()};
}

http::ServerSettings server_settings(const Config& config) {
  http::ServerSettings s;
  boost::system::error_code ec;
  asio::ip::make_address(config.http.listen_host, ec);
  if (ec) {
    // A host name ("localhost"): resolved once at start-up, the first address wins.
    asio::io_context resolver_context;
    asio::ip::tcp::resolver resolver(resolver_context);
    auto results = resolver.resolve(config.http.listen_host, "", ec);
    if (ec || results.empty()) {
      throw std::runtime_error("http.listen: cannot resolve \"" + config.http.listen_host +
                               "\": " + ec.message());
    }
    s.address = results.begin()->endpoint().address().to_string();
  } else {
    s.address = config.http.listen_host;
  }
  s.port = config.http.listen_port;
  if (config.http.tls()) {
    s.tls_cert_file = config.http.tls_cert->string();
    s.tls_key_file = config.http.tls_key->string();
  }
  s.header_limit = config.http.max_header_bytes;
  s.body_limit = config.http.max_body_bytes;
  s.read_timeout = std::chrono::seconds(config.http.read_timeout_seconds);
  s.write_timeout = std::chrono::seconds(config.http.write_timeout_seconds);
  s.idle_timeout = std::chrono::seconds(config.http.idle_timeout_seconds);
  s.shutdown_grace = std::chrono::seconds(config.http.shutdown_grace_seconds);
  s.max_connections = static_cast<std::size_t>(config.http.max_connections);
  s.max_connections_per_address =
      static_cast<std::size_t>(config.http.max_connections_per_address);
  s.request_timeout = std::chrono::seconds(config.http.request_timeout_seconds);
  s.trusted_proxies = config.http.trusted_proxies;
  s.default_host = config.instance.authority;
  return s;
}

}  // namespace civicpub::server
