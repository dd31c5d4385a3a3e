#include "server/services/staff.hpp"

#include "federation/storage_async.hpp"
#include "server/services/service_error.hpp"
#include "storage/actors.hpp"

namespace civicpub::server::services {
namespace {

class StaffCategory final : public KindedCategory {
 public:
  const char* name() const noexcept override { return "civicpub.staff"; }
  std::string message(int value) const override {
    switch (static_cast<StaffError>(value)) {
      case StaffError::no_grant: return "no staff grant for that account";
      case StaffError::own_account: return "an account cannot be staff of itself";
    }
    return "staff error";
  }
  ErrorKind kind(int value) const noexcept override {
    switch (static_cast<StaffError>(value)) {
      case StaffError::no_grant: return ErrorKind::forbidden;
      case StaffError::own_account: return ErrorKind::invalid_input;
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

auto audit_job(storage::AuditRecord entry) {
  return [entry = std::move(entry)](storage::Connection& conn) -> Result<void> {
    auto id = storage::staff::add_audit(conn, entry);
    if (!id) return id.error();
    return {};
  };
}

}  // namespace

const KindedCategory& staff_error_category() noexcept {
  static const StaffCategory category;
  return category;
}

Result<void> grant_staff(storage::Database& db, std::string_view staff, std::string_view account,
                         storage::StaffRole role, storage::Millis now) {
  return db.write_sync([&](storage::Connection& conn) -> Result<void> {
    auto person = live_local(conn, staff);
    if (!person) return person.error();
    auto org = live_local(conn, account);
    if (!org) return org.error();
    if (person->id == org->id) return make_error_code(StaffError::own_account);
    return storage::staff::grant(conn, {person->id, org->id, role, now});
  });
}

Result<bool> revoke_staff(storage::Database& db, std::string_view staff, std::string_view account) {
  return db.write_sync([&](storage::Connection& conn) -> Result<bool> {
    auto person = live_local(conn, staff);
    if (!person) return Result<bool>(boost::system::in_place_error, person.error());
    auto org = live_local(conn, account);
    if (!org) return Result<bool>(boost::system::in_place_error, org.error());
    return storage::staff::revoke(conn, person->id, org->id);
  });
}

Result<bool> holds_grant(storage::Connection& conn, std::int64_t staff_id, std::int64_t account_id) {
  auto grant = storage::staff::find(conn, staff_id, account_id);
  if (!grant) return Result<bool>(boost::system::in_place_error, grant.error());
  return grant->has_value();
}

Result<storage::ActorRecord> acting_account(storage::Database& db, const storage::ActorRecord& login,
                                            std::string_view act_as) {
  if (!act_as.empty() && act_as.front() == '@') act_as.remove_prefix(1);
  if (act_as.empty() || act_as == login.username) return login;
  return db.read([&](storage::Connection& conn) -> Result<storage::ActorRecord> {
    auto org = live_local(conn, act_as);
    if (!org) {
      if (kind_of(org.error()) == ErrorKind::internal) return org.error();
      return make_error_code(StaffError::no_grant);
    }
    auto held = holds_grant(conn, login.id, org->id);
    if (!held) return held.error();
    if (!*held) return make_error_code(StaffError::no_grant);
    return std::move(*org);
  });
}

boost::asio::awaitable<Result<void>> record_audit(storage::Database& db, storage::AuditRecord entry) {
  auto job = audit_job(std::move(entry));
  auto done = co_await federation::write(db, std::move(job));
  co_return done;
}

Result<std::vector<storage::AuditRecord>> audit_log(storage::Database& db,
                                                    std::optional<std::string> account, int limit) {
  return db.read([&](storage::Connection& conn) -> Result<std::vector<storage::AuditRecord>> {
    std::optional<std::int64_t> account_id;
    if (account) {
      auto actor = storage::actors::find_local_by_username(conn, *account);
      if (!actor) return actor.error();
      if (!*actor) return make_error_code(ServiceError::unknown_account);
      account_id = (*actor)->id;
    }
    return storage::staff::audit(conn, account_id, limit);
  });
}

}  // namespace civicpub::server::services
