#include "server/services/two_factor.hpp"

#include "federation/crypto/random.hpp"
#include "federation/storage_async.hpp"
#include "server/services/logins.hpp"
#include "server/services/service_error.hpp"
#include "storage/actors.hpp"
#include "storage/login_totp.hpp"

#include <liboath/oath.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>

namespace civicpub::server::services {
namespace {

constexpr std::size_t kKeyBytes = 20;  // 160 bits, the HMAC-SHA-1 block RFC 4226 suggests
constexpr unsigned kStepSeconds = OATH_TOTP_DEFAULT_TIME_STEP_SIZE;
constexpr std::size_t kWindow = 1;  // the step before and after the current one too

class TwoFactorCategory final : public KindedCategory {
 public:
  const char* name() const noexcept override { return "civicpub.two_factor"; }
  std::string message(int value) const override {
    switch (static_cast<TwoFactorError>(value)) {
      case TwoFactorError::code_required: return "a code from the authenticator app is needed";
      case TwoFactorError::wrong_code: return "wrong or already used two-factor code";
      case TwoFactorError::not_enabled: return "two-factor sign-in is not enabled";
    }
    return "two-factor error";
  }
  ErrorKind kind(int value) const noexcept override {
    return static_cast<TwoFactorError>(value) == TwoFactorError::not_enabled
               ? ErrorKind::not_found
               : ErrorKind::unauthorized;
  }
};

// liboath wants oath_init() before use; it only initialises its crypto backend, once.
void init_oath() {
  static std::once_flag once;
  std::call_once(once, [] { (void)oath_init(); });
}

Result<storage::ActorRecord> live_local(storage::Database& db, std::string_view username) {
  auto found = db.read([&](storage::Connection& conn) {
    return storage::actors::find_local_by_username(conn, username);
  });
  if (!found) return found.error();
  if (!*found) return make_error_code(ServiceError::unknown_account);
  if ((*found)->deleted_at) return make_error_code(ServiceError::account_deleted);
  return std::move(**found);
}

// RFC 3986 unreserved characters stay, the rest is %-escaped (a username is ASCII already).
std::string uri_escape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string base32(const std::string& bytes) {
  char* encoded = nullptr;
  size_t length = 0;
  if (oath_base32_encode(bytes.data(), bytes.size(), &encoded, &length) != OATH_OK) {
    throw std::runtime_error("liboath cannot encode base32");
  }
  std::unique_ptr<char, decltype(&std::free)> owned(encoded, &std::free);
  std::string out(encoded, length);
  out.erase(std::remove(out.begin(), out.end(), '='), out.end());  // apps want no padding
  return out;
}

// The time step `code` belongs to (the current one or one either side), if it is a valid code.
std::optional<std::int64_t> valid_step(const std::string& hex, const std::string& code,
                                       std::int64_t now_seconds) {
  init_oath();
  std::string secret(hex.size() / 2, '\0');
  size_t secret_length = secret.size();
  if (oath_hex2bin(hex.c_str(), secret.data(), &secret_length) != OATH_OK) return std::nullopt;
  const std::string otp = code.substr(0, 16);
  int position = 0;
  std::uint64_t step = 0;
  const int valid = oath_totp_validate3(secret.data(), secret_length,
                                        static_cast<time_t>(now_seconds), kStepSeconds,
                                        OATH_TOTP_DEFAULT_START_TIME, kWindow, &position, &step,
                                        otp.c_str());
  if (valid < 0) return std::nullopt;
  return static_cast<std::int64_t>(step);
}

// A plain function, not a lambda in the coroutine (GCC 12 destroys its captures twice).
auto accept_job(std::int64_t actor_id, std::int64_t step) {
  return [actor_id, step](storage::Connection& conn) {
    return storage::login_totp::accept_step(conn, actor_id, step);
  };
}

}  // namespace

const KindedCategory& two_factor_error_category() noexcept {
  static const TwoFactorCategory category;
  return category;
}

Result<TotpSetup> enable_two_factor(storage::Database& db, std::string_view username,
                                    std::string_view issuer, storage::Millis now) {
  init_oath();
  auto actor = live_local(db, username);
  if (!actor) return actor.error();
  const std::string key = federation::crypto::random_bytes(kKeyBytes);
  const std::string hex = federation::crypto::to_hex(key);
  auto stored = db.write_sync([&](storage::Connection& conn) {
    return storage::login_totp::set(conn, actor->id, hex, now);
  });
  if (!stored) return stored.error();
  TotpSetup setup;
  setup.secret_base32 = base32(key);
  const std::string label = uri_escape(issuer) + ":" + uri_escape(actor->username);
  setup.uri = "otpauth://totp/" + label + "?secret=" + setup.secret_base32 +
              "&issuer=" + uri_escape(issuer) + "&algorithm=SHA1&digits=6&period=30";
  return setup;
}

Result<void> disable_two_factor(storage::Database& db, std::string_view username) {
  auto actor = live_local(db, username);
  if (!actor) return actor.error();
  auto removed = db.write_sync([&](storage::Connection& conn) {
    return storage::login_totp::remove(conn, actor->id);
  });
  if (!removed) return removed.error();
  if (!*removed) return make_error_code(TwoFactorError::not_enabled);
  return {};
}

Result<bool> has_two_factor(storage::Database& db, std::int64_t actor_id) {
  auto found = db.read([&](storage::Connection& conn) {
    return storage::login_totp::find(conn, actor_id);
  });
  if (!found) return Result<bool>(boost::system::in_place_error, found.error());
  return found->has_value();
}

boost::asio::awaitable<Result<void>> check_two_factor(storage::Database& db,
                                                      LoginThrottle& throttle,
                                                      std::int64_t actor_id, std::string code,
                                                      std::string address,
                                                      std::int64_t now_seconds) {
  auto found = db.read([&](storage::Connection& conn) {
    return storage::login_totp::find(conn, actor_id);
  });
  if (!found) co_return found.error();
  if (!*found) co_return Result<void>{};
  if (code.empty()) co_return make_error_code(TwoFactorError::code_required);
  // Counted apart from the password's failures (whose key is what the person typed), with the
  // same limits: someone who knows the password gets 5 guesses of a million in 5 minutes.
  const std::string key = "2fa:" + std::to_string(actor_id);
  if (!throttle.allowed(key, address)) co_return make_error_code(LoginError::throttled);
  const auto step = valid_step((*found)->secret_hex, code, now_seconds);
  bool accepted = false;
  if (step) {
    auto job = accept_job(actor_id, *step);
    auto fresh = co_await federation::write(db, std::move(job));
    if (!fresh) co_return fresh.error();
    accepted = *fresh;
  }
  if (!accepted) {
    throttle.record_failure(key, address);
    co_return make_error_code(TwoFactorError::wrong_code);
  }
  throttle.record_success(key);
  co_return Result<void>{};
}

}  // namespace civicpub::server::services
