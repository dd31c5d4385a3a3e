// The one way the unit tests drive coroutines: run an operation to completion on an io_context,
// with a deadline. A coroutine that awaits something that never completes (a lost wake-up, a
// timer nobody cancels, a held fake send) makes the test fail with a clear message after
// kRunDeadline instead of hanging ctest until its own timeout.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace civicpub::test {

// Generous: every unit-test coroutine finishes in well under a second, even on a loaded
// two-core machine; only a hang gets near it.
inline constexpr std::chrono::seconds kRunDeadline{30};

// Thrown (and so reported by Catch with its message) when an operation is still running at its
// deadline.
class RunTimeout : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace detail {

template <class A>
struct AwaitableValue;
template <class T>
struct AwaitableValue<boost::asio::awaitable<T>> {
  using type = T;
};

template <class Op>
struct OpResult {
  using type = typename AwaitableValue<std::invoke_result_t<Op&>>::type;
};
template <class T>
struct OpResult<boost::asio::awaitable<T>> {
  using type = T;
};

// Shared with the completion handler: if the deadline passes, the handler may still run later
// (on an io_context that outlives this call) and must not write into a dead stack frame.
template <class T>
struct RunState {
  bool done = false;
  std::exception_ptr error;
  std::optional<std::conditional_t<std::is_void_v<T>, bool, T>> value;
};

inline std::string seconds_text(std::chrono::steady_clock::duration d) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
}

// Runs `ioc` until it runs out of work, as io_context::run() does, but no longer than
// `deadline`. Running out of work, not just the operation finishing, is what makes it safe to
// destroy the io_context afterwards: another thread may still hold work on it (a storage write
// keeps a work guard until its completion has been posted, federation/storage_async.hpp).
inline void drive(boost::asio::io_context& ioc, const std::function<bool()>& done,
                  std::chrono::steady_clock::duration deadline) {
  if (ioc.stopped()) ioc.restart();
  ioc.run_for(deadline);
  if (!done()) {
    if (ioc.stopped()) {
      throw std::logic_error(
          "test::run: the io_context ran out of work before the coroutine finished");
    }
    throw RunTimeout("test::run: the coroutine is still running after " + seconds_text(deadline) +
                     ": it awaits something that never completes");
  }
  if (!ioc.stopped()) {
    throw RunTimeout("test::run: the coroutine finished, but its io_context still had work after " +
                     seconds_text(deadline) + " (a timer or a spawned task that never ends)");
  }
}

}  // namespace detail

// Runs `op` (an awaitable, or a callable that returns one; a callable is handed to co_spawn
// as it is, never invoked as a temporary) on `ioc` until `ioc` runs out of work, and returns
// the value of `op` or rethrows its exception. RunTimeout when `op`, or work it left behind, is
// still running at the deadline. For an io_context with long-lived work (a worker loop), use
// run_until.
template <class Op>
auto run_on(boost::asio::io_context& ioc, Op op,
            std::chrono::steady_clock::duration deadline = kRunDeadline) {
  using T = typename detail::OpResult<Op>::type;
  auto state = std::make_shared<detail::RunState<T>>();
  if constexpr (std::is_void_v<T>) {
    boost::asio::co_spawn(ioc, std::move(op), [state](std::exception_ptr e) {
      state->error = e;
      state->done = true;
    });
  } else {
    boost::asio::co_spawn(ioc, std::move(op), [state](std::exception_ptr e, T v) {
      state->error = e;
      if (!e) state->value.emplace(std::move(v));
      state->done = true;
    });
  }
  detail::drive(
      ioc, [&state] { return state->done; }, deadline);
  if (state->error) std::rethrow_exception(state->error);
  if constexpr (!std::is_void_v<T>) return std::move(*state->value);
}

// The same on a fresh io_context of its own.
template <class Op>
auto run(Op op, std::chrono::steady_clock::duration deadline = kRunDeadline) {
  boost::asio::io_context ioc;
  return run_on(ioc, std::move(op), deadline);
}

// For tests of long-lived workers: runs `ioc` until `done()` holds; false when the deadline
// passes first (REQUIRE it). No fixed sleeps: handlers run as they become ready.
inline bool run_until(boost::asio::io_context& ioc, const std::function<bool()>& done,
                      std::chrono::steady_clock::duration deadline = kRunDeadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= end) return false;
    if (ioc.stopped()) ioc.restart();
    ioc.run_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace civicpub::test
