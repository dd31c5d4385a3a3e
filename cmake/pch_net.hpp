// Precompiled header for the network-heavy libraries (federation, server). Parsing Beast and
// Asio once per library instead of once per file keeps rebuilds cheap on 2 cores.
#pragma once
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/system/result.hpp>
#include <rapidjson/document.h>
#include <rapidjson/writer.h>
#include <spdlog/spdlog.h>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
