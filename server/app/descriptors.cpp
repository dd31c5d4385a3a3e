#include "server/app/descriptors.hpp"

#include "federation/http/http_client.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>

namespace civicpub::server {

std::size_t descriptors_wanted(const Config& config) {
  constexpr std::size_t kMargin = 64;  // the database and its WAL, logs, listeners, signals
  const federation::http::ClientSettings client;
  return static_cast<std::size_t>(config.http.max_connections) + client.max_idle_total +
         static_cast<std::size_t>(config.federation.deliveries_in_flight) + kMargin;
}

std::size_t reserve_descriptor_table(std::size_t count) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur != RLIM_INFINITY) count = std::min<std::size_t>(count, limit.rlim_cur);
  if (count < 2) return 0;
  const int any = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (any < 0) return 0;
  // The lowest free descriptor at or above count - 1: the table grows to hold it.
  const int high = ::fcntl(any, F_DUPFD_CLOEXEC, static_cast<int>(count - 1));
  ::close(any);
  if (high < 0) return 0;
  ::close(high);
  return static_cast<std::size_t>(high) + 1;
}

}  // namespace civicpub::server
