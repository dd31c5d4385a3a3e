// Logging set-up: spdlog to stderr, one line per event with a UTC timestamp, so journald (systemd)
// or a terminal shows it as is. Called once, by the composition root or the CLI, before anything
// logs.
#pragma once

#include "server/config/config.hpp"

namespace civicpub::server {

// Installs the stderr logger as spdlog's default at the configured level.
void setup_logging(const LoggingConfig& config);

// Before the config is read (CLI start-up): warnings and errors only.
void setup_default_logging();

}  // namespace civicpub::server
