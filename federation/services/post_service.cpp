#include "federation/services/post_service.hpp"

#include "federation/as2/activities.hpp"
#include "federation/post_urls.hpp"
#include "federation/services/post_audience.hpp"
#include "federation/services/service_error.hpp"
#include "federation/storage_async.hpp"
#include "federation/text/compose.hpp"
#include "storage/actors.hpp"
#include "storage/deliveries.hpp"
#include "storage/posts.hpp"
#include "storage/tombstones.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace civicpub::federation::services {

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

std::vector<std::string> mention_ids(const std::vector<as2::NoteTag>& tags) {
  std::vector<std::string> ids;
  for (const auto& tag : tags) {
    if (tag.kind == as2::NoteTag::Kind::mention) ids.push_back(tag.href);
  }
  return ids;
}

// Write jobs are built by plain functions like these, never as lambdas inside a coroutine body:
// GCC 12 destroys a coroutine-local lambda's by-value captures twice.
auto insert_post(storage::PostRecord post, std::int64_t& id_out) {
  return [post = std::move(post), &id_out](storage::Connection& conn) -> Result<void> {
    auto id = storage::posts::insert(conn, post);
    if (!id) return id.error();
    id_out = *id;
    return {};
  };
}

auto update_post(storage::PostRecord post, storage::Millis now) {
  return [post = std::move(post), now](storage::Connection& conn) {
    return storage::posts::update_content(conn, post, now);
  };
}

auto delete_post(std::int64_t id, std::string uri, storage::Millis now) {
  return [id, uri = std::move(uri), now](storage::Connection& conn) -> Result<void> {
    if (auto marked = storage::posts::mark_deleted(conn, id, now); !marked) return marked;
    return storage::tombstones::add(conn, uri, now);
  };
}

// compose_plain_text with a resolver answering from mentions resolved beforehand.
text::ComposedText compose_with(std::string_view text, const PostSettings& settings,
                                const std::map<std::string, text::MentionTarget>& targets) {
  text::ComposeOptions options;
  options.local_domain = settings.local_domain;
  options.base_url = settings.base_url;
  options.resolve_mention =
      [&targets](const text::MentionRef& ref) -> std::optional<text::MentionTarget> {
    const auto found = targets.find(mention_key(ref.username, ref.domain));
    if (found == targets.end()) return std::nullopt;
    return found->second;
  };
  return text::compose_plain_text(text, options);
}

// The job writes the change with `store`, then queues `body` for the audience. Returns the
// number of delivery rows.
template <class Store>
auto store_and_queue(Store store, std::int64_t author_id, storage::Visibility visibility,
                     std::vector<std::string> mentioned, std::string activity_id, std::string body,
                     storage::Millis now) {
  return [=](storage::Connection& conn) -> Result<std::size_t> {
    if (auto stored = store(conn); !stored) return stored.error();
    auto inboxes = audience_inboxes(conn, author_id, visibility, mentioned);
    if (!inboxes) return inboxes.error();
    return storage::deliveries::enqueue(conn, activity_id, author_id, body, *inboxes, now);
  };
}

}  // namespace

struct PostService::Composed {
  std::string html;
  std::vector<as2::NoteTag> tags;
  std::vector<UnresolvedMention> unresolved;
};

struct PostService::Editable {
  storage::PostRecord post;
  storage::ActorRecord author;
};

boost::asio::awaitable<PostService::Composed> PostService::compose(std::string text) {
  Composed result;
  std::map<std::string, text::MentionTarget> targets;
  for (const auto& ref : text::extract_mentions(text, settings_.local_domain)) {
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
  return Editable{std::move(**post), std::move(**author)};
}

boost::asio::awaitable<Result<PostOutcome>> PostService::publish(PublishRequest request) {
  auto author = lookup_.local_account(request.author);
  if (!author) co_return author.error();
  auto composed = co_await compose(std::move(request.text));
  if (composed.html.empty()) co_return ServiceError::empty_text;

  const auto now = clock_();
  PostOutcome outcome;
  outcome.unresolved = std::move(composed.unresolved);
  storage::PostRecord& post = outcome.post;
  post.ap_id = post_url(author->uri, mint_post_id(now, rng_));
  post.author_id = author->id;
  post.local = true;
  post.thread_root = post.ap_id;
  post.visibility = request.visibility;
  post.content_html = std::move(composed.html);
  post.summary = std::move(request.content_warning);
  post.sensitive = !post.summary.empty();
  post.url = post.ap_id;
  post.published = now;
  const auto view = outgoing_note_view(post, *author, composed.tags);
  post.raw_json = as2::render_note(view);
  outcome.activity_id = create_activity_id(post.ap_id);
  // Rendered once: every inbox receives the same bytes (and the same digest).
  auto body = as2::render_create_note(outcome.activity_id, view);

  std::int64_t post_id = 0;
  auto queued = co_await write(
      db_, store_and_queue(insert_post(post, post_id), author->id, post.visibility,
                           mention_ids(composed.tags), outcome.activity_id, std::move(body), now));
  if (!queued) co_return queued.error();
  post.id = post_id;
  outcome.deliveries = *queued;
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
  // Whoever the old text mentioned saw the post and hears of the edit too.
  auto mentioned = mention_ids(mention_tags_of(post.raw_json));
  for (auto& id : mention_ids(composed.tags)) mentioned.push_back(std::move(id));
  post.content_html = std::move(composed.html);
  if (request.content_warning) {
    post.summary = *request.content_warning;
    post.sensitive = !post.summary.empty();
  }
  post.updated = now;
  const auto view = outgoing_note_view(post, target->author, composed.tags);
  post.raw_json = as2::render_note(view);
  outcome.activity_id = update_activity_id(post.ap_id, now);
  auto body = as2::render_update_note(outcome.activity_id, view);

  auto queued = co_await write(
      db_, store_and_queue(update_post(post, now), post.author_id, post.visibility,
                           std::move(mentioned), outcome.activity_id, std::move(body), now));
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
  auto tags = mention_tags_of(post.raw_json);
  const auto mentioned = mention_ids(tags);
  // The Delete is addressed like the post was, so everyone who got it hears of the deletion.
  const auto addressing =
      as2::addressing_for(outgoing_note_view(post, target->author, std::move(tags)));
  outcome.activity_id = delete_activity_id(post.ap_id);
  auto body = as2::render_delete(outcome.activity_id, target->author.uri, post.ap_id, addressing);

  auto queued = co_await write(
      db_, store_and_queue(delete_post(post.id, post.ap_id, now), post.author_id, post.visibility,
                           mentioned, outcome.activity_id, std::move(body), now));
  if (!queued) co_return queued.error();
  post.deleted_at = now;
  outcome.deliveries = *queued;
  co_return outcome;
}

}  // namespace civicpub::federation::services
