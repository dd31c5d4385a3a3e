#include "federation/as2/note.hpp"

#include "federation/as2/time_format.hpp"

#include <algorithm>

namespace civicpub::federation::as2 {
namespace {

// `@context` of a Question: the Note's plus Mastodon's votersCount (toot namespace, as Mastodon
// writes it), defined inline.
constexpr std::string_view kQuestionContext =
    R"(["https://www.w3.org/ns/activitystreams",{)"
    R"("sensitive":"as:sensitive","Hashtag":"as:Hashtag",)"
    R"("toot":"http://joinmastodon.org/ns#","votersCount":"toot:votersCount"}])";


void add_unique(std::vector<std::string>& list, const std::string& value) {
  if (!value.empty() && std::find(list.begin(), list.end(), value) == list.end()) {
    list.push_back(value);
  }
}

void write_tag(JsonWriter& out, const NoteTag& tag) {
  out.start_object();
  out.field("type", tag.kind == NoteTag::Kind::mention ? "Mention" : "Hashtag");
  out.field("href", tag.href);
  out.field("name", tag.name);
  out.end_object();
}

void write_poll(JsonWriter& out, const PollView& poll) {
  out.key(poll.multiple ? "anyOf" : "oneOf");
  out.start_array();
  for (const auto& option : poll.options) {
    out.start_object();
    out.field("type", "Note");
    out.field("name", option.name);
    out.key("replies");
    out.start_object();
    out.field("type", "Collection");
    out.key("totalItems");
    out.int64(option.votes);
    out.end_object();
    out.end_object();
  }
  out.end_array();
  out.field("endTime", format_iso8601_ms(poll.end_time));
  if (poll.closed) out.field("closed", format_iso8601_ms(*poll.closed));
  out.key("votersCount");
  out.int64(poll.voters_count);
}

}  // namespace

std::string_view note_context(const NoteView& note) {
  return note.poll ? kQuestionContext : kNoteContext;
}

Addressing addressing_for(const NoteView& note) {
  const std::string pub(kPublic);
  std::vector<std::string> to, cc;
  switch (note.visibility) {
    case Visibility::public_:
      to.push_back(pub);
      add_unique(cc, note.followers);
      break;
    case Visibility::unlisted:
      add_unique(to, note.followers);
      cc.push_back(pub);
      break;
    case Visibility::followers: add_unique(to, note.followers); break;
    case Visibility::direct: break;
  }
  auto& mentions = note.visibility == Visibility::direct ? to : cc;
  for (const auto& tag : note.tags) {
    if (tag.kind == NoteTag::Kind::mention) add_unique(mentions, tag.href);
  }
  // Extra recipients never widen a restricted post: Public or the followers collection slipped
  // in by a caller must not turn a direct message into a public one.
  const bool restricted =
      note.visibility == Visibility::followers || note.visibility == Visibility::direct;
  auto allowed = [&](const std::string& r) {
    if (!restricted) return true;
    if (r == pub) return false;
    return !(note.visibility == Visibility::direct && r == note.followers);
  };
  for (const auto& r : note.to) {
    if (allowed(r)) add_unique(to, r);
  }
  for (const auto& r : note.cc) {
    if (allowed(r)) add_unique(cc, r);
  }
  std::erase_if(
      cc, [&](const std::string& r) { return std::find(to.begin(), to.end(), r) != to.end(); });
  return {std::move(to), std::move(cc)};
}

void write_note_members(JsonWriter& out, const NoteView& note) {
  const auto addressing = addressing_for(note);
  out.field("id", note.id);
  out.field("type", note.poll ? "Question" : "Note");
  out.field("attributedTo", note.attributed_to);
  out.field_if("name", note.name);
  if (note.summary && !note.summary->empty()) out.field("summary", *note.summary);
  out.field("sensitive", note.sensitive || (note.summary && !note.summary->empty()));
  out.field("content", note.content_html);
  if (!note.language.empty()) {
    out.key("contentMap");
    out.start_object();
    out.field(note.language, note.content_html);
    out.end_object();
  }
  out.field("published", format_iso8601_ms(note.published));
  if (note.updated) out.field("updated", format_iso8601_ms(*note.updated));
  out.field_if("url", note.url);
  if (note.in_reply_to) {
    out.field("inReplyTo", *note.in_reply_to);
  } else {
    out.key("inReplyTo");
    out.null();
  }
  out.field_if("context", note.context);
  out.string_array("to", addressing.to);
  out.string_array("cc", addressing.cc);
  out.field_if("audience", note.audience);
  out.key("tag");
  out.start_array();
  for (const auto& tag : note.tags) write_tag(out, tag);
  out.end_array();
  out.field_if("replies", note.replies);
  out.field_if("likes", note.likes);
  out.field_if("shares", note.shares);
  if (note.poll) write_poll(out, *note.poll);
}

std::string render_note(const NoteView& note) {
  JsonWriter out;
  out.start_object();
  out.context(note_context(note));
  write_note_members(out, note);
  out.end_object();
  return out.str();
}

}  // namespace civicpub::federation::as2
