// The one TOML configuration file (conf/civicpub.example.toml documents every key). Parsing is
// strict: an unknown key, a wrong type or an invalid value is an error that names the key, so a
// typo in a town's config never silently falls back to a default.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::server {

// A configuration problem, as one line: `http.listen: expected host:port, got "8o80"`.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class LogLevel { trace, debug, info, warn, error };

struct InstanceConfig {
  std::string base_url;   // normalized: scheme://host[:port], no trailing slash
  std::string scheme;     // "http" or "https"
  std::string authority;  // host[:port] as in base_url (lowercase): the server's own domain
  std::string name = "civicpub";
  std::string description;
  std::string admin_contact;
  std::optional<std::string> handle_domain;  // handles @name@handle_domain instead of authority

  // The domain in @user@domain handles: handle_domain when set, else the base URL's authority.
  const std::string& handle_host() const { return handle_domain ? *handle_domain : authority; }
};

struct HttpConfig {
  std::string listen_host = "127.0.0.1";  // without brackets, also for IPv6
  std::uint16_t listen_port = 8080;
  std::optional<std::filesystem::path> tls_cert;  // both or neither
  std::optional<std::filesystem::path> tls_key;
  std::vector<std::string> trusted_proxies;  // addresses or CIDRs, validated
  std::size_t max_header_bytes = 8192;
  std::size_t max_body_bytes = 1048576;
  int read_timeout_seconds = 30;
  int write_timeout_seconds = 30;
  int idle_timeout_seconds = 60;
  int max_connections = 1024;
  int max_connections_per_address = 64;  // 0: no per-address share
  int request_timeout_seconds = 30;      // handling one request, its fetches included
  int shutdown_grace_seconds = 10;
  int threads = 0;  // 0: one per core

  bool tls() const { return tls_cert.has_value(); }
};

struct StorageConfig {
  std::filesystem::path path;  // absolute (relative values resolve against the config's directory)
  int read_connections = 4;
};

struct FederationConfig {
  std::vector<std::string> allow_private_addresses;  // CIDRs, validated
  std::optional<std::filesystem::path> extra_ca_file;
  int connect_timeout_seconds = 5;  // INTEROP.md section 3
  int read_timeout_seconds = 10;
  int delivery_max_attempts = 16;            // Mastodon's delivery_worker.rb tries 16 times
  int deliveries_in_flight = 64;             // deliveries sent at once, to all hosts together
  int thread_depth_limit = 50;               // ancestors fetched above a reply, at most
  int thread_fetch_budget = 100;             // remote fetches per thread per 24 hours
  int backfill_interval_minutes = 60;        // backfill active remote threads; 0: never
  int backfill_active_days = 7;              // "active": a post in the thread this recently
  std::vector<std::string> blocked_domains;  // lowercase hosts
  int fetch_timeout_seconds = 15;            // one remote fetch, redirects included
  int fetches_per_host = 4;                  // remote fetches in flight per host
  int host_backoff_seconds = 60;             // a host failing 3 times in a row is left alone
  int fetch_failure_cache_seconds = 120;     // a failed URL is not fetched again meanwhile
  int host_fetch_budget = 2000;              // thread fetches per remote host per 24 hours
  int inbox_item_timeout_seconds = 30;       // processing one inbox item
  int inbox_pending_per_actor = 200;         // unprocessed inbox items per actor
  int inbox_pending_per_host = 2000;         // unprocessed inbox items per actor host
  int keep_processed_days = 7;               // processed inbox items and finished deliveries
  int poll_update_interval_seconds = 30;     // at most one Update(Question) per consultation per
};

struct LoggingConfig {
  LogLevel level = LogLevel::info;
  bool access_log = true;
};

struct Config {
  InstanceConfig instance;
  HttpConfig http;
  StorageConfig storage;
  FederationConfig federation;
  LoggingConfig logging;
};

// The default storage file name, next to the config file.
inline constexpr std::string_view kDefaultStorageFile = "civicpub.db";

// Parses TOML text. Relative paths resolve against `base_dir` (the config file's directory).
// Throws ConfigError with a one-line `key: reason` message.
Config parse_config(std::string_view toml_text, const std::filesystem::path& base_dir,
                    std::string_view source_name = "config");

// Reads and parses a file. Throws ConfigError (also when the file cannot be read).
Config load_config(const std::filesystem::path& file);

std::string_view to_string(LogLevel level);

}  // namespace civicpub::server
