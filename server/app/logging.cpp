#include "server/app/logging.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace civicpub::server {

namespace {

// ISO-8601 UTC time, level, message: greppable and sortable.
constexpr const char* kPattern = "%Y-%m-%dT%H:%M:%S.%eZ %l %v";

spdlog::level::level_enum to_spdlog(LogLevel level) {
  switch (level) {
    case LogLevel::trace: return spdlog::level::trace;
    case LogLevel::debug: return spdlog::level::debug;
    case LogLevel::info: return spdlog::level::info;
    case LogLevel::warn: return spdlog::level::warn;
    case LogLevel::error: return spdlog::level::err;
  }
  return spdlog::level::info;
}

void install(spdlog::level::level_enum level) {
  // stderr_sink_mt: several io_context threads log at once.
  auto logger = std::make_shared<spdlog::logger>("civicpub",
                                                 std::make_shared<spdlog::sinks::stderr_sink_mt>());
  logger->set_pattern(kPattern, spdlog::pattern_time_type::utc);
  logger->set_level(level);
  // Flush every line: a crash or SIGKILL must not swallow the last log lines.
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace

void setup_logging(const LoggingConfig& config) {
  install(to_spdlog(config.level));
}

void setup_default_logging() {
  install(spdlog::level::warn);
}

}  // namespace civicpub::server
