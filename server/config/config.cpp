#include "server/config/config.hpp"

#include "server/config/config_reader.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <sstream>

namespace civicpub::server {

using config_detail::fail;
using config_detail::fail_value;
using config_detail::SectionReader;

namespace {

constexpr std::array<std::string_view, 5> kSections = {"instance", "http", "storage", "federation",
                                                       "logging"};
constexpr std::int64_t kMaxSeconds = 24 * 3600;

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::optional<std::uint16_t> parse_port(std::string_view text) {
  unsigned value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value == 0 || value > 65535) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(value);
}

// A DNS name as operators write it: letters, digits, '-' and '.', no empty labels.
bool is_domain_name(std::string_view text) {
  if (text.empty() || text.size() > 253 || text.front() == '.' || text.back() == '.') return false;
  if (text.find("..") != std::string_view::npos) return false;
  return std::all_of(text.begin(), text.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '.'; });
}

bool is_ip_address(std::string_view text) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(std::string(text), ec);
  return !ec;
}

// "host:port" or "[v6]:port"; the host is an IP literal or a name.
void parse_listen(const std::string& key, const std::string& text, HttpConfig& http) {
  std::string_view host;
  std::string_view port;
  const std::string_view view(text);
  if (view.starts_with('[')) {
    const auto close = view.find("]:");
    if (close == std::string_view::npos) fail_value(key, "host:port", text);
    host = view.substr(1, close - 1);
    port = view.substr(close + 2);
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(std::string(host), ec);
    if (ec || !address.is_v6()) fail_value(key, "host:port", text);
  } else {
    const auto colon = view.rfind(':');
    if (colon == std::string_view::npos) fail_value(key, "host:port", text);
    host = view.substr(0, colon);
    port = view.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) fail_value(key, "host:port", text);
    if (!is_ip_address(host) && !is_domain_name(host)) fail_value(key, "host:port", text);
  }
  const auto parsed_port = parse_port(port);
  if (!parsed_port || host.empty()) fail_value(key, "host:port", text);
  http.listen_host = std::string(host);
  http.listen_port = *parsed_port;
}

// scheme://host[:port]: every actor id is derived from it, so nothing else is allowed.
void parse_base_url(const std::string& key, const std::string& text, InstanceConfig& instance) {
  constexpr std::string_view kExpected = "an http(s) URL scheme://host[:port] without a path";
  const auto url = boost::urls::parse_absolute_uri(text);
  if (!url) fail_value(key, kExpected, text);
  const std::string scheme = lowercase(url->scheme());
  const std::string_view path = url->encoded_path();
  if ((scheme != "http" && scheme != "https") || url->encoded_host().empty() ||
      url->has_userinfo() || url->has_query() || url->has_fragment() ||
      !(path.empty() || path == "/")) {
    fail_value(key, kExpected, text);
  }
  if (url->has_port() && !parse_port(url->port())) fail_value(key, kExpected, text);
  instance.scheme = scheme;
  instance.authority = lowercase(url->encoded_host_and_port());
  instance.base_url = scheme + "://" + instance.authority;
}

// "10.0.0.0/8", "::1/128" or a single address.
void check_cidr(const std::string& key, const std::string& text) {
  const auto slash = text.find('/');
  const std::string address = text.substr(0, slash);
  boost::system::error_code ec;
  const auto parsed = boost::asio::ip::make_address(address, ec);
  if (ec) fail_value(key, "an IP address or CIDR", text);
  if (slash != std::string::npos) {
    const std::string_view prefix = std::string_view(text).substr(slash + 1);
    unsigned bits = 0;
    const auto [ptr, perr] = std::from_chars(prefix.data(), prefix.data() + prefix.size(), bits);
    const unsigned max_bits = parsed.is_v4() ? 32 : 128;
    if (prefix.empty() || perr != std::errc() || ptr != prefix.data() + prefix.size() ||
        bits > max_bits) {
      fail_value(key, "an IP address or CIDR", text);
    }
  }
}

std::vector<std::string> cidr_list(SectionReader& section, std::string_view name) {
  auto list = section.string_list(name).value_or(std::vector<std::string>{});
  for (const auto& item : list) check_cidr(section.key_name(name), item);
  return list;
}

std::optional<std::filesystem::path> path_value(SectionReader& section, std::string_view name,
                                                const std::filesystem::path& base_dir) {
  const auto value = section.string(name);
  if (!value) return std::nullopt;
  if (value->empty()) fail(section.key_name(name), "expected a file path, got \"\"");
  return (base_dir / *value).lexically_normal();  // an absolute value replaces base_dir
}

void read_instance(SectionReader section, InstanceConfig& instance) {
  const auto base_url = section.string("base_url");
  if (!base_url) fail("instance.base_url", "missing (required, e.g. \"https://town.example\")");
  parse_base_url("instance.base_url", *base_url, instance);
  instance.name = section.string("name").value_or(instance.name);
  instance.description = section.string("description").value_or("");
  instance.admin_contact = section.string("admin_contact").value_or("");
  if (auto domain = section.string("handle_domain")) {
    std::string host = lowercase(*domain);
    const auto colon = host.rfind(':');
    const bool port_ok = colon == std::string::npos || parse_port(host.substr(colon + 1));
    if (!port_ok || !is_domain_name(host.substr(0, colon))) {
      fail_value("instance.handle_domain", "a domain name", *domain);
    }
    instance.handle_domain = std::move(host);
  }
  section.reject_unknown();
}

void read_http(SectionReader section, const std::filesystem::path& base_dir, HttpConfig& http) {
  if (auto listen = section.string("listen")) parse_listen("http.listen", *listen, http);
  http.tls_cert = path_value(section, "tls_cert", base_dir);
  http.tls_key = path_value(section, "tls_key", base_dir);
  if (http.tls_cert.has_value() != http.tls_key.has_value()) {
    fail(http.tls_cert ? "http.tls_key" : "http.tls_cert",
         "missing: tls_cert and tls_key must be set together");
  }
  http.trusted_proxies = cidr_list(section, "trusted_proxies");
  http.max_header_bytes =
      static_cast<std::size_t>(section.integer_in("max_header_bytes", 1024, 1 << 20, 8192));
  http.max_body_bytes =
      static_cast<std::size_t>(section.integer_in("max_body_bytes", 1024, 1LL << 30, 1048576));
  auto seconds = [&](std::string_view name, int fallback) {
    return static_cast<int>(section.integer_in(name, 1, kMaxSeconds, fallback));
  };
  http.read_timeout_seconds = seconds("read_timeout_seconds", http.read_timeout_seconds);
  http.write_timeout_seconds = seconds("write_timeout_seconds", http.write_timeout_seconds);
  http.idle_timeout_seconds = seconds("idle_timeout_seconds", http.idle_timeout_seconds);
  http.shutdown_grace_seconds = seconds("shutdown_grace_seconds", http.shutdown_grace_seconds);
  http.max_connections =
      static_cast<int>(section.integer_in("max_connections", 1, 1'000'000, http.max_connections));
  http.max_connections_per_address = static_cast<int>(section.integer_in(
      "max_connections_per_address", 0, 1'000'000, http.max_connections_per_address));
  http.request_timeout_seconds = seconds("request_timeout_seconds", http.request_timeout_seconds);
  http.threads = static_cast<int>(section.integer_in("threads", 0, 1024, http.threads));
  section.reject_unknown();
}

void read_storage(SectionReader section, const std::filesystem::path& base_dir,
                  StorageConfig& storage) {
  storage.path = path_value(section, "path", base_dir)
                     .value_or((base_dir / kDefaultStorageFile).lexically_normal());
  storage.read_connections =
      static_cast<int>(section.integer_in("read_connections", 1, 64, storage.read_connections));
  section.reject_unknown();
}

void read_federation(SectionReader section, const std::filesystem::path& base_dir,
                     FederationConfig& federation) {
  federation.allow_private_addresses = cidr_list(section, "allow_private_addresses");
  federation.extra_ca_file = path_value(section, "extra_ca_file", base_dir);
  federation.connect_timeout_seconds = static_cast<int>(
      section.integer_in("connect_timeout_seconds", 1, 600, federation.connect_timeout_seconds));
  federation.read_timeout_seconds = static_cast<int>(
      section.integer_in("read_timeout_seconds", 1, 600, federation.read_timeout_seconds));
  federation.delivery_max_attempts = static_cast<int>(
      section.integer_in("delivery_max_attempts", 1, 100, federation.delivery_max_attempts));
  federation.deliveries_in_flight = static_cast<int>(
      section.integer_in("deliveries_in_flight", 1, 1024, federation.deliveries_in_flight));
  federation.thread_depth_limit = static_cast<int>(
      section.integer_in("thread_depth_limit", 1, 1000, federation.thread_depth_limit));
  federation.thread_fetch_budget = static_cast<int>(
      section.integer_in("thread_fetch_budget", 0, 100000, federation.thread_fetch_budget));
  federation.backfill_interval_minutes = static_cast<int>(section.integer_in(
      "backfill_interval_minutes", 0, 10080, federation.backfill_interval_minutes));
  federation.poll_update_interval_seconds = static_cast<int>(section.integer_in(
      "poll_update_interval_seconds", 1, 86400, federation.poll_update_interval_seconds));
  federation.backfill_active_days = static_cast<int>(
      section.integer_in("backfill_active_days", 1, 365, federation.backfill_active_days));
  auto integer = [&](std::string_view name, long long low, long long high, int fallback) {
    return static_cast<int>(section.integer_in(name, low, high, fallback));
  };
  federation.fetch_timeout_seconds =
      integer("fetch_timeout_seconds", 1, 600, federation.fetch_timeout_seconds);
  federation.fetches_per_host = integer("fetches_per_host", 1, 1000, federation.fetches_per_host);
  federation.host_backoff_seconds =
      integer("host_backoff_seconds", 0, 86400, federation.host_backoff_seconds);
  federation.fetch_failure_cache_seconds =
      integer("fetch_failure_cache_seconds", 0, 86400, federation.fetch_failure_cache_seconds);
  federation.host_fetch_budget =
      integer("host_fetch_budget", 0, 10'000'000, federation.host_fetch_budget);
  federation.inbox_item_timeout_seconds =
      integer("inbox_item_timeout_seconds", 1, 3600, federation.inbox_item_timeout_seconds);
  federation.inbox_pending_per_actor =
      integer("inbox_pending_per_actor", 1, 10'000'000, federation.inbox_pending_per_actor);
  federation.inbox_pending_per_host =
      integer("inbox_pending_per_host", 1, 10'000'000, federation.inbox_pending_per_host);
  federation.keep_processed_days =
      integer("keep_processed_days", 1, 3650, federation.keep_processed_days);
  for (auto domain : section.string_list("blocked_domains").value_or(std::vector<std::string>{})) {
    if (!is_domain_name(domain)) {
      fail_value("federation.blocked_domains", "a domain name", domain);
    }
    federation.blocked_domains.push_back(lowercase(domain));
  }
  section.reject_unknown();
}

void read_logging(SectionReader section, LoggingConfig& logging) {
  if (auto level = section.string("level")) {
    constexpr std::array kLevels = {LogLevel::trace, LogLevel::debug, LogLevel::info,
                                    LogLevel::warn, LogLevel::error};
    const auto found = std::find_if(kLevels.begin(), kLevels.end(),
                                    [&](LogLevel l) { return to_string(l) == *level; });
    if (found == kLevels.end()) {
      fail_value("logging.level", "one of trace|debug|info|warn|error", *level);
    }
    logging.level = *found;
  }
  logging.access_log = section.boolean("access_log").value_or(logging.access_log);
  section.reject_unknown();
}

const toml::table* section_table(const toml::table& root, std::string_view name) {
  const toml::node* node = root.get(name);
  if (!node) return nullptr;
  if (const auto* table = node->as_table()) return table;
  fail(name, "expected a table, got " + std::string(config_detail::describe(node->type())));
}

}  // namespace

std::string_view to_string(LogLevel level) {
  switch (level) {
    case LogLevel::trace: return "trace";
    case LogLevel::debug: return "debug";
    case LogLevel::info: return "info";
    case LogLevel::warn: return "warn";
    case LogLevel::error: return "error";
  }
  return "info";
}

Config parse_config(std::string_view toml_text, const std::filesystem::path& base_dir,
                    std::string_view source_name) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& e) {
    const auto& begin = e.source().begin;
    throw ConfigError(std::string(source_name) + ":" + std::to_string(begin.line) + ":" +
                      std::to_string(begin.column) + ": " + std::string(e.description()));
  }
  for (const auto& [key, value] : root) {
    if (std::find(kSections.begin(), kSections.end(), key.str()) == kSections.end()) {
      fail(key.str(), "unknown key");
    }
  }
  Config config;
  read_instance(SectionReader(section_table(root, "instance"), "instance"), config.instance);
  read_http(SectionReader(section_table(root, "http"), "http"), base_dir, config.http);
  read_storage(SectionReader(section_table(root, "storage"), "storage"), base_dir, config.storage);
  read_federation(SectionReader(section_table(root, "federation"), "federation"), base_dir,
                  config.federation);
  read_logging(SectionReader(section_table(root, "logging"), "logging"), config.logging);
  return config;
}

Config load_config(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ConfigError(file.string() + ": cannot read the config file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw ConfigError(file.string() + ": cannot read the config file");
  const auto absolute = std::filesystem::absolute(file);
  return parse_config(text.str(), absolute.parent_path(), file.string());
}

}  // namespace civicpub::server
