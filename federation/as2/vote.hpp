// Telling a poll vote from a reply (INTEROP.md section 9, FEP-9967): a vote is a Note with a
// `name` (the option), an `inReplyTo` (the question) and no content. Real senders differ on "no
// content": Mastodon sends none, snac sent "<br>", others an empty string or an empty paragraph;
// all of them count as none. A Note with any visible text is a reply, whatever its name.
#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>

namespace civicpub::federation::as2 {

struct VoteShape {
  std::string id;           // the Note's id (may be empty: Mastodon's are fragments, not fetched)
  std::string option;       // `name`
  std::string question;     // `inReplyTo`
  std::string attributed_to;  // empty when absent
};

// Whether `content` holds no visible text (absent, empty, whitespace, <br>, <p></p>).
bool is_empty_content(std::string_view html);

// The vote in `object` (an embedded Note), or unset when it is not vote-shaped.
std::optional<VoteShape> read_vote(const rapidjson::Value& object);

}  // namespace civicpub::federation::as2
