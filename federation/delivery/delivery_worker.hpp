// Sends the rows of the delivery queue (DESIGN.md "Outbound post", INTEROP.md section 3).
//
// A loop on a strand picks due rows (storage::deliveries::due), skips rows already in flight,
// keeps to the overall and per-host concurrency limits, and spawns one send per row: load the
// signing key (never stored in the row), build and sign the POST, send it through the
// Transport under a deadline (these off the strand, on the work executor of start()), classify
// the answer (retry_policy.hpp, the one place that decides retry-or-drop) and write the row's
// outcome and the host's health in one write. The limits count sends: a row whose answer is in
// gives its place to the next send while its outcome waits for the writer's commit.
//
// The loop wakes on notify() and polls every poll_interval, so rows queued by another process
// (the CLI) go out too. A pass reads up to batch_size due rows and keeps those it could not start
// yet (limits) for the next passes; it reads the table again after notify(), when they are used
// up, or when they are older than poll_interval, so a row changed behind the worker's back (by
// another process) is seen within poll_interval, as before.
//
// Rows are persisted before the first try and marked done only after a 2xx, so a crash loses
// nothing; a crash between a 2xx and its mark resends once, which the peer's dedupe by activity
// id makes harmless (at least once; docs/delivery.md).
#pragma once

#include "federation/clock.hpp"
#include "federation/delivery/host_health.hpp"
#include "federation/delivery/retry_policy.hpp"
#include "federation/http/transport.hpp"
#include "federation/remote/domain_blocks.hpp"
#include "storage/database.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>

namespace civicpub::federation::delivery {

namespace detail {
struct WorkerDeps;
struct WorkerState;
}  // namespace detail

struct WorkerSettings {
  std::size_t max_concurrent = 16;  // sends in flight overall
  std::size_t max_per_host = 2;     // sends in flight to one host[:port]
  // Rows queued by another process (a CLI post) go out within this: a reply posted from the CLI
  // right after its parent (another CLI post on another server) must not overtake it by up to a
  // whole interval. One indexed read of due rows per interval.
  std::chrono::milliseconds poll_interval{100};
  // Due rows read per pass. Rows beyond a busy host's limit wait in the table; a larger batch
  // lets rows for other hosts behind them go out meanwhile.
  int batch_size = 512;
  // Bound on one whole send, on top of the client's per-step deadlines (redirects included).
  std::chrono::milliseconds request_timeout{std::chrono::seconds(60)};
  // How long stop() lets in-flight sends finish before abandoning them (they stay pending).
  std::chrono::milliseconds stop_timeout{std::chrono::seconds(10)};
  int host_failure_days = 7;  // distinct failing UTC days before a host is skipped
  // A row for an inbox on a blocked domain is given up without a request ("domain blocked"),
  // also when it was queued before the block. Null: nothing is blocked.
  std::shared_ptr<const BlockList> blocks;
};

// A uniform random number in [0, 1) for the retry jitter; injected so tests are deterministic.
using RandomUnit = std::function<double()>;
// A RandomUnit with its own engine seeded from std::random_device (not thread-safe: the worker
// calls it on its strand only).
RandomUnit make_random_unit();

class DeliveryWorker {
 public:
  DeliveryWorker(storage::Database& db, http::Transport& transport, Clock clock, RetryPolicy policy,
                 WorkerSettings settings, RandomUnit random,
                 std::shared_ptr<spdlog::logger> log = spdlog::default_logger());
  // Destroy the worker before the io_context it was started on (its timers belong to it); call
  // stop() first for a clean shutdown.
  ~DeliveryWorker();
  DeliveryWorker(const DeliveryWorker&) = delete;
  DeliveryWorker& operator=(const DeliveryWorker&) = delete;

  // Starts the loop on a strand of `executor`. Each send is prepared (key and host reads),
  // signed and made on `work` (default: `executor` itself, off the strand). A thread pool of
  // its own for `work` lets the sends' RSA signatures run on every core at once: work posted
  // from a thread of `executor` to `executor` itself tends to stay on that thread (Asio keeps
  // a continuation in the posting thread's private queue). Call once.
  void start(boost::asio::any_io_executor executor, boost::asio::any_io_executor work = {});

  // Look for due rows now (from any thread; a no-op before start()).
  void notify();

  // Stops picking rows, lets in-flight sends finish for up to stop_timeout, then abandons the
  // rest (their rows stay pending and go out after the next start).
  boost::asio::awaitable<void> stop();

  // Sends in flight right now (for tests and metrics; any thread).
  std::size_t in_flight() const noexcept;

 private:
  std::shared_ptr<const detail::WorkerDeps> deps_;
  std::shared_ptr<detail::WorkerState> state_;
};

}  // namespace civicpub::federation::delivery
