#include "server/app/descriptors.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <string>

using namespace civicpub::server;

namespace {

// The size of this process's descriptor table, as the kernel reports it.
std::size_t fd_table_size() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("FDSize:", 0) == 0) return std::stoul(line.substr(7));
  }
  return 0;
}

std::size_t soft_limit() {
  rlimit limit{};
  REQUIRE(getrlimit(RLIMIT_NOFILE, &limit) == 0);
  return limit.rlim_cur == RLIM_INFINITY ? static_cast<std::size_t>(1) << 20 : limit.rlim_cur;
}

}  // namespace

TEST_CASE("descriptors: the table is grown to what the configuration can hold, within the limit") {
  Config config;
  config.http.max_connections = 3000;
  const auto wanted = descriptors_wanted(config);
  // Inbound connections, 512 idle outbound ones, the deliveries in flight, and a margin.
  CHECK(wanted >= 3000 + 512 + static_cast<std::size_t>(config.federation.deliveries_in_flight));

  const auto expected = std::min(wanted, soft_limit());
  const auto reserved = reserve_descriptor_table(wanted);
  CHECK(reserved == expected);
  CHECK(fd_table_size() >= expected);
  // Nothing is left open: the next descriptor is a low one again.
  const int next = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  REQUIRE(next >= 0);
  CHECK(static_cast<std::size_t>(next) + 1 < expected);
  ::close(next);
}
