#include "server/config/config_reader.hpp"

#include "server/config/config.hpp"

namespace civicpub::server::config_detail {

std::string_view describe(toml::node_type type) {
  switch (type) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::none: break;
  }
  return "nothing";
}

void fail(std::string_view key, std::string_view reason) {
  throw ConfigError(std::string(key) + ": " + std::string(reason));
}

void fail_value(std::string_view key, std::string_view what, std::string_view value) {
  fail(key, "expected " + std::string(what) + ", got \"" + std::string(value) + "\"");
}

SectionReader::SectionReader(const toml::table* table, std::string section)
    : table_(table), section_(std::move(section)) {}

const toml::node* SectionReader::node(std::string_view key) {
  known_.emplace(key);
  return table_ ? table_->get(key) : nullptr;
}

namespace {

[[noreturn]] void wrong_type(const std::string& key, std::string_view expected,
                             const toml::node& got) {
  fail(key, "expected " + std::string(expected) + ", got " + std::string(describe(got.type())));
}

}  // namespace

std::optional<std::string> SectionReader::string(std::string_view key) {
  const toml::node* n = node(key);
  if (!n) return std::nullopt;
  if (const auto* s = n->as_string()) return s->get();
  wrong_type(key_name(key), "a string", *n);
}

std::optional<std::int64_t> SectionReader::integer(std::string_view key) {
  const toml::node* n = node(key);
  if (!n) return std::nullopt;
  if (const auto* i = n->as_integer()) return i->get();
  wrong_type(key_name(key), "an integer", *n);
}

std::optional<bool> SectionReader::boolean(std::string_view key) {
  const toml::node* n = node(key);
  if (!n) return std::nullopt;
  if (const auto* b = n->as_boolean()) return b->get();
  wrong_type(key_name(key), "a boolean", *n);
}

std::optional<std::vector<std::string>> SectionReader::string_list(std::string_view key) {
  const toml::node* n = node(key);
  if (!n) return std::nullopt;
  const auto* array = n->as_array();
  if (!array) wrong_type(key_name(key), "an array of strings", *n);
  std::vector<std::string> out;
  for (const toml::node& item : *array) {
    const auto* s = item.as_string();
    if (!s) wrong_type(key_name(key), "an array of strings", item);
    out.push_back(s->get());
  }
  return out;
}

std::int64_t SectionReader::integer_in(std::string_view key, std::int64_t min, std::int64_t max,
                                       std::int64_t fallback) {
  const auto value = integer(key);
  if (!value) return fallback;
  if (*value < min || *value > max) {
    fail(key_name(key), "expected an integer from " + std::to_string(min) + " to " +
                            std::to_string(max) + ", got " + std::to_string(*value));
  }
  return *value;
}

void SectionReader::reject_unknown() const {
  if (!table_) return;
  for (const auto& [key, value] : *table_) {
    if (!known_.contains(key.str())) fail(key_name(key.str()), "unknown key");
  }
}

}  // namespace civicpub::server::config_detail
