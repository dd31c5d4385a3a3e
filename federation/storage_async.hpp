// Lets a coroutine `co_await` a storage write. The job runs on the database's writer thread (so it
// may not co_await or do I/O itself); the coroutine resumes on its own executor once the write has
// committed: the completion is posted to the handler's associated executor, never run on the
// writer thread, so no coroutine code ever runs there and blocks the next batch.
#pragma once

#include "storage/database.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <type_traits>
#include <utility>

namespace civicpub::federation {

// `co_await write(db, [](storage::Connection& c) { return storage::posts::insert(c, post); })`
// yields the job's Result<T> after the commit (or the commit's error).
template <class F>
auto write(storage::Database& db, F fn)
    -> boost::asio::awaitable<std::invoke_result_t<F&, storage::Connection&>> {
  using R = std::invoke_result_t<F&, storage::Connection&>;
  auto initiation = [&db](auto handler, F job) {
    auto executor = boost::asio::get_associated_executor(handler);
    // Keeps the io_context from running out of work while the write is queued.
    auto work = boost::asio::make_work_guard(executor);
    db.write_async(std::move(job),
                   [handler = std::move(handler), work = std::move(work)](R result) mutable {
                     auto target = work.get_executor();
                     boost::asio::post(target, [handler = std::move(handler),
                                                result = std::move(result)]() mutable {
                       std::move(handler)(std::move(result));
                     });
                     work.reset();
                   });
  };
  co_return co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void(R)>(
      std::move(initiation), boost::asio::use_awaitable, std::move(fn));
}

}  // namespace civicpub::federation
