// Boost.Asio, Beast and URL compiled once for the fuzz targets (BOOST_*_SEPARATE_COMPILATION,
// as federation/net/boost_impl.cpp does for the server), without the TLS part.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
#include <boost/url/src.hpp>
