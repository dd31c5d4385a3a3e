#include "server/routes/profile_params.hpp"

#include <algorithm>
#include <array>

namespace civicpub::server::routes {
namespace {

constexpr std::size_t kMaxFields = 4;  // Mastodon's default
constexpr std::size_t kMaxFieldLength = 255;

std::size_t utf8_length(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  }));
}

// Letters, digits and '-', 2 to 16 characters ("en", "nl-BE"), as a language tag looks.
bool language_tag(std::string_view tag) {
  if (tag.size() < 2 || tag.size() > 16) return false;
  return std::all_of(tag.begin(), tag.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// fields_attributes[i][name] and [value] for i = 0..3; nullopt when none was sent.
std::optional<std::vector<std::pair<std::string, std::string>>> fields_of(const Params& params,
                                                                          std::string& error) {
  std::optional<std::vector<std::pair<std::string, std::string>>> out;
  for (std::size_t i = 0; i < kMaxFields; ++i) {
    const std::string prefix = "fields_attributes[" + std::to_string(i) + "]";
    auto name = params.get(prefix + "[name]");
    auto value = params.get(prefix + "[value]");
    if (!name && !value) continue;
    if (!out) out.emplace();
    if (utf8_length(name.value_or("")) > kMaxFieldLength ||
        utf8_length(value.value_or("")) > kMaxFieldLength) {
      error = "Validation failed: Fields are too long (maximum is 255 characters)";
      return std::nullopt;
    }
    if (name.value_or("").empty() && value.value_or("").empty()) continue;
    out->emplace_back(name.value_or(""), value.value_or(""));
  }
  // An app clearing every field sends an empty fields_attributes (Mastodon.py: "").
  if (!out && params.get("fields_attributes")) out.emplace();
  return out;
}

}  // namespace

std::variant<services::ProfileChange, std::string> profile_change(const Params& params) {
  services::ProfileChange change;
  change.display_name = params.get("display_name");
  change.summary = params.get("note");
  if (params.get("locked")) change.manually_approves_followers = params.flag("locked");
  if (params.get("bot")) change.bot = params.flag("bot");
  if (params.get("discoverable")) change.discoverable = params.flag("discoverable");
  if (change.display_name && utf8_length(*change.display_name) > 30) {
    return std::string("Validation failed: Display name is too long (maximum is 30 characters)");
  }
  if (change.summary && utf8_length(*change.summary) > 500) {
    return std::string("Validation failed: Note is too long (maximum is 500 characters)");
  }
  std::string error;
  change.fields = fields_of(params, error);
  if (!error.empty()) return error;
  if (auto privacy = params.get("source[privacy]")) {
    static constexpr std::array<std::string_view, 4> kPrivacies = {"public", "unlisted", "private",
                                                                   "direct"};
    if (std::find(kPrivacies.begin(), kPrivacies.end(), *privacy) == kPrivacies.end()) {
      return std::string("Validation failed: Posting privacy is not included in the list");
    }
    change.privacy = std::move(*privacy);
  }
  if (params.get("source[sensitive]")) change.sensitive = params.flag("source[sensitive]");
  if (auto language = params.get("source[language]")) {
    if (!language->empty() && !language_tag(*language)) {
      return std::string("Validation failed: Language is not a language");
    }
    change.language = std::move(*language);
  }
  return change;
}

}  // namespace civicpub::server::routes
