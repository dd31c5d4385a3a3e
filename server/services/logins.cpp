#include "server/services/logins.hpp"

#include "server/services/passwords.hpp"
#include "server/services/service_error.hpp"
#include "storage/actors.hpp"
#include "storage/errors.hpp"
#include "storage/logins.hpp"

#include <string>

namespace civicpub::server::services {
namespace {

class LoginCategory final : public KindedCategory {
 public:
  const char* name() const noexcept override { return "civicpub.login"; }
  std::string message(int value) const override {
    switch (static_cast<LoginError>(value)) {
      case LoginError::password_too_short: return "the password is shorter than 8 characters";
      case LoginError::password_too_long: return "the password is longer than 1024 bytes";
      case LoginError::invalid_email: return "not an e-mail address";
      case LoginError::email_taken: return "another account has that e-mail address";
      case LoginError::wrong_credentials: return "wrong login or password";
      case LoginError::throttled: return "too many failed logins; try again later";
    }
    return "unknown login error";
  }
  ErrorKind kind(int value) const noexcept override {
    switch (static_cast<LoginError>(value)) {
      case LoginError::password_too_short:
      case LoginError::password_too_long:
      case LoginError::invalid_email: return ErrorKind::invalid_input;
      case LoginError::email_taken: return ErrorKind::conflict;
      case LoginError::wrong_credentials: return ErrorKind::unauthorized;
      case LoginError::throttled: return ErrorKind::transient;
    }
    return ErrorKind::internal;
  }
};

Result<storage::ActorRecord> live_local(storage::Connection& conn, std::string_view username) {
  auto actor = storage::actors::find_local_by_username(conn, username);
  if (!actor) return actor.error();
  if (!*actor) return make_error_code(ServiceError::unknown_account);
  if ((*actor)->deleted_at) return make_error_code(ServiceError::account_deleted);
  return std::move(**actor);
}

bool plausible_email(std::string_view email) {
  const auto at = email.find('@');
  return email.size() <= 254 && at != std::string_view::npos && at > 0 &&
         at + 1 < email.size() && email.find('@', at + 1) == std::string_view::npos &&
         email.find_first_of(" \t\r\n<>\"") == std::string_view::npos;
}

}  // namespace

const KindedCategory& login_error_category() noexcept {
  static const LoginCategory category;
  return category;
}

Result<void> set_password(storage::Database& db, std::string_view username,
                          std::string_view password, storage::Millis now) {
  if (password.size() < kMinPasswordLength) return make_error_code(LoginError::password_too_short);
  if (password.size() > kMaxPasswordLength) return make_error_code(LoginError::password_too_long);
  // argon2 takes tens of milliseconds: never inside the single writer's transaction.
  std::string hash = hash_password(password);
  return db.write_sync([&](storage::Connection& conn) -> Result<void> {
    auto actor = live_local(conn, username);
    if (!actor) return actor.error();
    return storage::logins::set_password_hash(conn, actor->id, hash, now);
  });
}

Result<void> set_email(storage::Database& db, std::string_view username, std::string_view email,
                       storage::Millis now) {
  if (!plausible_email(email)) return make_error_code(LoginError::invalid_email);
  return db.write_sync([&](storage::Connection& conn) -> Result<void> {
    auto actor = live_local(conn, username);
    if (!actor) return actor.error();
    auto set = storage::logins::set_email(conn, actor->id, email, now);
    if (!set && set.error() == storage::Errc::conflict) {
      return make_error_code(LoginError::email_taken);
    }
    return set;
  });
}

Result<storage::ActorRecord> authenticate(storage::Database& db, LoginThrottle& throttle,
                                          std::string_view login, std::string_view password,
                                          std::string_view address) {
  if (!login.empty() && login.front() == '@') login.remove_prefix(1);
  const std::string account_key = [&] {
    std::string key(login.substr(0, 320));
    for (char& c : key) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    return key;
  }();
  if (!throttle.allowed(account_key, address)) return make_error_code(LoginError::throttled);

  struct Found {
    storage::ActorRecord actor;
    std::string hash;
  };
  auto found = db.read([&](storage::Connection& conn) -> Result<std::optional<Found>> {
    std::optional<storage::LoginRecord> record;
    std::optional<storage::ActorRecord> actor;
    if (login.find('@') != std::string_view::npos) {
      auto by_email = storage::logins::find_by_email(conn, login);
      if (!by_email) return by_email.error();
      record = std::move(*by_email);
      if (record) {
        auto a = storage::actors::find_by_id(conn, record->actor_id);
        if (!a) return a.error();
        actor = std::move(*a);
      }
    } else {
      auto a = storage::actors::find_local_by_username(conn, login);
      if (!a) return a.error();
      actor = std::move(*a);
      if (actor) {
        auto by_actor = storage::logins::find_by_actor(conn, actor->id);
        if (!by_actor) return by_actor.error();
        record = std::move(*by_actor);
      }
    }
    if (!record || !actor || actor->deleted_at || !actor->local || !record->password_hash) {
      return std::optional<Found>();
    }
    return std::optional<Found>(Found{std::move(*actor), std::move(*record->password_hash)});
  });
  if (!found) return found.error();
  if (!*found) {
    // Spend the same time as a real check, so the answer's timing does not tell whether the
    // account exists.
    static const std::string dummy = hash_password("civicpub: no such login");
    (void)verify_password(dummy, password);
  }
  if (!*found || !verify_password((*found)->hash, password)) {
    throttle.record_failure(account_key, address);
    return make_error_code(LoginError::wrong_credentials);
  }
  throttle.record_success(account_key);
  return std::move((*found)->actor);
}

}  // namespace civicpub::server::services
