#include "federation/delivery/retry_policy.hpp"

#include "federation/http/error.hpp"
#include "federation/http/http_date.hpp"

#include <boost/asio/error.hpp>
#include <catch2/catch.hpp>

#include <chrono>

using namespace civicpub;
using namespace civicpub::federation;
using namespace civicpub::federation::delivery;
using namespace std::chrono_literals;

namespace {

constexpr storage::Millis kNow = 1709294400000;  // 2024-03-01T12:00:00Z

Result<http::OutboundResponse> status(
    unsigned code, std::vector<std::pair<std::string, std::string>> headers = {}) {
  http::OutboundResponse r;
  r.status = code;
  r.headers = std::move(headers);
  return r;
}

Verdict verdict_of(const Result<http::OutboundResponse>& r) {
  return classify(r, RetryPolicy{}, kNow).verdict;
}

double days(std::chrono::milliseconds d) {
  return static_cast<double>(d.count()) / (24.0 * 3600 * 1000);
}

// The span from the first try to the last: the sum of the delays between them.
std::chrono::milliseconds schedule_span(const RetryPolicy& p, double unit) {
  storage::Millis at = 0;
  for (int attempts = 1; attempts < p.max_attempts; ++attempts) {
    at = next_attempt_at(p, attempts, at, unit);
  }
  return std::chrono::milliseconds(at);
}

}  // namespace

TEST_CASE("2xx is done - the host is alive") {
  for (unsigned code : {200u, 201u, 202u, 204u}) {
    auto c = classify(status(code), RetryPolicy{}, kNow);
    CHECK(c.verdict == Verdict::done);
    CHECK(c.host_alive);
    CHECK(c.status == static_cast<int>(code));
  }
}

TEST_CASE("4xx other than 401, 408, 429, and 501 give up at once") {
  for (unsigned code : {400u, 403u, 404u, 405u, 410u, 413u, 422u, 501u}) {
    INFO(code);
    auto c = classify(status(code), RetryPolicy{}, kNow);
    CHECK(c.verdict == Verdict::give_up);
    CHECK(c.host_alive);  // it answered; the host is not the problem
  }
}

TEST_CASE("5xx, 401, 408, 429 and a final 3xx are retried") {
  for (unsigned code : {401u, 408u, 429u, 500u, 502u, 503u, 504u, 301u, 302u, 308u}) {
    INFO(code);
    auto c = classify(status(code), RetryPolicy{}, kNow);
    CHECK(c.verdict == Verdict::retry);
    CHECK_FALSE(c.host_alive);
  }
}

TEST_CASE("transport errors: transient ones retry, the SSRF guard and bad URLs give up") {
  using http::HttpError;
  for (auto e : {HttpError::timeout, HttpError::connect_failed, HttpError::tls_failed,
                 HttpError::resolve_failed, HttpError::read_failed, HttpError::write_failed}) {
    CHECK(verdict_of(make_error_code(e)) == Verdict::retry);
  }
  for (auto e : {HttpError::blocked_address, HttpError::bad_url, HttpError::unsupported_scheme,
                 HttpError::too_many_redirects, HttpError::bad_redirect}) {
    CHECK(verdict_of(make_error_code(e)) == Verdict::give_up);
  }
  // A raw socket error (system category) is network trouble.
  CHECK(verdict_of(boost::system::error_code(boost::asio::error::connection_reset)) ==
        Verdict::retry);
  auto c = classify(make_error_code(HttpError::timeout), RetryPolicy{}, kNow);
  CHECK(c.status == 0);
  CHECK_FALSE(c.reason.empty());
}

TEST_CASE("Retry-After in seconds and as an HTTP-date, capped at a day") {
  RetryPolicy p;
  auto c = classify(status(429, {{"retry-after", "3600"}}), p, kNow);
  REQUIRE(c.retry_after);
  CHECK(*c.retry_after == 3600s);

  const auto later = std::chrono::system_clock::time_point(std::chrono::milliseconds(kNow)) + 2h;
  c = classify(status(503, {{"retry-after", federation::http::format_http_date(later)}}), p, kNow);
  REQUIRE(c.retry_after);
  CHECK(*c.retry_after == 2h);

  CHECK(parse_retry_after("999999999", p, kNow) == p.max_retry_after);
  CHECK(parse_retry_after("99999999999999999999999", p, kNow) == p.max_retry_after);
  const auto past = std::chrono::system_clock::time_point(std::chrono::milliseconds(kNow)) - 1h;
  CHECK(parse_retry_after(federation::http::format_http_date(past), p, kNow) == 0ms);
  // The obsolete RFC 850 and asctime forms count too (RFC 9110: recipients accept all three).
  constexpr storage::Millis kRfcExample = 784111777000;  // Sun, 06 Nov 1994 08:49:37 GMT
  CHECK(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", p, kRfcExample - 60'000) == 60s);
  CHECK(parse_retry_after("Sun Nov  6 08:49:37 1994", p, kRfcExample - 60'000) == 60s);
  CHECK_FALSE(parse_retry_after("soon", p, kNow));
  CHECK_FALSE(parse_retry_after("-5", p, kNow));
  CHECK_FALSE(parse_retry_after("", p, kNow));
}

TEST_CASE("Retry-After pushes the next try out but never earlier than the backoff") {
  RetryPolicy p;
  CHECK(next_attempt_at(p, 1, kNow, 0.0, 3600s) == kNow + 3600 * 1000);
  // Backoff after 12 failures is the 10 h cap: a 1 s Retry-After does not shorten it.
  CHECK(next_attempt_at(p, 12, kNow, 0.0, 1s) == kNow + 10 * 3600 * 1000);
  // A 2-day Retry-After is read as one day.
  CHECK(next_attempt_at(p, 1, kNow, 0.0, 48h) == kNow + 24 * 3600 * 1000);
}

TEST_CASE("delays grow, are capped, and jitter only lengthens them") {
  RetryPolicy p;
  CHECK(base_backoff(p, 1) == 30s);
  CHECK(base_backoff(p, 2) == 60s);
  CHECK(base_backoff(p, 3) == 120s);
  for (int a = 2; a < p.max_attempts; ++a) CHECK(base_backoff(p, a) >= base_backoff(p, a - 1));
  CHECK(base_backoff(p, 15) == 10h);
  CHECK(base_backoff(p, 1000) == 10h);
  CHECK(next_attempt_at(p, 1, kNow, 0.0) == kNow + 30000);
  CHECK(next_attempt_at(p, 1, kNow, 0.999) <= kNow + 36000);
  CHECK(next_attempt_at(p, 1, kNow, 0.5) == kNow + 33000);
}

TEST_CASE("16 tries span 2 to 3 days whatever the jitter") {
  RetryPolicy p;
  REQUIRE(p.max_attempts == 16);
  const double shortest = days(schedule_span(p, 0.0));
  const double longest = days(schedule_span(p, 0.999999));
  INFO("span " << shortest << " to " << longest << " days");
  CHECK(shortest >= 2.0);
  CHECK(longest <= 3.0);
}

TEST_CASE("plan: retries until the budget is spent, then gives up") {
  RetryPolicy p;
  Classification retry;
  retry.verdict = Verdict::retry;
  for (int attempts = 1; attempts < p.max_attempts; ++attempts) {
    auto pl = plan(p, retry, attempts, kNow, 0.0);
    CHECK(pl.verdict == Verdict::retry);
    CHECK(pl.next_attempt_at > kNow);
  }
  CHECK(plan(p, retry, p.max_attempts, kNow, 0.0).verdict == Verdict::give_up);
  Classification done;
  done.verdict = Verdict::done;
  CHECK(plan(p, done, p.max_attempts, kNow, 0.0).verdict == Verdict::done);
  Classification refused;
  refused.verdict = Verdict::give_up;
  CHECK(plan(p, refused, 1, kNow, 0.0).verdict == Verdict::give_up);
}
