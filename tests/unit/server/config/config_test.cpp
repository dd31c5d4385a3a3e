#include "server/config/config.hpp"
#include "tests/unit/test_paths.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

using civicpub::server::Config;
using civicpub::server::ConfigError;
using civicpub::server::LogLevel;
using civicpub::server::parse_config;

namespace {

const std::filesystem::path kBase = "/etc/civicpub";

Config parse(const std::string& text) {
  return parse_config(text, kBase);
}

// A minimal valid config plus `extra` (whole sections).
Config with(const std::string& extra) {
  return parse("[instance]\nbase_url = \"https://town.example\"\n" + extra);
}

// The message of the ConfigError `text` raises ("" when it parses).
std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

std::string error_with(const std::string& extra) {
  return error_of("[instance]\nbase_url = \"https://town.example\"\n" + extra);
}

}  // namespace

TEST_CASE("config: defaults apply to every key but base_url") {
  const Config c = with("");
  CHECK(c.instance.base_url == "https://town.example");
  CHECK(c.instance.scheme == "https");
  CHECK(c.instance.authority == "town.example");
  CHECK(c.instance.name == "civicpub");
  CHECK(c.instance.description.empty());
  CHECK(c.instance.admin_contact.empty());
  CHECK_FALSE(c.instance.handle_domain);
  CHECK(c.instance.handle_host() == "town.example");
  CHECK(c.http.listen_host == "127.0.0.1");
  CHECK(c.http.listen_port == 8080);
  CHECK_FALSE(c.http.tls());
  CHECK(c.http.trusted_proxies.empty());
  CHECK(c.http.max_header_bytes == 8192);
  CHECK(c.http.max_body_bytes == 1048576);
  CHECK(c.http.read_timeout_seconds == 30);
  CHECK(c.http.write_timeout_seconds == 30);
  CHECK(c.http.idle_timeout_seconds == 60);
  CHECK(c.http.max_connections == 1024);
  CHECK(c.http.shutdown_grace_seconds == 10);
  CHECK(c.http.threads == 0);
  CHECK(c.storage.path == kBase / "civicpub.db");
  CHECK(c.storage.read_connections == 4);
  CHECK(c.federation.allow_private_addresses.empty());
  CHECK_FALSE(c.federation.extra_ca_file);
  CHECK(c.federation.connect_timeout_seconds == 5);
  CHECK(c.federation.read_timeout_seconds == 10);
  CHECK(c.federation.delivery_max_attempts == 16);
  CHECK(c.federation.thread_depth_limit == 50);
  CHECK(c.federation.thread_fetch_budget == 100);
  CHECK(c.federation.blocked_domains.empty());
  CHECK(c.logging.level == LogLevel::info);
  CHECK(c.logging.access_log);
}

TEST_CASE("config: every key is read") {
  const Config c = parse(R"(
[instance]
base_url = "HTTP://Town.Example:8443/"
name = "Gemeente Voorbeeld"
description = "De gemeente"
admin_contact = "it@town.example"
handle_domain = "Example.org"
[http]
listen = "[::1]:9090"
tls_cert = "cert.pem"
tls_key = "/abs/key.pem"
trusted_proxies = ["127.0.0.1", "10.0.0.0/8", "::1/128"]
max_header_bytes = 16384
max_body_bytes = 2048
read_timeout_seconds = 1
write_timeout_seconds = 2
idle_timeout_seconds = 3
max_connections = 5
shutdown_grace_seconds = 6
threads = 2
[storage]
path = "../data/town.db"
read_connections = 2
[federation]
allow_private_addresses = ["127.0.0.0/8"]
extra_ca_file = "ca.pem"
connect_timeout_seconds = 7
read_timeout_seconds = 8
delivery_max_attempts = 3
deliveries_in_flight = 100
thread_depth_limit = 12
thread_fetch_budget = 0
blocked_domains = ["Spam.Example"]
[logging]
level = "debug"
access_log = false
)");
  CHECK(c.instance.base_url == "http://town.example:8443");
  CHECK(c.instance.authority == "town.example:8443");
  CHECK(c.instance.name == "Gemeente Voorbeeld");
  CHECK(c.instance.description == "De gemeente");
  CHECK(c.instance.admin_contact == "it@town.example");
  CHECK(c.instance.handle_host() == "example.org");
  CHECK(c.http.listen_host == "::1");
  CHECK(c.http.listen_port == 9090);
  CHECK(c.http.tls_cert == kBase / "cert.pem");
  CHECK(c.http.tls_key == std::filesystem::path("/abs/key.pem"));
  CHECK(c.http.trusted_proxies.size() == 3);
  CHECK(c.http.max_header_bytes == 16384);
  CHECK(c.http.max_body_bytes == 2048);
  CHECK(c.http.read_timeout_seconds == 1);
  CHECK(c.http.write_timeout_seconds == 2);
  CHECK(c.http.idle_timeout_seconds == 3);
  CHECK(c.http.max_connections == 5);
  CHECK(c.http.shutdown_grace_seconds == 6);
  CHECK(c.http.threads == 2);
  CHECK(c.storage.path == std::filesystem::path("/etc/data/town.db"));
  CHECK(c.storage.read_connections == 2);
  CHECK(c.federation.allow_private_addresses == std::vector<std::string>{"127.0.0.0/8"});
  CHECK(c.federation.extra_ca_file == kBase / "ca.pem");
  CHECK(c.federation.connect_timeout_seconds == 7);
  CHECK(c.federation.read_timeout_seconds == 8);
  CHECK(c.federation.deliveries_in_flight == 100);
  CHECK(c.federation.delivery_max_attempts == 3);
  CHECK(c.federation.thread_depth_limit == 12);
  CHECK(c.federation.thread_fetch_budget == 0);
  CHECK(c.federation.blocked_domains == std::vector<std::string>{"spam.example"});
  CHECK(c.logging.level == LogLevel::debug);
  CHECK_FALSE(c.logging.access_log);
}

TEST_CASE("config: instance.base_url is required and must be scheme://host[:port]") {
  CHECK(error_of("") == R"(instance.base_url: missing (required, e.g. "https://town.example"))");
  const std::string expected =
      "instance.base_url: expected an http(s) URL scheme://host[:port] "
      "without a path, got ";
  for (const char* bad :
       {"town.example", "ftp://town.example", "https://town.example/social",
        "https://town.example?x=1", "https://town.example#top", "https://user@town.example",
        "https://", "https://town.example:0", "https://town.example:99999"}) {
    INFO(bad);
    CHECK(error_of(std::string("[instance]\nbase_url = \"") + bad + "\"") ==
          expected + "\"" + bad + "\"");
  }
  CHECK(with("").instance.base_url == "https://town.example");
  CHECK(parse("[instance]\nbase_url = \"http://127.0.0.1:8080/\"").instance.base_url ==
        "http://127.0.0.1:8080");
  CHECK(parse("[instance]\nbase_url = \"http://[::1]:8080\"").instance.authority == "[::1]:8080");
}

TEST_CASE("config: instance.handle_domain must be a domain") {
  CHECK(error_with("handle_domain = \"not a domain\"") ==
        R"(instance.handle_domain: expected a domain name, got "not a domain")");
  CHECK(error_with("handle_domain = \"example.org:x\"") ==
        R"(instance.handle_domain: expected a domain name, got "example.org:x")");
  CHECK(with("handle_domain = \"example.org:8443\"").instance.handle_host() == "example.org:8443");
}

TEST_CASE("config: http.listen must be host:port") {
  for (const char* bad :
       {"8o80", "127.0.0.1:8o80", "127.0.0.1", ":8080", "127.0.0.1:0", "127.0.0.1:65536",
        "::1:8080", "[::1]8080", "[127.0.0.1]:80", "[nonsense]:80", "bad host:80"}) {
    INFO(bad);
    CHECK(error_with(std::string("[http]\nlisten = \"") + bad + "\"") ==
          std::string("http.listen: expected host:port, got \"") + bad + "\"");
  }
  const Config c = with("[http]\nlisten = \"localhost:1\"");
  CHECK(c.http.listen_host == "localhost");
  CHECK(c.http.listen_port == 1);
  CHECK(with("[http]\nlisten = \"0.0.0.0:65535\"").http.listen_port == 65535);
}

TEST_CASE("config: tls_cert and tls_key come together") {
  CHECK(error_with("[http]\ntls_cert = \"c.pem\"") ==
        "http.tls_key: missing: tls_cert and tls_key must be set together");
  CHECK(error_with("[http]\ntls_key = \"k.pem\"") ==
        "http.tls_cert: missing: tls_cert and tls_key must be set together");
  CHECK(error_with("[http]\ntls_cert = \"\"\ntls_key = \"k.pem\"") ==
        R"(http.tls_cert: expected a file path, got "")");
  CHECK(with("[http]\ntls_cert = \"c.pem\"\ntls_key = \"k.pem\"").http.tls());
}

TEST_CASE("config: address lists must hold addresses or CIDRs") {
  CHECK(error_with("[http]\ntrusted_proxies = [\"proxy.local\"]") ==
        R"(http.trusted_proxies: expected an IP address or CIDR, got "proxy.local")");
  CHECK(error_with("[http]\ntrusted_proxies = [\"10.0.0.0/33\"]") ==
        R"(http.trusted_proxies: expected an IP address or CIDR, got "10.0.0.0/33")");
  CHECK(error_with("[federation]\nallow_private_addresses = [\"::1/129\"]") ==
        R"(federation.allow_private_addresses: expected an IP address or CIDR, got "::1/129")");
  CHECK(error_with("[federation]\nallow_private_addresses = [\"127.0.0.0/\"]") ==
        R"(federation.allow_private_addresses: expected an IP address or CIDR, got "127.0.0.0/")");
  CHECK(error_with("[federation]\nblocked_domains = [\"bad domain\"]") ==
        R"(federation.blocked_domains: expected a domain name, got "bad domain")");
}

TEST_CASE("config: integers are range-checked") {
  CHECK(error_with("[http]\nmax_header_bytes = 10") ==
        "http.max_header_bytes: expected an integer from 1024 to 1048576, got 10");
  CHECK(error_with("[http]\nmax_body_bytes = 0") ==
        "http.max_body_bytes: expected an integer from 1024 to 1073741824, got 0");
  CHECK(error_with("[http]\nread_timeout_seconds = 0") ==
        "http.read_timeout_seconds: expected an integer from 1 to 86400, got 0");
  CHECK(error_with("[http]\nwrite_timeout_seconds = -1") ==
        "http.write_timeout_seconds: expected an integer from 1 to 86400, got -1");
  CHECK(error_with("[http]\nidle_timeout_seconds = 0").starts_with("http.idle_timeout_seconds:"));
  CHECK(
      error_with("[http]\nshutdown_grace_seconds = 0").starts_with("http.shutdown_grace_seconds:"));
  CHECK(error_with("[http]\nmax_connections = 0").starts_with("http.max_connections:"));
  CHECK(error_with("[http]\nthreads = -1") ==
        "http.threads: expected an integer from 0 to 1024, got -1");
  CHECK(error_with("[storage]\nread_connections = 0").starts_with("storage.read_connections:"));
  CHECK(error_with("[federation]\nconnect_timeout_seconds = 0")
            .starts_with("federation.connect_timeout_seconds:"));
  CHECK(error_with("[federation]\nread_timeout_seconds = 601")
            .starts_with("federation.read_timeout_seconds:"));
  CHECK(error_with("[federation]\ndelivery_max_attempts = 0")
            .starts_with("federation.delivery_max_attempts:"));
  CHECK(error_with("[federation]\ndeliveries_in_flight = 0") ==
        "federation.deliveries_in_flight: expected an integer from 1 to 1024, got 0");
  CHECK(error_with("[federation]\nthread_depth_limit = 0") ==
        "federation.thread_depth_limit: expected an integer from 1 to 1000, got 0");
  CHECK(error_with("[federation]\nthread_fetch_budget = -1") ==
        "federation.thread_fetch_budget: expected an integer from 0 to 100000, got -1");
}

TEST_CASE("config: wrong types name the expected type") {
  CHECK(error_with("[http]\nmax_body_bytes = \"1m\"") ==
        "http.max_body_bytes: expected an integer, got a string");
  CHECK(error_with("[http]\nlisten = 8080") == "http.listen: expected a string, got an integer");
  CHECK(error_with("[logging]\naccess_log = \"yes\"") ==
        "logging.access_log: expected a boolean, got a string");
  CHECK(error_with("[http]\ntrusted_proxies = \"127.0.0.1\"") ==
        "http.trusted_proxies: expected an array of strings, got a string");
  CHECK(error_with("[federation]\nblocked_domains = [1]") ==
        "federation.blocked_domains: expected an array of strings, got an integer");
  CHECK(error_with("[http]\nthreads = 1.5") == "http.threads: expected an integer, got a float");
  CHECK(error_of("http = 1\n[instance]\nbase_url = \"https://town.example\"") ==
        "http: expected a table, got an integer");
}

TEST_CASE("config: unknown keys and sections are errors naming the key") {
  CHECK(error_with("[http]\nlisen = \"127.0.0.1:8080\"") == "http.lisen: unknown key");
  CHECK(error_with("[instance.extra]\nx = 1") == "instance.extra: unknown key");
  CHECK(error_with("[limits]\nx = 1") == "limits: unknown key");
  CHECK(error_of("base_url = \"https://town.example\"") == "base_url: unknown key");
  CHECK(error_with("[storage]\npth = \"x.db\"") == "storage.pth: unknown key");
  CHECK(error_with("[federation]\nblocked = []") == "federation.blocked: unknown key");
  CHECK(error_with("[logging]\nlevl = \"info\"") == "logging.levl: unknown key");
}

TEST_CASE("config: logging.level is one of the five levels") {
  CHECK(error_with("[logging]\nlevel = \"verbose\"") ==
        R"(logging.level: expected one of trace|debug|info|warn|error, got "verbose")");
  CHECK(with("[logging]\nlevel = \"trace\"").logging.level == LogLevel::trace);
  CHECK(with("[logging]\nlevel = \"warn\"").logging.level == LogLevel::warn);
  CHECK(with("[logging]\nlevel = \"error\"").logging.level == LogLevel::error);
}

TEST_CASE("config: TOML syntax errors carry the position") {
  const std::string message = error_of("[instance\nbase_url = 1");
  CHECK(message.starts_with("config:1:"));
}

TEST_CASE("config: the example file loads and matches the defaults") {
  const auto file = std::filesystem::path(CIVICPUB_SOURCE_DIR) / "conf/civicpub.example.toml";
  const Config example = civicpub::server::load_config(file);
  const Config defaults = with("");
  CHECK(example.instance.base_url == "https://town.example");
  CHECK(example.storage.path == file.parent_path() / "civicpub.db");
  CHECK(example.http.listen_port == defaults.http.listen_port);
  CHECK(example.http.max_header_bytes == defaults.http.max_header_bytes);
  CHECK(example.http.max_body_bytes == defaults.http.max_body_bytes);
  CHECK(example.http.read_timeout_seconds == defaults.http.read_timeout_seconds);
  CHECK(example.http.write_timeout_seconds == defaults.http.write_timeout_seconds);
  CHECK(example.http.idle_timeout_seconds == defaults.http.idle_timeout_seconds);
  CHECK(example.http.max_connections == defaults.http.max_connections);
  CHECK(example.http.shutdown_grace_seconds == defaults.http.shutdown_grace_seconds);
  CHECK(example.http.threads == defaults.http.threads);
  CHECK(example.storage.read_connections == defaults.storage.read_connections);
  CHECK(example.federation.delivery_max_attempts == defaults.federation.delivery_max_attempts);
  CHECK(example.federation.thread_depth_limit == defaults.federation.thread_depth_limit);
  CHECK(example.federation.thread_fetch_budget == defaults.federation.thread_fetch_budget);
  CHECK(example.federation.connect_timeout_seconds == defaults.federation.connect_timeout_seconds);
  CHECK(example.federation.read_timeout_seconds == defaults.federation.read_timeout_seconds);
  CHECK(example.logging.level == defaults.logging.level);
  CHECK(example.logging.access_log == defaults.logging.access_log);
}

TEST_CASE("config: a missing file is a one-line error") {
  CHECK_THROWS_WITH(civicpub::server::load_config("/nonexistent/civicpub.toml"),
                    "/nonexistent/civicpub.toml: cannot read the config file");
}
