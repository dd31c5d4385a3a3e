#include "federation/as2/vote.hpp"

#include "federation/as2/reader.hpp"

#include <cctype>

namespace civicpub::federation::as2 {

bool is_empty_content(std::string_view html) {
  std::size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    if (c != '<') return false;
    const auto end = html.find('>', i);
    if (end == std::string_view::npos) return false;
    std::string tag;
    for (std::size_t j = i + 1; j < end; ++j) {
      const char t = html[j];
      if (t == '/' || std::isspace(static_cast<unsigned char>(t))) continue;
      tag += static_cast<char>(std::tolower(static_cast<unsigned char>(t)));
    }
    // Only the markup of an empty line or paragraph; any other element is content (an image).
    if (tag != "br" && tag != "p") return false;
    i = end + 1;
  }
  return true;
}

std::optional<VoteShape> read_vote(const rapidjson::Value& object) {
  if (!object.IsObject() || !has_type(object, "Note")) return std::nullopt;
  const auto* name = find_member(object, "name");
  if (name == nullptr) return std::nullopt;
  auto option = string_or_first(*name);
  if (!option || option->empty()) return std::nullopt;
  auto question = member_id(object, "inReplyTo");
  if (!question || question->empty()) return std::nullopt;
  if (auto content = content_of(object); content && !is_empty_content(*content)) {
    return std::nullopt;
  }
  VoteShape vote;
  vote.id = member_id(object, "id").value_or("");
  vote.option = std::move(*option);
  vote.question = std::move(*question);
  vote.attributed_to = author_of(object).value_or("");
  return vote;
}

}  // namespace civicpub::federation::as2
