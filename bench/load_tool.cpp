// civicpub_load: the compiled load generator and delivery sink of bench/run (bench/bench_load.py
// drives it; docs/performance.md). Loopback only. Python's asyncio spent a third of both cores
// sending the inbox burst and more than civicpub itself receiving the fan-out, so the figures
// measured the load generator as much as the server; this does the same work for a small
// fraction of the CPU, as wrk does for the reads.
//
//   civicpub_load send HOST PORT CONNECTIONS FILE
//       FILE holds whole HTTP/1.1 requests, each as "<byte count>\n<bytes>". Sends every one
//       once over CONNECTIONS keep-alive connections; a 429 or 503 answer (civicpub's inbox
//       back-pressure) is sent again after 50 ms, a dropped connection is reopened and its
//       request sent again. Prints one JSON line: {"statuses": {"202": n, ...}, "seconds": s,
//       "retried": n}.
//   civicpub_load sink PORT HOSTS_FILE SAMPLE_EVERY SAMPLE_FILE
//       Listens on PORT of every address in HOSTS_FILE (one per line), answers 202 to every
//       request and appends every SAMPLE_EVERY-th one to SAMPLE_FILE as a JSON line
//       {"method", "target", "headers": {lower-case name: value}, "body_hex"} for the driver to
//       check its signature. Prints "listening" once every address listens; on SIGTERM prints
//       {"received": n, "sampled": n} and exits.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// --- send -------------------------------------------------------------------------------------

struct Load {
  std::vector<std::string> requests;
  std::deque<std::size_t> pending;
  std::map<unsigned, std::size_t> statuses;
  std::size_t retried = 0;
};

std::vector<std::string> read_requests(const char* path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(std::string("cannot read ") + path);
  std::vector<std::string> out;
  std::size_t size = 0;
  while (in >> size) {
    if (in.get() != '\n') throw std::runtime_error("malformed request file");
    std::string request(size, '\0');
    if (!in.read(request.data(), static_cast<std::streamsize>(size)))
      throw std::runtime_error("truncated request file");
    out.push_back(std::move(request));
  }
  return out;
}

asio::awaitable<void> pause(std::chrono::milliseconds how_long) {
  asio::steady_timer timer(co_await asio::this_coro::executor, how_long);
  boost::system::error_code ec;
  auto wait = timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  co_await std::move(wait);
}

asio::awaitable<void> sender(tcp::endpoint endpoint, Load& load) {
  auto executor = co_await asio::this_coro::executor;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
  while (!load.pending.empty()) {
    const std::size_t index = load.pending.front();
    load.pending.pop_front();
    boost::system::error_code ec;
    if (!stream) {
      stream.emplace(executor);
      buffer.clear();
      auto connect = stream->async_connect(endpoint, asio::redirect_error(asio::use_awaitable, ec));
      co_await std::move(connect);
    }
    if (!ec) {
      auto write = asio::async_write(stream->socket(), asio::buffer(load.requests[index]),
                                     asio::redirect_error(asio::use_awaitable, ec));
      co_await std::move(write);
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(1 << 20);
    if (!ec) {
      auto read =
          http::async_read(*stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
      co_await std::move(read);
    }
    if (ec) {  // the server closed an idle keep-alive connection, or refused one: try again
      load.pending.push_back(index);
      stream.reset();
      co_await pause(10ms);
      continue;
    }
    const unsigned status = parser.get().result_int();
    const bool keep_alive = parser.get().keep_alive();
    if (status == 429 || status == 503) {
      load.pending.push_back(index);
      ++load.retried;
    } else {
      ++load.statuses[status];
    }
    if (!keep_alive) stream.reset();
    if (status == 429 || status == 503) co_await pause(50ms);
  }
}

int send(const char* host, const char* port, int connections, const char* file) {
  Load load;
  load.requests = read_requests(file);
  for (std::size_t i = 0; i < load.requests.size(); ++i) load.pending.push_back(i);
  asio::io_context io(1);
  const tcp::endpoint endpoint(asio::ip::make_address(host),
                               static_cast<unsigned short>(std::atoi(port)));
  const auto start = std::chrono::steady_clock::now();
  const auto count =
      std::min<std::size_t>(static_cast<std::size_t>(connections), load.requests.size());
  for (std::size_t i = 0; i < count; ++i)
    asio::co_spawn(io, sender(endpoint, load), asio::detached);
  io.run();
  const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
  std::ostringstream out;
  out << "{\"statuses\": {";
  const char* separator = "";
  for (const auto& [status, n] : load.statuses) {
    out << separator << '"' << status << "\": " << n;
    separator = ", ";
  }
  out << "}, \"seconds\": " << seconds.count() << ", \"retried\": " << load.retried << "}\n";
  std::cout << out.str() << std::flush;
  return 0;
}

// --- sink -------------------------------------------------------------------------------------

struct Sink {
  std::size_t sample_every = 1;
  std::size_t received = 0;
  std::size_t sampled = 0;
  std::FILE* samples = nullptr;
};

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned char>(c));
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + '"';
}

void write_sample(Sink& sink, const http::request<http::string_body>& request) {
  std::string line = "{\"method\": " + json_string(request.method_string()) +
                     ", \"target\": " + json_string(request.target()) + ", \"headers\": {";
  const char* separator = "";
  for (const auto& field : request) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    line += separator + json_string(name) + ": " + json_string(field.value());
    separator = ", ";
  }
  line += "}, \"body_hex\": \"";
  static constexpr char kHex[] = "0123456789abcdef";
  for (const unsigned char c : request.body()) {
    line += kHex[c >> 4];
    line += kHex[c & 15];
  }
  line += "\"}\n";
  std::fwrite(line.data(), 1, line.size(), sink.samples);
  ++sink.sampled;
}

asio::awaitable<void> serve(tcp::socket socket, Sink& sink) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    boost::system::error_code ec;
    http::request_parser<http::string_body> parser;
    parser.body_limit(16 << 20);
    auto read =
        http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    co_await std::move(read);
    if (ec) co_return;  // the sender hung up
    const auto& request = parser.get();
    if (++sink.received % sink.sample_every == 0) write_sample(sink, request);
    http::response<http::empty_body> response(http::status::accepted, request.version());
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    auto write = http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
    co_await std::move(write);
    if (ec || !request.keep_alive()) co_return;
  }
}

asio::awaitable<void> accept(tcp::acceptor acceptor, Sink& sink) {
  for (;;) {
    boost::system::error_code ec;
    auto next = acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    tcp::socket socket = co_await std::move(next);
    if (ec == asio::error::operation_aborted) co_return;
    if (ec) {  // out of descriptors for a moment: let the open connections finish
      co_await pause(10ms);
      continue;
    }
    asio::co_spawn(acceptor.get_executor(), serve(std::move(socket), sink), asio::detached);
  }
}

int sink(const char* port, const char* hosts_file, int sample_every, const char* sample_file) {
  Sink sink;
  sink.sample_every = static_cast<std::size_t>(std::max(1, sample_every));
  sink.samples = std::fopen(sample_file, "w");
  if (sink.samples == nullptr) throw std::runtime_error(std::string("cannot write ") + sample_file);
  asio::io_context io(1);
  std::ifstream hosts(hosts_file);
  std::string host;
  const auto port_number = static_cast<unsigned short>(std::atoi(port));
  while (std::getline(hosts, host)) {
    if (host.empty()) continue;
    tcp::acceptor acceptor(io);
    const tcp::endpoint endpoint(asio::ip::make_address(host), port_number);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);
    asio::co_spawn(io, accept(std::move(acceptor), sink), asio::detached);
  }
  asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&](const boost::system::error_code&, int) { io.stop(); });
  std::cout << "listening\n" << std::flush;
  io.run();
  std::fclose(sink.samples);
  std::cout << "{\"received\": " << sink.received << ", \"sampled\": " << sink.sampled << "}\n"
            << std::flush;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "send" && argc == 6) return send(argv[2], argv[3], std::atoi(argv[4]), argv[5]);
    if (mode == "sink" && argc == 6) return sink(argv[2], argv[3], std::atoi(argv[4]), argv[5]);
    std::cerr << "usage: civicpub_load send HOST PORT CONNECTIONS FILE\n"
                 "       civicpub_load sink PORT HOSTS_FILE SAMPLE_EVERY SAMPLE_FILE\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "civicpub_load: " << e.what() << '\n';
    return 1;
  }
}
