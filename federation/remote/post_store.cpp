#include "federation/remote/post_store.hpp"

#include "federation/federation_error.hpp"
#include "federation/remote/thread_claim.hpp"
#include "federation/text/safe_url.hpp"
#include "federation/text/sanitizer.hpp"
#include "storage/post_provenance.hpp"
#include "storage/errors.hpp"
#include "storage/object_fetches.hpp"
#include "storage/post_details.hpp"
#include "storage/posts.hpp"
#include "storage/tombstones.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace civicpub::federation {
namespace {

storage::Visibility stored_visibility(as2::Visibility visibility) {
  switch (visibility) {
    case as2::Visibility::public_: return storage::Visibility::public_;
    case as2::Visibility::unlisted: return storage::Visibility::unlisted;
    case as2::Visibility::followers: return storage::Visibility::followers;
    case as2::Visibility::direct: return storage::Visibility::direct;
  }
  return storage::Visibility::direct;  // unreachable; the narrowest audience if it ever is
}

// Attachment URLs end up in links and <img> of our pages: only http(s) ones are kept.
std::vector<storage::AttachmentRecord> safe_attachments(
    const std::vector<storage::AttachmentRecord>& attachments) {
  std::vector<storage::AttachmentRecord> out;
  for (const auto& a : attachments) {
    auto url = text::safe_link_href(a.url);
    if (!url) continue;
    out.push_back(a);
    out.back().url = *url;
  }
  return out;
}

Result<void> replace_details(storage::Connection& conn, std::int64_t post_id,
                             const convert::RemotePost& post) {
  if (auto r = storage::post_details::replace_mentions(conn, post_id, post.mentions); !r) return r;
  if (auto r = storage::post_details::replace_hashtags(conn, post_id, post.hashtags); !r) return r;
  return storage::post_details::replace_attachments(conn, post_id,
                                                    safe_attachments(post.attachments));
}

// Where the post sits in its thread, from what is stored now.
Result<void> place_in_thread(storage::Connection& conn, const convert::RemotePost& post,
                             storage::PostRecord& record) {
  record.thread_root = post.id;
  record.context = post.context.value_or("");
  std::optional<storage::PostRecord> parent;
  if (post.in_reply_to && !post.in_reply_to->empty()) {
    auto found = storage::posts::find_by_ap_id(conn, *post.in_reply_to);
    if (!found) return found.error();
    parent = std::move(*found);
  }
  // Claiming one of our threads' context is not enough to join it (thread_claim.hpp).
  auto may_claim = may_claim_context(conn, post, parent);
  if (!may_claim) return may_claim.error();
  if (!*may_claim) record.context.clear();
  if (!post.in_reply_to || post.in_reply_to->empty()) return {};
  record.in_reply_to = *post.in_reply_to;
  // Until the parent arrives its URI is the best root we know; relink_thread_root fixes the
  // replies once it does.
  record.thread_root = *post.in_reply_to;
  if (parent) {
    record.thread_root = parent->thread_root;
    // A Mastodon reply carries no context: it joins its parent's conversation (FEP-7888).
    if (record.context.empty()) record.context = parent->context;
  }
  return {};
}

}  // namespace

CleanText clean_text(const convert::RemotePost& post) {
  CleanText clean;
  clean.content_html = text::sanitize_html(post.content_html);
  if (post.summary) clean.summary = text::html_to_plain_text(*post.summary);
  return clean;
}

std::string to_json_text(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

Result<storage::PostRecord> store_remote_post(storage::Connection& conn, const CheckedPost& checked,
                                              const CleanText& clean, storage::Millis now) {
  const auto& post = checked.post;
  auto tombstoned = storage::tombstones::contains(conn, post.id);
  if (!tombstoned) return tombstoned.error();
  if (*tombstoned) return make_error_code(FederationError::object_gone);
  auto existing = storage::posts::find_by_ap_id(conn, post.id);
  if (!existing) return existing.error();
  if (*existing) return std::move(**existing);

  storage::PostRecord record;
  record.ap_id = post.id;
  record.author_id = checked.author.id;
  record.local = false;
  if (auto placed = place_in_thread(conn, post, record); !placed) return placed.error();
  record.visibility = stored_visibility(convert::visibility_of(post, checked.author.followers));
  record.content_html = clean.content_html;
  record.summary = clean.summary;
  record.sensitive = post.sensitive;
  record.language = post.language;
  if (auto url = text::safe_link_href(post.url)) record.url = *url;
  record.raw_json = checked.raw_json;
  record.object_type = post.type;
  record.name = post.name;
  record.published = post.published > 0 ? post.published : now;
  record.updated = post.updated;

  auto id = storage::posts::insert(conn, record);
  if (!id) return id.error();
  record.id = *id;
  if (auto relinked = storage::posts::relink_thread_root(conn, record.ap_id, record.thread_root,
                                                         record.context);
      !relinked) {
    return relinked.error();
  }
  // The fetch budget of the thread (RemotePosts::ancestors) follows its root up too.
  if (auto moved = storage::object_fetches::move_thread(conn, record.ap_id, record.thread_root);
      !moved) {
    return moved.error();
  }
  if (auto details = replace_details(conn, record.id, post); !details) return details.error();
  if (auto noted = storage::post_provenance::record(conn, record.id, checked.verified_by,
                                                    checked.activity_id, now);
      !noted) {
    return noted.error();
  }
  return record;
}

Result<storage::PostRecord> update_remote_post(storage::Connection& conn,
                                               const storage::PostRecord& stored,
                                               const CheckedPost& checked, const CleanText& clean,
                                               storage::Millis now) {
  const auto& post = checked.post;
  storage::PostRecord record = stored;
  record.content_html = clean.content_html;
  record.summary = clean.summary;
  record.sensitive = post.sensitive;
  record.language = post.language;
  record.name = post.name;
  record.raw_json = checked.raw_json;
  record.updated = post.updated.value_or(now);
  if (auto r = storage::posts::update_content(conn, record, *record.updated); !r) return r.error();
  if (auto details = replace_details(conn, record.id, post); !details) return details.error();
  return record;
}

}  // namespace civicpub::federation
