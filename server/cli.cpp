#include "server/cli.hpp"

#include <cstdio>

namespace civicpub::server {

int run_cli(int, char**) {
  std::fputs("civicpub: not implemented yet\n", stderr);
  return 1;
}

}  // namespace civicpub::server
