// What a CLI command that touches the database or the network runs in: an io_context and the
// same Assembly `civicpub serve` builds (server/app/assembly.hpp), so a command and the server
// share every setting. The command writes rows and exits; the running server's delivery worker
// sends what it queued.
#pragma once

#include "server/app/assembly.hpp"
#include "server/config/config.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string_view>

namespace civicpub::server {

// One-line "<command>: <reason>" on `err`, exit code 1.
int cli_failure(std::ostream& err, std::string_view command, std::string_view reason);

class CliRuntime {
 public:
  explicit CliRuntime(const Config& config) : assembly_(config, ioc_.get_executor()) {}

  Assembly& assembly() { return assembly_; }
  storage::Database& db() { return assembly_.db(); }

  // Runs one service call to completion on this object's io_context.
  template <class T>
  Result<T> run(boost::asio::awaitable<Result<T>> task) {
    std::optional<Result<T>> outcome;
    std::exception_ptr failure;
    boost::asio::co_spawn(ioc_, std::move(task), [&](std::exception_ptr e, Result<T> r) {
      failure = e;
      if (!e) outcome.emplace(std::move(r));
    });
    ioc_.restart();
    ioc_.run();
    if (failure) std::rethrow_exception(failure);
    if (!outcome) throw std::logic_error("the command's task did not finish");
    return std::move(*outcome);
  }

 private:
  boost::asio::io_context ioc_;  // declared first: the assembly's client runs on it
  Assembly assembly_;
};

}  // namespace civicpub::server
