#include "tests/unit/support/catch_result.hpp"
#include "federation/remote/domain_blocks.hpp"

#include <catch2/catch.hpp>

using namespace civicpub::federation;

namespace {

DomainRule rule(const char* pattern) {
  auto parsed = parse_domain_rule(pattern);
  REQUIRE(parsed);
  return *parsed;
}

}  // namespace

TEST_CASE("domain rules: the three forms parse to their canonical pattern") {
  CHECK(rule("Spam.Example") == DomainRule{"spam.example", std::nullopt, false});
  CHECK(rule("127.0.0.1:9000") == DomainRule{"127.0.0.1", 9000, false});
  CHECK(rule("*.spam.example") == DomainRule{"spam.example", std::nullopt, true});
  CHECK(rule("[::1]:8080") == DomainRule{"::1", 8080, false});
  CHECK(rule("[::1]") == DomainRule{"::1", std::nullopt, false});
  CHECK(to_pattern(rule("SPAM.example")) == "spam.example");
  CHECK(to_pattern(rule("127.0.0.1:9000")) == "127.0.0.1:9000");
  CHECK(to_pattern(rule("*.Spam.Example")) == "*.spam.example");
  CHECK(to_pattern(rule("[::1]:8080")) == "[::1]:8080");
}

TEST_CASE("domain rules: anything else is refused") {
  for (const char* bad :
       {"", "*.", "*.*.example", "https://spam.example", "spam.example/x", "spam example",
        "spam..example", ".spam.example", "spam.example.", "host:", "host:0", "host:65536",
        "host:80x", "*.spam.example:443", "[::1", "[::1]x", "[zz::1]", "user@host", "*.[::1]"}) {
    INFO(bad);
    CHECK_FALSE(parse_domain_rule(bad));
  }
}

TEST_CASE("domain rules: a port blocks that authority only, a bare host every port") {
  const auto port = rule("127.0.0.1:9000");
  CHECK(rule_covers_url(port, "http://127.0.0.1:9000/users/a"));
  CHECK_FALSE(rule_covers_url(port, "http://127.0.0.1:9001/users/a"));
  CHECK_FALSE(rule_covers_url(port, "http://127.0.0.2:9000/users/a"));
  const auto host = rule("127.0.0.1");
  CHECK(rule_covers_url(host, "http://127.0.0.1:9000/users/a"));
  CHECK(rule_covers_url(host, "http://127.0.0.1:9001/users/a"));
  CHECK(rule_covers_url(host, "https://127.0.0.1/users/a"));
  // The default port counts: example.com:443 covers https://example.com/.
  CHECK(rule_covers_url(rule("example.com:443"), "https://example.com/x"));
  CHECK_FALSE(rule_covers_url(rule("example.com:443"), "http://example.com/x"));
}

TEST_CASE("domain rules: subdomains only with a leading *.") {
  const auto bare = rule("spam.example");
  CHECK(rule_covers_url(bare, "https://spam.example/x"));
  CHECK_FALSE(rule_covers_url(bare, "https://a.spam.example/x"));
  const auto wild = rule("*.spam.example");
  CHECK(rule_covers_url(wild, "https://spam.example/x"));
  CHECK(rule_covers_url(wild, "https://a.spam.example:8443/x"));
  CHECK(rule_covers_url(wild, "https://deep.a.spam.example/x"));
  CHECK_FALSE(rule_covers_url(wild, "https://notspam.example/x"));
  CHECK_FALSE(rule_covers_url(wild, "https://spam.example.org/x"));
  CHECK_FALSE(rule_covers_url(wild, "not a url"));
  CHECK_FALSE(rule_covers_url(wild, "ftp://spam.example/x"));
}

TEST_CASE("block list: config rules always apply, stored rules and suspensions are replaced") {
  BlockList blocks({config_domain_rule("Config.Example")});
  CHECK(blocks.blocks_url("https://sub.config.example/x"));
  CHECK_FALSE(blocks.blocks_url("http://127.0.0.1:9000/x"));
  CHECK(blocks.check_actor("https://remote.example/users/eve") == Blocked::no);

  blocks.update({rule("127.0.0.1:9000")}, {"https://remote.example/users/eve"});
  CHECK(blocks.blocks_url("http://127.0.0.1:9000/x"));
  CHECK_FALSE(blocks.blocks_url("http://127.0.0.1:9001/x"));
  CHECK(blocks.check_actor("http://127.0.0.1:9000/users/a#main-key") == Blocked::domain);
  CHECK(blocks.check_actor("https://remote.example/users/eve#main-key") == Blocked::actor);
  CHECK(blocks.check_actor("https://remote.example/users/eve") == Blocked::actor);
  CHECK(blocks.check_actor("https://remote.example/users/eva") == Blocked::no);
  CHECK(blocks.check_actor("https://config.example/users/a") == Blocked::domain);

  blocks.update({}, {});
  CHECK_FALSE(blocks.blocks_url("http://127.0.0.1:9000/x"));
  CHECK(blocks.check_actor("https://remote.example/users/eve") == Blocked::no);
  CHECK(blocks.blocks_url("https://config.example/x"));
}
