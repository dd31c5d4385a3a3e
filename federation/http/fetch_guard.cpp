#include "federation/http/fetch_guard.hpp"

#include "federation/http/error.hpp"
#include "federation/http/url_target.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace civicpub::federation::http {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
using SteadyClock = std::chrono::steady_clock;

namespace {

// scheme://host[:port] of `url`, lowercase as parsed; empty for a URL the client will refuse.
std::string host_key(std::string_view url) {
  auto parsed = parse_absolute_url(url);
  if (!parsed) return {};
  auto target = target_of(*parsed);
  if (!target) return {};
  return (target->tls ? "https://" : "http://") + target->authority;
}

// What says the host is in trouble (as opposed to "answered, and the answer was no").
bool host_failed(const Result<OutboundResponse>& result) {
  if (!result) return kind_of(result.error()) == ErrorKind::transient;
  return result->status >= 500 || result->status == 429;
}

}  // namespace

FetchGuard::FetchGuard(asio::any_io_executor executor, Transport& inner,
                       FetchGuardSettings settings, Now now)
    : executor_(std::move(executor)),
      inner_(inner),
      settings_(settings),
      now_(now ? std::move(now) : Now([] { return SteadyClock::now(); })) {}

std::size_t FetchGuard::in_flight(std::string_view url) const {
  std::lock_guard lock(mutex_);
  auto found = hosts_.find(host_key(url));
  return found == hosts_.end() ? 0 : found->second.in_flight;
}

void FetchGuard::prune(SteadyClock::time_point now) {
  if (failed_.size() > settings_.max_remembered) {
    std::erase_if(failed_, [&](const auto& entry) { return entry.second.until <= now; });
    // Still full of fresh entries (a flood of distinct URLs): forget them all rather than grow.
    if (failed_.size() > settings_.max_remembered) failed_.clear();
  }
  if (hosts_.size() > settings_.max_remembered) {
    std::erase_if(hosts_, [&](const auto& entry) {
      return entry.second.in_flight == 0 && entry.second.backoff_until <= now;
    });
  }
}

FetchGuard::Admission FetchGuard::admit(const OutboundRequest& request) {
  Admission admission{std::nullopt, host_key(request.url)};
  if (admission.host.empty()) return admission;  // the client refuses it with the real reason
  const auto now = now_();
  std::lock_guard lock(mutex_);
  prune(now);
  if (request.method == boost::beast::http::verb::get) {
    if (auto found = failed_.find(request.url); found != failed_.end()) {
      if (found->second.until > now) {
        if (found->second.status == 0) {
          admission.refusal = Result<OutboundResponse>(make_error_code(HttpError::recently_failed));
        } else {
          OutboundResponse remembered;
          remembered.status = found->second.status;
          remembered.final_url = request.url;
          admission.refusal = Result<OutboundResponse>(std::move(remembered));
        }
        return admission;
      }
      failed_.erase(found);
    }
  }
  Host& host = hosts_[admission.host];
  if (host.backoff_until > now) {
    admission.refusal = Result<OutboundResponse>(make_error_code(HttpError::host_backing_off));
  } else if (host.in_flight >= settings_.max_per_host) {
    admission.refusal = Result<OutboundResponse>(make_error_code(HttpError::host_busy));
  } else {
    ++host.in_flight;
  }
  return admission;
}

void FetchGuard::release(const std::string& host_name) {
  std::lock_guard lock(mutex_);
  Host& host = hosts_[host_name];
  if (host.in_flight > 0) --host.in_flight;
}

void FetchGuard::settle(const std::string& host_name, const std::string& url, bool cacheable,
                        const Result<OutboundResponse>& result, bool cancelled) {
  const auto now = now_();
  std::lock_guard lock(mutex_);
  Host& host = hosts_[host_name];
  if (host.in_flight > 0) --host.in_flight;
  if (cancelled) return;
  if (host_failed(result)) {
    if (++host.failures >= settings_.failures_to_back_off) {
      host.backoff_until = now + settings_.host_backoff;
      host.failures = 0;
    }
  } else {
    host.failures = 0;
  }
  const bool failed = !result || result->status >= 400;
  if (cacheable && failed && settings_.failure_ttl.count() > 0) {
    failed_[url] = Failure{now + settings_.failure_ttl, result ? result->status : 0u};
  }
}

asio::awaitable<Result<OutboundResponse>> FetchGuard::send(OutboundRequest request) {
  auto admission = admit(request);
  if (admission.refusal) co_return std::move(*admission.refusal);
  if (admission.host.empty()) {
    auto refused = co_await inner_.send(std::move(request));
    co_return refused;
  }
  const std::string url = request.url;
  const bool cacheable = request.method == boost::beast::http::verb::get;
  // Gives the host's slot back however the coroutine ends (an exception on cancellation too).
  struct Slot {
    FetchGuard* guard;
    const std::string* host;
    bool settled = false;
    ~Slot() {
      if (!settled) guard->release(*host);
    }
  } slot{this, &admission.host};

  asio::steady_timer deadline(executor_, settings_.deadline);
  auto sending = inner_.send(std::move(request));
  auto expiring = deadline.async_wait(asio::as_tuple(asio::use_awaitable));
  // The whole fetch, redirects included, races the deadline; the loser is cancelled.
  auto raced = co_await (std::move(sending) || std::move(expiring));
  auto state = co_await asio::this_coro::cancellation_state;
  const bool cancelled = state.cancelled() != asio::cancellation_type::none;

  Result<OutboundResponse> result = make_error_code(HttpError::timeout);
  if (cancelled) {
    result = make_error_code(HttpError::cancelled);
  } else if (raced.index() == 0) {
    result = std::move(std::get<0>(raced));
  }
  slot.settled = true;
  settle(admission.host, url, cacheable, result, cancelled);
  co_return result;
}

}  // namespace civicpub::federation::http
