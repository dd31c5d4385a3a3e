#include "common/error_kind.hpp"

#include <catch2/catch.hpp>

TEST_CASE("foreign error categories map to transient or internal") {
  using civicpub::ErrorKind;
  CHECK(civicpub::kind_of(boost::system::errc::make_error_code(boost::system::errc::timed_out)) ==
        ErrorKind::transient);
  CHECK(civicpub::to_string(ErrorKind::gone) == "gone");
}
