// Time is injected (DESIGN.md "Concurrency"): everything in federation/ that needs "now" takes a
// Clock, so tests can pin or advance it.
#pragma once

#include "storage/records.hpp"

#include <chrono>
#include <functional>

namespace civicpub::federation {

using Clock = std::function<storage::Millis()>;

inline storage::Millis system_now_millis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

inline Clock system_clock() { return &system_now_millis; }

}  // namespace civicpub::federation
