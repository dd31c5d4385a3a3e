// The one fake federation::http::Transport of the unit tests. It does to a request what the real
// client does before the request goes on the wire (sets Host, then runs the sign hook), records
// it as sent, and answers:
//   1. with the canned answer for its exact URL (answer(), fail()), else
//   2. with `respond(request)` when a test scripted one (the delivery tests answer every inbox
//      alike), else
//   3. 404, as an origin that does not know the URL.
// With `hold` set each send waits until release() before answering (concurrency and shutdown
// tests); `active` and the per-host peaks count the sends in flight.
#pragma once

#include "federation/http/error.hpp"
#include "federation/http/transport.hpp"
#include "federation/http/url_target.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace civicpub::test {

class FakeTransport final : public federation::http::Transport {
 public:
  using Request = federation::http::OutboundRequest;
  using Response = federation::http::OutboundResponse;

  // The answer to every request for `url`.
  void answer(const std::string& url, unsigned status, std::string body = {},
              std::vector<std::pair<std::string, std::string>> headers = {}) {
    Response response;
    response.status = status;
    response.body = std::move(body);
    response.headers = std::move(headers);
    canned_[url] = std::move(response);
  }
  // Every request for `url` fails without an HTTP exchange (refused, timed out, ...).
  void fail(const std::string& url, federation::http::HttpError error) { canned_[url] = error; }

  // Answers what has no canned answer; empty: 404.
  std::function<Result<Response>(const Request&)> respond;
  bool hold = false;
  std::set<std::string> hold_hosts;  // hold only the sends to these hosts (host[:port])

  std::vector<Request> requests;  // as sent: Host and signature headers included
  int active = 0;
  int max_active = 0;
  std::map<std::string, int> active_per_host;
  std::map<std::string, int> max_active_per_host;

  // How often `url` was asked for.
  int fetches(const std::string& url) const {
    return static_cast<int>(std::count_if(requests.begin(), requests.end(),
                                          [&](const Request& r) { return r.url == url; }));
  }

  // Lets every held send answer.
  void release() {
    for (auto& gate : gates_) gate->cancel();
    gates_.clear();
  }

  boost::asio::awaitable<Result<Response>> send(Request request) override {
    std::string host;
    if (auto url = federation::http::parse_absolute_url(request.url)) {
      if (auto target = federation::http::target_of(*url)) {
        host = target->authority;
        request.set_header("Host", host);
        if (request.sign) request.sign(request, *url);
      }
    }
    requests.push_back(request);
    ++active;
    max_active = std::max(max_active, active);
    const int on_host = ++active_per_host[host];
    max_active_per_host[host] = std::max(max_active_per_host[host], on_host);
    if (hold || hold_hosts.count(host)) {
      auto gate = std::make_shared<boost::asio::steady_timer>(
          co_await boost::asio::this_coro::executor, boost::asio::steady_timer::time_point::max());
      gates_.push_back(gate);
      co_await gate->async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    }
    --active;
    --active_per_host[host];
    co_return answer_to(request);
  }

 private:
  Result<Response> answer_to(const Request& request) const {
    Result<Response> out = Response{};
    if (const auto found = canned_.find(request.url); found != canned_.end()) {
      out = found->second;
    } else if (respond) {
      out = respond(request);
    } else {
      out->status = 404;
    }
    if (out && out->final_url.empty()) out->final_url = request.url;
    return out;
  }

  std::map<std::string, Result<Response>> canned_;
  std::vector<std::shared_ptr<boost::asio::steady_timer>> gates_;
};

}  // namespace civicpub::test
