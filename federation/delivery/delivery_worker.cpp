#include "federation/delivery/delivery_worker.hpp"
#include "federation/delivery/delivery_steps.hpp"
#include "federation/http/urls.hpp"

#include "federation/spawn.hpp"

#include "federation/http/error.hpp"
#include "federation/storage_async.hpp"
#include "storage/deliveries.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <variant>

namespace civicpub::federation::delivery {
namespace asio = boost::asio;
using namespace boost::asio::experimental::awaitable_operators;

RandomUnit make_random_unit() {
  auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
  return [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
}

namespace detail {

// Due rows read by one query and not yet taken, in queue order.
struct DueView {
  std::deque<storage::DeliveryRecord> rows;
  asio::steady_timer::time_point read_at{};
  bool stale = true;
  // Where the read ended when it filled a whole batch: more due rows may follow.
  std::optional<storage::deliveries::DueKey> last;
};

// Everything below is touched on the strand only, except `count`.
struct WorkerState {
  struct InFlight {
    std::string host;
    asio::steady_timer* deadline = nullptr;  // cancelled to abandon the send on stop()
  };

  WorkerState(std::shared_ptr<const WorkerDeps> d, asio::any_io_executor executor,
              asio::any_io_executor work_executor)
      : deps(std::move(d)),
        strand(asio::make_strand(executor)),
        work(work_executor ? std::move(work_executor) : strand.get_inner_executor()),
        wake(strand),
        drained(strand) {}

  std::shared_ptr<const WorkerDeps> deps;
  asio::strand<asio::any_io_executor> strand;
  asio::any_io_executor work;  // where sends are prepared, signed and made (start())
  asio::steady_timer wake;     // the loop sleeps on it between passes
  asio::steady_timer drained;  // stop() sleeps on it while sends finish
  bool woken = false;
  bool stopping = false;
  bool abandoning = false;
  bool loop_running = false;
  // Rows picked and not yet recorded (so no pass picks them again), and of those the ones whose
  // request is being prepared or sent: the concurrency limits count sends, not rows waiting for
  // the writer to record their outcome (which waits for the writer's next commit).
  std::map<std::int64_t, InFlight> in_flight;
  std::size_t sending = 0;
  std::map<std::string, std::size_t> per_host;  // sends per host
  std::atomic<std::size_t> count{0};
  // Due rows read by a pass and not yet taken (none of them in flight), in queue order: the
  // first batch_size due rows. Passes take from here; the table is read again when it is
  // empty, when it is older than poll_interval, or after notify() (new rows, which may come
  // before these). Without it every finished send read batch_size rows again, bodies included,
  // to start one more: at 2,000 sends that was 0.2 s of the strand's time per fan-out
  // (docs/performance.md).
  DueView due;
  // A page of the due rows after the first batch. When every row of the first batch is for a
  // host at its limit (a host with hundreds of rows that answers slowly or not at all), the
  // rows for other hosts behind them would wait until that host's rows are through. A pass
  // that finds nothing to start in `due` looks here; a pass that finds nothing here either
  // moves the page on by one for the next pass, and back to just after `due` after the last
  // page: one page read per pass at most, and every due row is looked at within
  // (due rows / batch_size) passes. The two never share a row.
  DueView further;
  std::optional<storage::deliveries::DueKey> further_after;  // nullopt: just after `due`

  void wake_loop() {
    woken = true;
    wake.cancel();
  }
  void end_send(const std::string& host) {
    --sending;
    if (auto h = per_host.find(host); h != per_host.end() && --h->second == 0) per_host.erase(h);
  }
  void release(std::int64_t id) {
    auto it = in_flight.find(id);
    if (it == in_flight.end()) return;
    in_flight.erase(it);
    count = in_flight.size();
    if (stopping) {
      drained.cancel();
      return;
    }
    // A place among the rows held is free: the loop may have stopped at that bound with no
    // send left to wake it, and would otherwise sleep until the next poll (fix 34).
    wake_loop();
  }
};

}  // namespace detail

namespace {

using detail::WorkerDeps;
using detail::WorkerState;
using detail::DueView;
using detail::Outcome;
using StatePtr = std::shared_ptr<WorkerState>;

// Frees the row's slot however the send coroutine ends (also when its frame is destroyed with
// the io_context, which is what a kill looks like to in-process tests).
struct SlotGuard {
  StatePtr state;
  std::int64_t id;
  ~SlotGuard() { state->release(id); }
};

// The row's place among the sends: given back once the answer is in (or nothing is sent), before
// the outcome is written, so the next sends start while the writer commits; at the latest when
// the coroutine ends.
struct SendGuard {
  StatePtr state;
  std::string host;
  bool held = true;
  void end() {
    if (!held) return;
    held = false;
    state->end_send(host);
    state->wake_loop();  // a place is free
  }
  ~SendGuard() {
    if (held) state->end_send(host);
  }
};

// One struct parameter: GCC 12 mis-copies several by-value coroutine parameters (see
// server/http/server.cpp).
struct SendJob {
  StatePtr state;
  storage::DeliveryRecord row;
  std::string host;
};

// One struct parameter: GCC 12 mis-copies several by-value coroutine parameters.
struct PrepareJob {
  std::shared_ptr<const WorkerDeps> deps;
  storage::DeliveryRecord row;
  std::string host;
};

asio::awaitable<std::optional<std::variant<Outcome, http::OutboundRequest>>> prepare_on(
    PrepareJob job) {
  co_return detail::prepare(*job.deps, job.row, job.host);
}

// The write of one attempt's outcome, as a named callable: GCC 12 miscompiled the equivalent
// lambda capturing coroutine locals by value (the copies held garbage).
struct OutcomeWrite {
  const WorkerDeps* deps;
  storage::DeliveryRecord row;
  std::string host;
  Outcome outcome;
  storage::Millis at;
  Result<void> operator()(storage::Connection& conn) const {
    return detail::write_outcome(conn, *deps, row, host, outcome, at);
  }
};

struct SendArgs {
  StatePtr state;
  std::int64_t id;
  http::OutboundRequest request;
};

// The send raced against the worker's own deadline. nullopt: abandoned by stop().
asio::awaitable<std::optional<Result<http::OutboundResponse>>> send_with_deadline(SendArgs args) {
  StatePtr s = args.state;
  asio::steady_timer deadline(s->strand, s->deps->settings.request_timeout);
  s->in_flight[args.id].deadline = &deadline;
  // The send runs off the strand, on the work executor: it signs the request (RSA, about
  // 280 us), which on the strand took turns on one core for every delivery.
  auto sending = asio::co_spawn(s->work, s->deps->transport.send(std::move(args.request)),
                                asio::use_awaitable);
  auto expiring = deadline.async_wait(asio::as_tuple(asio::use_awaitable));
  auto raced = co_await (std::move(sending) || std::move(expiring));
  s->in_flight[args.id].deadline = nullptr;
  if (s->abandoning) co_return std::nullopt;
  if (raced.index() == 0) co_return std::move(std::get<0>(raced));
  co_return Result<http::OutboundResponse>(make_error_code(http::HttpError::timeout));
}

asio::awaitable<void> deliver(SendJob send) {
  StatePtr s = send.state;
  const storage::DeliveryRecord row = std::move(send.row);
  const std::string host = std::move(send.host);
  SlotGuard guard{s, row.id};
  SendGuard send_place{s, host};
  const WorkerDeps& deps = *s->deps;
  // The key and host reads run off the strand too (prepare_on).
  auto preparing =
      asio::co_spawn(s->work, prepare_on(PrepareJob{s->deps, row, host}), asio::use_awaitable);
  auto prepared = co_await std::move(preparing);
  if (!prepared) co_return;  // no wake: the next poll retries, not a hot loop

  OutcomeWrite outcome_write{&deps, row, host, {}, 0};
  if (auto* decided = std::get_if<Outcome>(&*prepared)) {
    outcome_write.outcome = std::move(*decided);
  } else {
    // A named local, not a temporary in the co_await expression: GCC 12 destroys such a
    // temporary's members twice.
    SendArgs args{s, row.id, std::move(std::get<http::OutboundRequest>(*prepared))};
    auto response = co_await send_with_deadline(std::move(args));
    if (!response) co_return;  // stop(): the row stays pending for the next start
    outcome_write.outcome = detail::judge(deps, row, *response);
  }
  send_place.end();
  outcome_write.at = deps.clock();
  const Outcome outcome = outcome_write.outcome;
  auto written = co_await write(deps.db, std::move(outcome_write));
  if (!written) {
    deps.log->error("delivery {} to {}: recording the outcome failed: {}", row.id, row.inbox_url,
                    written.error().message());
    co_return;  // no wake: the next poll retries
  }
  detail::log_outcome(deps, row, outcome);
}

// Reads `view` again, from after `after`, when it is empty, stale or older than poll_interval;
// rows in flight are left out. False: the table could not be read.
bool refresh(const StatePtr& s, DueView& view, std::optional<storage::deliveries::DueKey> after) {
  const auto& deps = *s->deps;
  const auto now = asio::steady_timer::clock_type::now();
  if (!view.rows.empty() && !view.stale && now - view.read_at < deps.settings.poll_interval) {
    return true;
  }
  auto rows = deps.db.read([&](storage::Connection& conn) {
    return storage::deliveries::due(conn, deps.clock(), deps.settings.batch_size, after);
  });
  if (!rows) {
    deps.log->warn("delivery queue: reading due rows failed: {}", rows.error().message());
    return false;
  }
  view.last.reset();
  if (!rows->empty() && rows->size() >= static_cast<std::size_t>(deps.settings.batch_size)) {
    view.last = storage::deliveries::DueKey::of(rows->back());
  }
  view.rows.clear();
  for (auto& row : *rows) {
    if (!s->in_flight.count(row.id)) view.rows.push_back(std::move(row));
  }
  view.read_at = now;
  view.stale = false;
  return true;
}

// Starts a send for each row of `rows` whose host has a free place, until the limits are
// reached; returns how many. Rows left wait for a later pass.
std::size_t start_sends(const StatePtr& s, std::deque<storage::DeliveryRecord>& rows,
                        const std::function<bool()>& full) {
  const auto& deps = *s->deps;
  std::size_t started = 0;
  for (auto it = rows.begin(); it != rows.end() && !full();) {
    std::string host = http::authority_of(it->inbox_url).value_or("");
    auto& on_host = s->per_host[host];
    if (on_host >= deps.settings.max_per_host) {
      ++it;  // stays for a later pass, when the host has a free place
      continue;
    }
    ++on_host;
    ++s->sending;
    ++started;
    storage::DeliveryRecord row = std::move(*it);
    it = rows.erase(it);
    s->in_flight[row.id] = WorkerState::InFlight{host, nullptr};
    s->count = s->in_flight.size();
    const std::string what = "delivery " + std::to_string(row.id);
    asio::co_spawn(s->strand, deliver(SendJob{s, std::move(row), std::move(host)}),
                   log_escaped_exception(deps.log, what));
  }
  return started;
}

// One pass: spawn a send for each due row that fits the limits, the earliest rows first.
void fill(const StatePtr& s) {
  const auto& deps = *s->deps;
  // Rows waiting for their outcome to be written are bounded too, by a few rounds of sends.
  const auto max_rows = 4 * deps.settings.max_concurrent;
  const std::function<bool()> full = [&] {
    return s->sending >= deps.settings.max_concurrent || s->in_flight.size() >= max_rows;
  };
  if (full() || !refresh(s, s->due, std::nullopt)) return;
  start_sends(s, s->due.rows, full);
  if (!s->due.last) {
    // The first batch holds every due row: nothing further, and the next walk starts after it.
    s->further.rows.clear();
    s->further_after.reset();
    return;
  }
  if (full()) return;
  // What the first batch reaches now goes from the front of the page after it.
  auto& further = s->further.rows;
  while (!further.empty() && storage::deliveries::DueKey::of(further.front()) <= *s->due.last) {
    further.pop_front();
  }
  auto after = std::max(*s->due.last, s->further_after.value_or(*s->due.last));
  if (!refresh(s, s->further, after)) return;
  if (start_sends(s, further, full) == 0 && !full()) {
    // Nothing here for a host with a free place: the next pass reads the page after this one,
    // or starts again just after `due` when this was the last.
    s->further_after = s->further.last;
    further.clear();
    s->further.stale = true;
  }
}

asio::awaitable<void> run_loop(StatePtr s) {
  s->loop_running = true;
  while (!s->stopping) {
    fill(s);
    if (!s->woken && !s->stopping) {
      s->wake.expires_after(s->deps->settings.poll_interval);
      co_await s->wake.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    s->woken = false;
  }
  s->loop_running = false;
  s->drained.cancel();
}

// Waits on the strand until no send is in flight and the loop has ended, or `until`.
asio::awaitable<void> wait_drained(StatePtr s, asio::steady_timer::time_point until) {
  while ((!s->in_flight.empty() || s->loop_running) &&
         asio::steady_timer::clock_type::now() < until) {
    s->drained.expires_at(until);
    co_await s->drained.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

asio::awaitable<void> stop_on_strand(StatePtr s) {
  s->stopping = true;
  s->wake.cancel();
  const auto now = asio::steady_timer::clock_type::now();
  co_await wait_drained(s, now + s->deps->settings.stop_timeout);
  if (s->in_flight.empty()) co_return;
  s->deps->log->warn("delivery: abandoning {} sends still in flight; they stay queued",
                     s->in_flight.size());
  s->abandoning = true;
  for (auto& [id, flight] : s->in_flight) {
    if (flight.deadline) flight.deadline->cancel();
  }
  // Abandoned sends end at once (their deadline fired); only rows still reading the key are
  // left, which takes no time.
  co_await wait_drained(s, asio::steady_timer::clock_type::now() + std::chrono::seconds(5));
}

}  // namespace

DeliveryWorker::DeliveryWorker(storage::Database& db, http::Transport& transport, Clock clock,
                               RetryPolicy policy, WorkerSettings settings, RandomUnit random,
                               std::shared_ptr<spdlog::logger> log)
    : deps_(std::make_shared<const WorkerDeps>(
          WorkerDeps{db, transport, std::move(clock), policy, settings, std::move(random),
                     std::move(log), HostHealth(settings.host_failure_days)})) {}

DeliveryWorker::~DeliveryWorker() = default;

void DeliveryWorker::start(asio::any_io_executor executor, asio::any_io_executor work) {
  if (state_) return;
  state_ = std::make_shared<WorkerState>(deps_, std::move(executor), std::move(work));
  asio::co_spawn(state_->strand, run_loop(state_),
                 log_escaped_exception(deps_->log, "delivery loop"));
}

void DeliveryWorker::notify() {
  if (!state_) return;
  asio::post(state_->strand, [s = state_] {
    s->due.stale = true;  // new rows: read the table again, they may come first
    s->further.stale = true;
    s->wake_loop();
  });
}

asio::awaitable<void> DeliveryWorker::stop() {
  auto s = state_;
  if (!s) co_return;
  co_await asio::co_spawn(s->strand, stop_on_strand(s), asio::use_awaitable);
}

std::size_t DeliveryWorker::in_flight() const noexcept {
  return state_ ? state_->count.load() : 0;
}

}  // namespace civicpub::federation::delivery
