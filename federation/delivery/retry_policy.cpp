#include "federation/delivery/retry_policy.hpp"

#include "federation/http/http_date.hpp"

#include "federation/as2/time_format.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace civicpub::federation::delivery {
namespace {

using std::chrono::milliseconds;

// Mastodon's response_error_unsalvageable?: a 4xx says the request itself is wrong (gone,
// forbidden, bad) and sending it again cannot help, except for the ones that are about the moment:
// 401 (a key not yet fetched or rotated), 408 (timeout) and 429 (rate limit). 501: the peer does
// not implement inbox POSTs at all.
bool permanent_status(unsigned status) {
  if (status == 501) return true;
  if (status < 400 || status >= 500) return false;
  return status != 401 && status != 408 && status != 429;
}

}  // namespace

std::optional<milliseconds> parse_retry_after(std::string_view value, const RetryPolicy& policy,
                                              storage::Millis now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  milliseconds wait{0};
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    std::uint64_t seconds = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    // Too many digits to fit: certainly past the cap.
    if (ec == std::errc::result_out_of_range) return policy.max_retry_after;
    if (ec != std::errc() || end != value.data() + value.size()) return std::nullopt;
    if (seconds > static_cast<std::uint64_t>(policy.max_retry_after.count() / 1000 + 1)) {
      return policy.max_retry_after;
    }
    wait = milliseconds(static_cast<std::int64_t>(seconds) * 1000);
  } else {
    // Any of the three HTTP-date forms (RFC 9110 section 5.6.7: recipients accept all of them).
    auto at = http::parse_http_date_lenient(value);
    if (!at) return std::nullopt;
    const auto at_ms = duration_cast<milliseconds>(at->time_since_epoch()).count();
    wait = milliseconds(std::max<storage::Millis>(0, at_ms - now));
  }
  return std::min(wait, policy.max_retry_after);
}

Classification classify_error(const boost::system::error_code& error) {
  Classification c;
  c.verdict = kind_of(error) == ErrorKind::transient ? Verdict::retry : Verdict::give_up;
  c.reason = error.message();
  return c;
}

Classification classify(const Result<http::OutboundResponse>& response, const RetryPolicy& policy,
                        storage::Millis now) {
  if (!response) return classify_error(response.error());
  Classification c;
  const unsigned status = response->status;
  c.status = static_cast<int>(status);
  if (status >= 200 && status < 300) {
    c.verdict = Verdict::done;
    c.host_alive = true;
    return c;
  }
  if (permanent_status(status)) {
    // The host is up and answering; it just does not want this activity.
    c.verdict = Verdict::give_up;
    c.host_alive = true;
    c.reason = "permanent HTTP status " + std::to_string(status);
    return c;
  }
  // 5xx, 401, 408, 429, a final 3xx and anything stranger (1xx, 6xx): try again later.
  c.verdict = Verdict::retry;
  c.reason = "HTTP status " + std::to_string(status);
  if (auto header = response->header("retry-after")) {
    c.retry_after = parse_retry_after(*header, policy, now);
  }
  return c;
}

milliseconds base_backoff(const RetryPolicy& policy, int attempts) {
  const int exponent = std::max(0, attempts - 1);
  const double raw = static_cast<double>(policy.base_delay.count()) *
                     std::pow(policy.factor, static_cast<double>(exponent));
  const double capped = std::min(raw, static_cast<double>(policy.max_delay.count()));
  return milliseconds(static_cast<std::int64_t>(capped));
}

storage::Millis next_attempt_at(const RetryPolicy& policy, int attempts, storage::Millis now,
                                double random_unit, std::optional<milliseconds> retry_after) {
  const double unit = std::clamp(random_unit, 0.0, 1.0);
  const auto backoff = base_backoff(policy, attempts);
  auto delay = milliseconds(static_cast<std::int64_t>(static_cast<double>(backoff.count()) *
                                                      (1.0 + policy.jitter * unit)));
  if (retry_after) delay = std::max(delay, std::min(*retry_after, policy.max_retry_after));
  return now + delay.count();
}

Plan plan(const RetryPolicy& policy, const Classification& c, int attempts, storage::Millis now,
          double random_unit) {
  if (c.verdict == Verdict::done) return {Verdict::done, 0};
  if (c.verdict == Verdict::give_up || attempts >= policy.max_attempts) {
    return {Verdict::give_up, 0};
  }
  return {Verdict::retry, next_attempt_at(policy, attempts, now, random_unit, c.retry_after)};
}

}  // namespace civicpub::federation::delivery
