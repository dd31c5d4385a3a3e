// The request headers as a plain list, filled by the server from a Beast message or by a test.
// Lookup is case-insensitive; a repeated header reads as its values joined by ", " (RFC 9110
// section 5.3), which is what both signature drafts sign.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace civicpub::federation::signatures {

class HeaderList {
 public:
  using Entry = std::pair<std::string, std::string>;  // name as given, value

  HeaderList() = default;
  HeaderList(std::initializer_list<Entry> entries) : entries_(entries) {}

  void add(std::string_view name, std::string_view value);
  // Replaces every value of `name` with this one.
  void set(std::string_view name, std::string_view value);
  void remove(std::string_view name);

  bool contains(std::string_view name) const;
  std::optional<std::string> find(std::string_view name) const;

  const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::vector<Entry> entries_;
};

// ASCII lowercase, for header names and algorithm tokens.
std::string to_lower(std::string_view text);
bool iequals(std::string_view a, std::string_view b);

}  // namespace civicpub::federation::signatures
