// What a signature verifier needs of an inbound request, independent of Beast.
#pragma once

#include "federation/signatures/header_list.hpp"

#include <string_view>

namespace civicpub::federation::signatures {

struct SignedRequestView {
  std::string_view method;  // as received, e.g. "POST"
  std::string_view target;  // request-target exactly as received: path[?query], not normalized
  const HeaderList& headers;
  std::string_view body;  // the raw bytes received (Digest is checked against these)
};

}  // namespace civicpub::federation::signatures
