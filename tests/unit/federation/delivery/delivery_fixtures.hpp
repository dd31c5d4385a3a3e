// Shared pieces of the delivery tests: a real SQLite file with a local actor that has a key, a
// manual clock, a fake Transport that records what it was asked to send and answers from a
// script (optionally holding sends until the test releases them), and a deadline-bounded loop
// that runs an io_context until a condition holds.
#pragma once

#include "federation/clock.hpp"
#include "federation/crypto/rsa_key.hpp"
#include "federation/http/transport.hpp"
#include "storage/actors.hpp"
#include "storage/database.hpp"
#include "storage/local_keys.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/url/parse.hpp>
#include <catch2/catch.hpp>

#include <unistd.h>
#include <atomic>
#include <chrono>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

// Catch would print results with Boost's operator<<, which needs T printable; show the error.
namespace Catch {
template <class T, class E>
struct StringMaker<boost::system::result<T, E>> {
  static std::string convert(const boost::system::result<T, E>& r) {
    return r ? std::string("(value)") : "(error: " + r.error().message() + ")";
  }
};
}  // namespace Catch

namespace civicpub::test {

namespace asio = boost::asio;

// 2024-03-01T12:00:00Z
inline constexpr storage::Millis kStart = 1709294400000;

class ManualClock {
 public:
  explicit ManualClock(storage::Millis start = kStart)
      : now_(std::make_shared<std::atomic<storage::Millis>>(start)) {}
  federation::Clock clock() const {
    return [now = now_] { return now->load(); };
  }
  storage::Millis now() const { return now_->load(); }
  void set(storage::Millis t) { now_->store(t); }
  void advance(std::chrono::milliseconds d) { now_->fetch_add(d.count()); }

 private:
  std::shared_ptr<std::atomic<storage::Millis>> now_;
};

class TempFile {
 public:
  TempFile() {
    static std::atomic<int> counter{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("civicpub-delivery-" + std::to_string(::getpid()) + "-" +
            std::to_string(counter.fetch_add(1)));
    std::filesystem::create_directories(dir_);
  }
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string path() const { return (dir_ / "civicpub.db").string(); }

 private:
  std::filesystem::path dir_;
};

inline std::unique_ptr<storage::Database> open_db(const std::string& path) {
  storage::DatabaseOptions options;
  options.path = path;
  auto db = storage::Database::open(options);
  REQUIRE(db);
  return std::move(*db);
}

// One RSA key for the whole test run: generating one per test costs more than the tests.
inline const federation::crypto::RsaKeyPair& test_key() {
  static const auto pair = federation::crypto::generate_rsa_key_pair();
  return pair;
}

struct LocalActor {
  std::int64_t id = 0;
  std::string uri;
};

inline LocalActor add_local_actor(storage::Database& db, const std::string& name) {
  storage::ActorRecord a;
  a.uri = "https://town.example/users/" + name;
  a.local = true;
  a.type = "Organization";
  a.username = name;
  a.domain = "town.example";
  a.inbox = a.uri + "/inbox";
  a.outbox = a.uri + "/outbox";
  a.followers = a.uri + "/followers";
  a.following = a.uri + "/following";
  a.key_id = a.uri + "#main-key";
  a.public_key_pem = test_key().public_pem;
  a.created_at = a.updated_at = 1;
  auto id = db.write_sync([&](storage::Connection& c) -> Result<std::int64_t> {
    auto id = storage::actors::insert_local(c, a);
    if (!id) return id.error();
    storage::LocalKeyRecord key{*id, test_key().private_pem, test_key().public_pem, 1};
    if (auto r = storage::local_keys::insert(c, key); !r) return r.error();
    return *id;
  });
  REQUIRE(id);
  return {*id, a.uri};
}

// Runs `ioc` until `done()` holds or the deadline passes; no fixed sleeps.
inline bool run_until(asio::io_context& ioc, const std::function<bool()>& done,
                      std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= end) return false;
    if (ioc.stopped()) ioc.restart();
    ioc.run_for(std::chrono::milliseconds(5));
  }
  return true;
}

inline federation::http::OutboundResponse response(
    unsigned status, std::vector<std::pair<std::string, std::string>> headers = {}) {
  federation::http::OutboundResponse r;
  r.status = status;
  r.headers = std::move(headers);
  return r;
}

}  // namespace civicpub::test

namespace civicpub::federation::test {

namespace asio = boost::asio;

// Does what the real client does with a request's headers (Host, then the sign hook) and
// answers from `answer`. With `hold` set, each send waits until release() before answering.
class FakeTransport : public http::Transport {
 public:
  explicit FakeTransport(asio::any_io_executor executor) : executor_(std::move(executor)) {}

  std::function<Result<http::OutboundResponse>(const http::OutboundRequest&)> answer =
      [](const http::OutboundRequest&) -> Result<http::OutboundResponse> {
    return civicpub::test::response(202);
  };
  bool hold = false;

  std::vector<http::OutboundRequest> requests;  // as sent: headers after signing
  int active = 0;
  int max_active = 0;
  std::map<std::string, int> active_per_host;
  std::map<std::string, int> max_active_per_host;

  asio::awaitable<Result<http::OutboundResponse>> send(http::OutboundRequest request) override {
    auto url = boost::urls::parse_absolute_uri(request.url);
    REQUIRE(url);
    const std::string host(url->encoded_host_and_port());
    request.set_header("Host", host);
    if (request.sign) request.sign(request, *url);
    requests.push_back(request);
    ++active;
    max_active = std::max(max_active, active);
    int& on_host = active_per_host[host];
    ++on_host;
    max_active_per_host[host] = std::max(max_active_per_host[host], on_host);
    if (hold) {
      auto gate =
          std::make_shared<asio::steady_timer>(executor_, asio::steady_timer::time_point::max());
      gates_.push_back(gate);
      co_await gate->async_wait(asio::as_tuple(asio::use_awaitable));
    }
    --active;
    --active_per_host[host];
    co_return answer(request);
  }

  // Lets every held send answer.
  void release() {
    for (auto& g : gates_) g->cancel();
    gates_.clear();
  }

 private:
  asio::any_io_executor executor_;
  std::vector<std::shared_ptr<asio::steady_timer>> gates_;
};

}  // namespace civicpub::federation::test
