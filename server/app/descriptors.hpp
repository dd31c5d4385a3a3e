// The process's file descriptor table, grown once at start-up to what the server will use.
//
// Linux keeps a process's descriptors in one table and doubles it when a new descriptor does not
// fit. In a process whose threads share the table, each doubling waits for an RCU grace period
// (synchronize_rcu in expand_files), and every thread opening a descriptor meanwhile waits with
// it. A fan-out to 2,000 servers keeps up to 512 idle connections, so the table doubled twice
// during it, and both times the delivery threads stood still for about 20 ms (a scheduler trace
// of the benchmark's fan-out: docs/performance.md, fix 35). Grown before the first thread
// starts, the table needs no grace period and never grows again within the expected range. The
// cost is kernel memory: 8 bytes per slot, nothing in the process's resident set.
#pragma once

#include "server/config/config.hpp"

#include <cstddef>

namespace civicpub::server {

// Descriptors the configuration can hold open at once: inbound connections, idle and in-flight
// outbound ones, and a margin for the database, logs and listeners.
std::size_t descriptors_wanted(const Config& config);

// Grows the table to hold at least `count` descriptors, within the soft RLIMIT_NOFILE. Returns
// the highest number of descriptors it made room for (0 when it could not, which only means
// the table grows later, as it would have anyway).
std::size_t reserve_descriptor_table(std::size_t count);

}  // namespace civicpub::server
