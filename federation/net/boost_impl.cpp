// The one translation unit that compiles Boost.Asio, Boost.Beast and Boost.URL
// (BOOST_*_SEPARATE_COMPILATION is set for every civicpub target in the top-level CMakeLists).
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
#include <boost/url/src.hpp>
