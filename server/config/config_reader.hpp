// Typed, strict access to one [section] of the TOML config: every value read is remembered, so
// whatever is left over is an unknown key and reported by name (a typo must not be ignored).
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::server::config_detail {

// "a string", "an integer", ... for error messages.
std::string_view describe(toml::node_type type);

// Throws ConfigError(`key: reason`).
[[noreturn]] void fail(std::string_view key, std::string_view reason);

// `expected <what>, got "<value>"`: the message shape operators see for a bad value.
[[noreturn]] void fail_value(std::string_view key, std::string_view what, std::string_view value);

class SectionReader {
 public:
  // `table` may be null (the section is absent: every key takes its default).
  SectionReader(const toml::table* table, std::string section);

  std::optional<std::string> string(std::string_view key);
  std::optional<std::int64_t> integer(std::string_view key);
  std::optional<bool> boolean(std::string_view key);
  std::optional<std::vector<std::string>> string_list(std::string_view key);

  // An integer within [min, max], or `fallback` when absent.
  std::int64_t integer_in(std::string_view key, std::int64_t min, std::int64_t max,
                          std::int64_t fallback);

  // Errors on the first key of the section that was never asked for.
  void reject_unknown() const;

  std::string key_name(std::string_view key) const { return section_ + "." + std::string(key); }

 private:
  const toml::node* node(std::string_view key);

  const toml::table* table_;
  std::string section_;
  std::set<std::string, std::less<>> known_;
};

}  // namespace civicpub::server::config_detail
