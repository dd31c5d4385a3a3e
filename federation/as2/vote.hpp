// Telling a poll vote from a reply (INTEROP.md section 9, FEP-9967): a vote is a Note with a
// `name` (the option), an `inReplyTo` (the question) and no content. Real senders differ on "no
// content": Mastodon sends none, snac sent "<br>", others an empty string or an empty paragraph;
// all of them count as none. A Note with any visible text is a reply, whatever its name.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace civicpub::federation::as2 {

struct VoteShape {
  std::string id;             // the Note's id (may be empty: Mastodon's are fragments, not fetched)
  std::string option;         // `name`
  std::string question;       // `inReplyTo`
  std::string attributed_to;  // empty when absent
};

// Whether `content` holds no visible text (absent, empty, whitespace, <br>, <p></p>).
bool is_empty_content(std::string_view html);

// The vote in `object` (an embedded Note), or unset when it is not vote-shaped.
std::optional<VoteShape> read_vote(const rapidjson::Value& object);

// A poll of another server, read from its Question: the option names (`oneOf`, else `anyOf`),
// whether it is closed (`closed` present, or `endTime` at or before `now`; Mastodon and others
// write either). Unset when the object has no options.
struct RemotePoll {
  bool multiple = false;
  std::vector<std::string> options;
  std::vector<std::int64_t> counts;  // replies.totalItems per option (0 when absent)
  bool closed = false;
  std::optional<std::int64_t> ends_at;       // `endTime`, else a `closed` time (ms)
  std::optional<std::int64_t> voters_count;  // `votersCount` (Pleroma sends none, Misskey null)
};
std::optional<RemotePoll> read_remote_poll(const rapidjson::Value& question, std::int64_t now);

// Our vote on someone else's poll, as Mastodon sends it (ActivityPub::VoteSerializer): a Create
// of a Note with `name` = the option, `inReplyTo` = the question, addressed to its author only,
// without content. `id` is the Note's id; the Create's is `id` + "/activity".
std::string render_vote(const std::string& id, const std::string& actor,
                        const std::string& question, const std::string& question_author,
                        const std::string& option);

}  // namespace civicpub::federation::as2
