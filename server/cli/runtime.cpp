#include "server/cli/runtime.hpp"

namespace civicpub::server {

int cli_failure(std::ostream& err, std::string_view command, std::string_view reason) {
  err << command << ": " << reason << '\n';
  return 1;
}

}  // namespace civicpub::server
