#include "federation/as2/flag.hpp"

#include "federation/as2/json.hpp"
#include "federation/as2/reader.hpp"

namespace civicpub::federation::as2 {
namespace {

bool plausible_id(const std::string& id) {
  return (id.starts_with("https://") || id.starts_with("http://")) && id.size() <= 2048 &&
         id.find_first_of("\r\n") == std::string::npos;
}

// Cuts at `max` bytes without splitting a UTF-8 sequence, and turns control characters (which a
// terminal would act on when `civicpub report show` prints the comment) into spaces.
std::string plain_comment(std::string_view text, std::size_t max) {
  if (text.size() > max) {
    std::size_t end = max;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    text = text.substr(0, end);
  }
  std::string out(text);
  for (auto& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\n') || byte == 0x7F) c = ' ';
  }
  return out;
}

}  // namespace

std::string flag_json(std::string_view id, std::string_view actor, std::string_view content,
                      const std::vector<std::string>& objects) {
  JsonWriter w;
  w.start_object();
  w.context(kActivityContext);
  w.field("id", id);
  w.field("type", "Flag");
  w.field("actor", actor);
  w.field("content", content);
  w.string_array("object", objects);
  w.end_object();
  return w.str();
}

FlagBody read_flag(const rapidjson::Value& activity) {
  FlagBody out;
  for (auto& id : member_ids(activity, "object")) {
    if (out.objects.size() >= kMaxFlagObjects) break;
    if (plausible_id(id)) out.objects.push_back(std::move(id));
  }
  if (const auto* content = find_member(activity, "content"); content && content->IsString()) {
    out.content = plain_comment({content->GetString(), content->GetStringLength()},
                                kMaxFlagContent);
  }
  return out;
}

}  // namespace civicpub::federation::as2
