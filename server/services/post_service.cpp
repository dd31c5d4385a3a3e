#include "server/services/post_service.hpp"

#include "federation/as2/activities.hpp"
#include "federation/storage_async.hpp"
#include "server/services/compose.hpp"
#include "server/services/post_audience.hpp"
#include "server/services/post_writes.hpp"
#include "server/services/service_error.hpp"
#include "server/views/post_urls.hpp"
#include "storage/actors.hpp"
#include "storage/post_details.hpp"
#include "storage/posts.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace civicpub::server::services {

namespace {

// Each remote mention costs a WebFinger lookup and an actor fetch; a post naming more accounts
// than this keeps the rest as plain text instead of fanning out without bound.
constexpr std::size_t kMaxResolvedMentions = 32;

std::string mention_key(std::string_view username, std::string_view domain) {
  std::string key(username);
  std::transform(key.begin(), key.end(), key.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  key += '@';
  key += domain;
  return key;
}

// "@user@host", as Mastodon names a Mention; local accounts carry our handle domain.
std::string mention_name(const storage::ActorRecord& actor, std::string_view local_domain) {
  if (actor.username.empty()) return actor.uri;
  return "@" + actor.username + "@" + (actor.local ? std::string(local_domain) : actor.domain);
}

// compose_plain_text with a resolver answering from mentions resolved beforehand.
ComposedText compose_with(std::string_view text, const PostSettings& settings,
                                const std::map<std::string, MentionTarget>& targets) {
  ComposeOptions options;
  options.local_domain = settings.local_domain;
  options.base_url = settings.base_url;
  options.resolve_mention =
      [&targets](const MentionRef& ref) -> std::optional<MentionTarget> {
    const auto found = targets.find(mention_key(ref.username, ref.domain));
    if (found == targets.end()) return std::nullopt;
    return found->second;
  };
  return compose_plain_text(text, options);
}

}  // namespace

struct PostService::Composed {
  std::string html;
  std::vector<federation::as2::NoteTag> tags;
  std::vector<UnresolvedMention> unresolved;
};

struct PostService::Editable {
  storage::PostRecord post;
  storage::ActorRecord author;
  views::NoteDetails details;                           // as stored
  std::optional<storage::MentionRecord> parent_author;  // a reply keeps addressing its parent
};

// What a reply takes from its parent.
struct PostService::Parent {
  std::string id;
  std::string thread_root;
  std::string context;
  std::optional<storage::MentionRecord> author;  // unset when replying to oneself
  std::optional<std::string> context_owner;      // a thread owned elsewhere: its owner's id
};

namespace {

struct ParentFacts {
  std::string context;
  std::optional<storage::MentionRecord> author;
  std::optional<std::string> context_owner;  // from the stored top post only
};

// The parent's author as a mention (none for a reply to oneself), the thread's context (the
// parent's, else its thread root's when that is stored) and, for a thread owned elsewhere, its
// owner when the top post is stored. Read after the fetcher stored them.
auto describe_parent(storage::PostRecord parent, std::int64_t replier_id,
                     std::string local_domain) {
  return [parent = std::move(parent), replier_id, local_domain = std::move(local_domain)](
             storage::Connection& conn) -> Result<ParentFacts> {
    std::string context = parent.context;
    if (context.empty() && !parent.thread_root.empty() && parent.thread_root != parent.ap_id) {
      auto root = storage::posts::find_by_ap_id(conn, parent.thread_root);
      if (!root) return root.error();
      if (*root) context = (*root)->context;
    }
    std::optional<storage::MentionRecord> mention;
    if (parent.author_id != replier_id) {
      auto author = storage::actors::find_by_id(conn, parent.author_id);
      if (!author) return author.error();
      if (!*author) return ServiceError::unknown_account;
      mention = storage::MentionRecord{(*author)->uri, mention_name(**author, local_domain)};
    }
    auto owner = views::stored_context_owner(conn, parent);
    if (!owner) return owner.error();
    return ParentFacts{std::move(context), std::move(mention), std::move(*owner)};
  };
}

// The mention of the parent's author that an edited reply keeps (its text may no longer name
// them, but the reply is still addressed to them). From storage only: no fetch for an edit.
Result<std::optional<storage::MentionRecord>> kept_parent_mention(
    storage::Connection& conn, const storage::PostRecord& reply,
    const std::vector<storage::MentionRecord>& old_mentions) {
  if (reply.in_reply_to.empty()) return std::optional<storage::MentionRecord>();
  auto parent = storage::posts::find_by_ap_id(conn, reply.in_reply_to);
  if (!parent) return parent.error();
  if (!*parent || (*parent)->author_id == reply.author_id) {
    return std::optional<storage::MentionRecord>();
  }
  auto author = storage::actors::find_by_id(conn, (*parent)->author_id);
  if (!author) return author.error();
  if (!*author) return std::optional<storage::MentionRecord>();
  for (const auto& m : old_mentions) {
    if (m.actor_uri == (*author)->uri) return std::optional<storage::MentionRecord>(m);
  }
  return std::optional<storage::MentionRecord>();
}

// The reply's mention of its parent's author first (Mastodon lists it first), then the text's.
views::NoteDetails with_parent_mention(views::NoteDetails details,
                                       const std::optional<storage::MentionRecord>& parent) {
  if (!parent) return details;
  std::erase_if(details.mentions,
                [&](const storage::MentionRecord& m) { return m.actor_uri == parent->actor_uri; });
  details.mentions.insert(details.mentions.begin(), *parent);
  return details;
}

}  // namespace

boost::asio::awaitable<Result<PostService::Parent>> PostService::parent_of_reply(
    std::string uri, std::int64_t replier_id) {
  auto parent = co_await posts_.post(std::move(uri));
  if (!parent) co_return parent.error();
  if (parent->deleted_at) co_return ServiceError::parent_deleted;
  if (!parent->in_reply_to.empty()) {
    // The thread above the parent: with it stored, the parent's thread root is the real top
    // post (not just the best URI known) and a missing context can come from there. A fetch
    // that stops early is no reason not to reply.
    auto above = co_await posts_.ancestors(parent->ap_id);
    if (above && *above > 0) {
      auto again = co_await posts_.post(parent->ap_id);
      if (again) parent = std::move(again);
    }
  }
  auto described = db_.read(describe_parent(*parent, replier_id, settings_.local_domain));
  if (!described) co_return described.error();
  Parent out{parent->ap_id, parent->thread_root.empty() ? parent->ap_id : parent->thread_root,
             std::move(described->context), std::move(described->author),
             std::move(described->context_owner)};
  // The top post is not stored: the conversation's collection names its owner (FEP-7888). A
  // top-level parent is the thread itself, and its author is addressed already.
  if (!out.context_owner && !parent->in_reply_to.empty() && !out.context.empty()) {
    auto owner = co_await posts_.context_owner(out.context);
    if (owner && !owner->local && owner->id != replier_id) out.context_owner = owner->uri;
  }
  co_return out;
}

boost::asio::awaitable<PostService::Composed> PostService::compose(std::string text) {
  Composed result;
  std::map<std::string, MentionTarget> targets;
  for (const auto& ref : extract_mentions(text, settings_.local_domain)) {
    if (targets.size() >= kMaxResolvedMentions) {
      result.unresolved.push_back({ref.handle, "too many mentions in one post"});
      continue;
    }
    Result<storage::ActorRecord> actor = ServiceError::unknown_account;
    if (ref.domain.empty()) {
      actor = lookup_.local_account(ref.username);
    } else {
      actor = co_await lookup_.resolve("@" + ref.username + "@" + ref.domain);
    }
    if (!actor) {
      result.unresolved.push_back({ref.handle, actor.error().message()});
      continue;
    }
    targets[mention_key(ref.username, ref.domain)] = {actor->uri,
                                                      actor->url.empty() ? actor->uri : actor->url};
  }
  auto composed = compose_with(text, settings_, targets);
  result.html = std::move(composed.html);
  result.tags = std::move(composed.tags);
  co_return result;
}

auto PostService::editable(const std::string& post_url,
                           const std::optional<std::string>& acting_username) -> Result<Editable> {
  auto post = db_.read(
      [&](storage::Connection& conn) { return storage::posts::find_by_ap_id(conn, post_url); });
  if (!post) return post.error();
  if (!*post) return ServiceError::unknown_post;
  if (!(*post)->local) return ServiceError::post_not_local;
  if ((*post)->deleted_at) return ServiceError::post_deleted;
  auto author = db_.read([&](storage::Connection& conn) {
    return storage::actors::find_by_id(conn, (*post)->author_id);
  });
  if (!author) return author.error();
  if (!*author) return ServiceError::unknown_account;
  if (acting_username) {
    auto acting = lookup_.local_account(*acting_username);
    if (!acting) return acting.error();
    if (acting->id != (*author)->id) return ServiceError::not_author;
  }
  Editable out{std::move(**post), std::move(**author), {}, {}};
  auto read = db_.read([&](storage::Connection& conn) -> Result<void> {
    auto details = views::note_details(conn, out.post.id);
    if (!details) return details.error();
    out.details = std::move(*details);
    auto kept = kept_parent_mention(conn, out.post, out.details.mentions);
    if (!kept) return kept.error();
    out.parent_author = std::move(*kept);
    return {};
  });
  if (!read) return read.error();
  return out;
}

boost::asio::awaitable<Result<PostOutcome>> PostService::publish(PublishRequest request) {
  auto published = co_await publish_post(std::move(request), std::nullopt);
  co_return published;
}

boost::asio::awaitable<Result<PostOutcome>> PostService::publish_question(PublishRequest request,
                                                                          PollSpec poll) {
  request.in_reply_to.reset();
  auto published = co_await publish_post(std::move(request), std::move(poll));
  co_return published;
}

boost::asio::awaitable<Result<PostOutcome>> PostService::publish_post(
    PublishRequest request, std::optional<PollSpec> poll_spec) {
  auto author = lookup_.local_account(request.author);
  if (!author) co_return author.error();
  std::optional<Parent> parent;
  if (request.in_reply_to) {
    auto found = co_await parent_of_reply(std::move(*request.in_reply_to), author->id);
    if (!found) co_return found.error();
    parent = std::move(*found);
  }
  auto group = db_.read([&](storage::Connection& conn) {
    return group_for_post(conn, request.group, author->id,
                          parent ? &parent->thread_root : nullptr, parent ? &parent->id : nullptr);
  });
  if (!group) co_return group.error();
  auto composed = co_await compose(std::move(request.text));
  if (composed.html.empty()) co_return ServiceError::empty_text;

  const auto now = clock_();
  PostOutcome outcome;
  outcome.unresolved = std::move(composed.unresolved);
  storage::PostRecord& post = outcome.post;
  post.ap_id = views::post_url(author->uri, views::mint_post_id(now, rng_));
  post.author_id = author->id;
  post.local = true;
  if (parent) {
    post.in_reply_to = parent->id;
    post.thread_root = parent->thread_root;
    post.context = parent->context;
  } else {
    post.thread_root = post.ap_id;
    // A thread started in a group is the group's: it owns the context (FEDERATION.md, Groups).
    post.context = *group ? views::group_context_url((*group)->uri, post.ap_id)
                          : views::context_url(post.ap_id);
  }
  auto details =
      with_parent_mention(views::details_of(composed.tags), parent ? parent->author : std::nullopt);
  if (parent) details.context_owner = parent->context_owner;
  if (*group) details.audience = (*group)->uri;
  if (poll_spec) {
    // A consultation: a Question with no votes yet (views::poll_view renders the stored ones).
    post.object_type = "Question";
    post.name = poll_spec->title;
    federation::as2::PollView poll;
    poll.multiple = poll_spec->multiple;
    poll.end_time = poll_spec->closes_at;
    for (const auto& option : poll_spec->options) poll.options.push_back({option, 0});
    details.poll = std::move(poll);
  }
  post.visibility = request.visibility;
  post.content_html = std::move(composed.html);
  post.summary = std::move(request.content_warning);
  post.sensitive = request.sensitive || !post.summary.empty();
  post.language = std::move(request.language);
  post.url = post.ap_id;
  post.published = now;
  const auto view = views::note_view(post, *author, details);
  post.raw_json = federation::as2::render_note(view);
  outcome.activity_id = views::create_activity_id(post.ap_id);
  // Rendered once: every inbox receives the same bytes (and the same digest).
  auto body = federation::as2::render_create_note(outcome.activity_id, view);
  auto mentioned = addressed_ids(details, post.visibility);
  for (auto& id : request.also_deliver_to) mentioned.push_back(std::move(id));

  std::int64_t post_id = 0;
  QueuedActivity activity{author->id, post.visibility, std::move(mentioned),
                          outcome.activity_id, std::move(body), now};
  auto insert = insert_post(post, std::move(details), std::move(poll_spec), post_id);
  auto job = *group ? store_queue_and_announce(std::move(insert), std::move(activity), **group, post)
                    : store_and_queue(std::move(insert), std::move(activity));
  auto queued = co_await federation::write(db_, std::move(job));
  if (!queued) co_return queued.error();
  post.id = post_id;
  outcome.deliveries = *queued;
  // A reply into a remote thread: read the rest of that thread now (backfill, within its budget
  // and cooldowns), so the replier sees the conversation they joined. A failure costs nothing.
  if (parent && parent->context_owner) {
    const std::string parent_id = parent->id;
    auto filled = co_await posts_.backfill(parent_id);
    if (filled) outcome.backfilled = filled->fetched;
  }
  co_return outcome;
}

boost::asio::awaitable<Result<PostOutcome>> PostService::edit(EditRequest request) {
  auto target = editable(request.post_url, request.acting_username);
  if (!target) co_return target.error();
  auto composed = co_await compose(std::move(request.text));
  if (composed.html.empty()) co_return ServiceError::empty_text;

  const auto now = clock_();
  PostOutcome outcome;
  outcome.unresolved = std::move(composed.unresolved);
  outcome.post = std::move(target->post);
  storage::PostRecord& post = outcome.post;
  auto details = with_parent_mention(views::details_of(composed.tags), target->parent_author);
  details.context_owner = target->details.context_owner;
  details.audience = target->details.audience;  // still a post in its group
  // Whoever the old text mentioned saw the post and hears of the edit too.
  auto mentioned = addressed_ids(target->details, post.visibility);
  for (auto& id : mention_ids(details)) mentioned.push_back(std::move(id));
  post.content_html = std::move(composed.html);
  if (request.content_warning) {
    post.summary = *request.content_warning;
    post.sensitive = !post.summary.empty();
  }
  post.updated = now;
  const auto view = views::note_view(post, target->author, details);
  post.raw_json = federation::as2::render_note(view);
  outcome.activity_id = views::update_activity_id(post.ap_id, now);
  auto body = federation::as2::render_update_note(outcome.activity_id, view);

  QueuedActivity activity{post.author_id, post.visibility, std::move(mentioned),
                          outcome.activity_id, std::move(body), now};
  // A post in one of our groups: the group announces the Update to its members too.
  auto job = store_queue_and_pass_to_group(update_post(post, std::move(details), now),
                                           std::move(activity), post.ap_id);
  auto queued = co_await federation::write(db_, std::move(job));
  if (!queued) co_return queued.error();
  outcome.deliveries = *queued;
  co_return outcome;
}

boost::asio::awaitable<Result<PostOutcome>> PostService::remove(
    std::string post_url, std::optional<std::string> acting_username) {
  auto target = editable(post_url, acting_username);
  if (!target) co_return target.error();
  const auto now = clock_();
  PostOutcome outcome;
  outcome.post = std::move(target->post);
  storage::PostRecord& post = outcome.post;
  const auto mentioned = addressed_ids(target->details, post.visibility);
  // The Delete is addressed like the post was, so everyone who got it hears of the deletion.
  const auto addressing =
      federation::as2::addressing_for(views::note_view(post, target->author, target->details));
  outcome.activity_id = views::delete_activity_id(post.ap_id);
  auto body = federation::as2::render_delete(outcome.activity_id, target->author.uri, post.ap_id, addressing);

  QueuedActivity activity{post.author_id, post.visibility, mentioned, outcome.activity_id,
                          std::move(body), now};
  auto job = store_queue_and_pass_to_group(delete_post(post.id, post.ap_id, now),
                                           std::move(activity), post.ap_id);
  auto queued = co_await federation::write(db_, std::move(job));
  if (!queued) co_return queued.error();
  post.deleted_at = now;
  outcome.deliveries = *queued;
  co_return outcome;
}

}  // namespace civicpub::server::services
