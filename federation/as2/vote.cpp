#include "federation/as2/vote.hpp"

#include "federation/as2/json.hpp"
#include "federation/as2/reader.hpp"
#include "federation/as2/time_format.hpp"

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

std::optional<RemotePoll> read_remote_poll(const rapidjson::Value& question, std::int64_t now) {
  if (!question.IsObject()) return std::nullopt;
  RemotePoll poll;
  const auto* choices = find_member(question, "oneOf");
  if (choices == nullptr || !choices->IsArray()) {
    choices = find_member(question, "anyOf");
    poll.multiple = true;
  }
  if (choices == nullptr || !choices->IsArray()) return std::nullopt;
  for (const auto& option : choices->GetArray()) {
    const auto* name = find_member(option, "name");
    if (name == nullptr || !name->IsString()) continue;
    std::int64_t count = 0;
    if (const auto* replies = find_member(option, "replies")) {
      if (const auto* total = find_member(*replies, "totalItems");
          total != nullptr && total->IsInt64()) {
        count = total->GetInt64();
      }
    }
    poll.options.emplace_back(name->GetString(), name->GetStringLength());
    poll.counts.push_back(count);
  }
  if (poll.options.empty()) return std::nullopt;
  const auto* closed = find_member(question, "closed");
  if (closed != nullptr && !closed->IsNull() && !(closed->IsBool() && !closed->GetBool())) {
    poll.closed = true;
  }
  if (closed != nullptr && closed->IsString()) {
    auto at = parse_iso8601(std::string_view(closed->GetString(), closed->GetStringLength()));
    if (at) poll.ends_at = *at;
  }
  if (const auto* end = find_member(question, "endTime"); end != nullptr && end->IsString()) {
    auto at = parse_iso8601(std::string_view(end->GetString(), end->GetStringLength()));
    if (at && *at <= now) poll.closed = true;
    if (at) poll.ends_at = *at;
  }
  if (const auto* voters = find_member(question, "votersCount");
      voters != nullptr && voters->IsInt64() && voters->GetInt64() >= 0) {
    poll.voters_count = voters->GetInt64();
  }
  return poll;
}

std::string render_vote(const std::string& id, const std::string& actor,
                        const std::string& question, const std::string& question_author,
                        const std::string& option) {
  JsonWriter out;
  out.start_object();
  out.context(kActivityContext);
  out.field("id", id + "/activity");
  out.field("type", "Create");
  out.field("actor", actor);
  out.string_array("to", {question_author});
  out.key("object");
  out.start_object();
  out.field("id", id);
  out.field("type", "Note");
  out.field("name", option);
  out.field("attributedTo", actor);
  out.field("inReplyTo", question);
  out.string_array("to", {question_author});
  out.end_object();
  out.end_object();
  return out.str();
}

}  // namespace civicpub::federation::as2
