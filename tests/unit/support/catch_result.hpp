// Catch would print a boost::system::result with Boost's operator<<, which needs T printable:
// show the error instead. One definition for every test that includes it (a second one in
// another fixture header would not compile next to this).
#pragma once

#include <boost/system/result.hpp>
#include <catch2/catch.hpp>

#include <string>

namespace Catch {
template <class T, class E>
struct StringMaker<boost::system::result<T, E>> {
  static std::string convert(const boost::system::result<T, E>& r) {
    return r ? std::string("(value)") : "(error: " + r.error().message() + ")";
  }
};
}  // namespace Catch
