// Flag, the report activity, in Mastodon's shape (app/serializers/activitypub/flag_serializer.rb
// writes it, app/lib/activitypub/activity/flag.rb reads it): `actor` is the reporting server's
// instance actor (the reporter stays anonymous to the reported server), `object` an array of the
// reported actor's id followed by the reported posts' ids, `content` the comment.
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::federation::as2 {

struct FlagBody {
  std::vector<std::string> objects;  // the reported actor first, then posts (as written)
  std::string content;               // plain text; control characters replaced by spaces
};

// Caps for a received Flag: ids beyond kMaxFlagObjects are ignored, the comment is cut (on a
// UTF-8 boundary) at kMaxFlagContent bytes. Mastodon's own report form allows 1000 characters.
inline constexpr std::size_t kMaxFlagObjects = 100;
inline constexpr std::size_t kMaxFlagContent = 10000;

// `{"@context": AS2, "id", "type": "Flag", "actor", "content", "object": [...]}`.
std::string flag_json(std::string_view id, std::string_view actor, std::string_view content,
                      const std::vector<std::string>& objects);

// The objects (http(s) ids only, at most kMaxFlagObjects) and comment of a received Flag; an
// empty `objects` when it names nothing we could look up.
FlagBody read_flag(const rapidjson::Value& activity);

}  // namespace civicpub::federation::as2
