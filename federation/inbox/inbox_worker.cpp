#include "federation/inbox/inbox_worker.hpp"

#include "federation/as2/envelope.hpp"
#include "federation/as2/reader.hpp"
#include "federation/inbox/thread_authority.hpp"
#include "federation/storage_async.hpp"
#include "storage/inbox_items.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>

#include <exception>

namespace civicpub::federation {
namespace {

using Handler = inbox::HandlerResult (*)(inbox::ActivityContext&, const inbox::Activity&);

Handler handler_for(std::string_view type) {
  if (type == "Create") return &inbox::on_create;
  if (type == "Follow") return &inbox::on_follow;
  if (type == "Undo") return &inbox::on_undo;
  if (type == "Accept") return &inbox::on_accept;
  if (type == "Reject") return &inbox::on_reject;
  if (type == "Update") return &inbox::on_update;
  if (type == "Delete") return &inbox::on_delete;
  if (type == "Like") return &inbox::on_like;
  if (type == "Announce") return &inbox::on_announce;
  return nullptr;
}

// Plain functions, not lambdas in the coroutine (GCC 12 destroys their captures twice).
auto done_job(std::int64_t id, storage::Millis now) {
  return [id, now](storage::Connection& c) { return storage::inbox_items::mark_done(c, id, now); };
}
auto failed_job(std::int64_t id, std::string error, storage::Millis now) {
  return [id, error = std::move(error), now](storage::Connection& c) {
    return storage::inbox_items::mark_failed(c, id, error, now);
  };
}

}  // namespace

InboxWorker::InboxWorker(boost::asio::any_io_executor executor, storage::Database& db,
                         ActorResolver& resolver, RemotePosts& posts, Clock clock,
                         InboxWorkerSettings settings, std::shared_ptr<spdlog::logger> log,
                         std::function<void()> on_enqueued)
    : strand_(boost::asio::make_strand(executor)),
      db_(db),
      log_(std::move(log)),
      context_{db, resolver, posts, std::move(clock), *log_, std::move(on_enqueued)},
      settings_(settings) {}

void InboxWorker::notify() {
  boost::asio::post(strand_, [this] { start_on_strand(); });
}

void InboxWorker::start_on_strand() {
  if (running_) {
    again_ = true;  // the running pass picks the new items up
    return;
  }
  running_ = true;
  auto run = [this]() -> boost::asio::awaitable<void> {
    do {
      again_ = false;
      co_await process_pending();
    } while (again_);
  };
  boost::asio::co_spawn(strand_, std::move(run), [this](std::exception_ptr e) {
    running_ = false;
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        log_->error("inbox worker stopped by an exception: {}", ex.what());
      }
    }
  });
}

boost::asio::awaitable<Result<void>> InboxWorker::process(const storage::InboxItemRecord& item) {
  auto doc = as2::parse_json(item.body);
  if (!doc) co_return doc.error();
  auto envelope = as2::read_envelope(*doc);
  if (!envelope) co_return envelope.error();
  Handler handler = handler_for(envelope->type);
  if (!handler) {
    log_->debug("inbox: {} {} ignored (type not handled)", envelope->type, envelope->id);
    co_return Result<void>{};
  }
  const inbox::Activity activity{*doc, *envelope, item.auth};
  auto handled = co_await handler(context_, activity);
  if (!handled) co_return handled;
  // Bytes nobody vouched for (neither signed by the actor nor carrying its proof) are not passed
  // on: what was stored came from the object's origin, not from this body.
  if (activity.unverified()) co_return handled;
  // The thread owner's step (thread_authority.hpp). The activity itself was handled: a failure
  // to forward it is logged, not a reason to mark the item failed.
  auto forwarded = co_await inbox::apply_thread_authority(context_, item, *envelope);
  if (!forwarded) {
    log_->warn("inbox: {} {} not forwarded: {}", envelope->type, envelope->id,
               forwarded.error().message());
  }
  co_return handled;
}

boost::asio::awaitable<std::size_t> InboxWorker::process_pending() {
  std::size_t processed = 0;
  for (;;) {
    auto batch = db_.read([&](storage::Connection& c) {
      return storage::inbox_items::next_pending(c, settings_.batch_size);
    });
    if (!batch) {
      log_->error("inbox worker cannot read the queue: {}", batch.error().message());
      co_return processed;
    }
    if (batch->empty()) co_return processed;
    for (const auto& item : *batch) {
      auto result = co_await process(item);
      const auto now = context_.clock();
      Result<void> marked;
      if (result) {
        marked = co_await write(db_, done_job(item.id, now));
      } else {
        log_->info("inbox: processing {} from {} failed: {}", item.activity_id, item.actor_uri,
                   result.error().message());
        marked = co_await write(db_, failed_job(item.id, result.error().message(), now));
      }
      if (!marked) {
        // Without marking, next_pending would hand out the same item forever.
        log_->error("inbox worker cannot mark item {}: {}", item.id, marked.error().message());
        co_return processed;
      }
      ++processed;
    }
  }
}

}  // namespace civicpub::federation
