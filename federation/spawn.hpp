// The completion handler every civicpub coroutine is spawned with: an exception escaping a
// coroutine is a bug, so it is logged rather than lost (`detached`) or allowed to kill the thread.
#pragma once

#include <spdlog/logger.h>

#include <exception>
#include <memory>
#include <string>

namespace civicpub::federation {

inline auto log_escaped_exception(std::shared_ptr<spdlog::logger> log, std::string what) {
  return [log = std::move(log), what = std::move(what)](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      log->error("{}: escaped exception: {}", what, ex.what());
    } catch (...) {
      log->error("{}: escaped non-standard exception", what);
    }
  };
}

}  // namespace civicpub::federation
