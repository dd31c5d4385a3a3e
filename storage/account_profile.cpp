#include "storage/account_profile.hpp"

#include "storage/detail/query.hpp"
#include "storage/statement.hpp"

namespace civicpub::storage::account_profile {
namespace {

constexpr const char* kClearFields = "DELETE FROM account_fields WHERE actor_id = ?1";
constexpr const char* kAddField =
    "INSERT INTO account_fields (actor_id, position, name, value, value_html) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr const char* kFields =
    "SELECT name, value, value_html FROM account_fields WHERE actor_id = ?1 ORDER BY position";
constexpr const char* kSetSettings = R"sql(
INSERT INTO account_settings (actor_id, privacy, sensitive, language, updated_at)
VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT (actor_id) DO UPDATE SET privacy = excluded.privacy, sensitive = excluded.sensitive,
  language = excluded.language, updated_at = excluded.updated_at
)sql";
constexpr const char* kSettings =
    "SELECT privacy, sensitive, language FROM account_settings WHERE actor_id = ?1";
constexpr const char* kSetType = "UPDATE actors SET type = ?2 WHERE id = ?1 AND local = 1";

}  // namespace

Result<void> set_fields(Connection& conn, std::int64_t actor_id,
                        const std::vector<AccountField>& fields) {
  auto clear = Statement::prepare(conn, kClearFields);
  if (!clear) return clear.error();
  clear->bind(1, actor_id);
  if (auto r = clear->run(); !r) return r;
  std::int64_t position = 0;
  for (const auto& f : fields) {
    auto s = Statement::prepare(conn, kAddField);
    if (!s) return s.error();
    s->bind(1, actor_id).bind(2, position++).bind(3, f.name).bind(4, f.value);
    s->bind(5, f.value_html);
    if (auto r = s->run(); !r) return r;
  }
  return {};
}

Result<std::vector<AccountField>> fields(Connection& conn, std::int64_t actor_id) {
  auto s = Statement::prepare(conn, kFields);
  if (!s) return s.error();
  s->bind(1, actor_id);
  return detail::fetch_all(*s, [](const Statement& st) {
    return AccountField{st.column_text(0), st.column_text(1), st.column_text(2)};
  });
}

Result<void> set_settings(Connection& conn, std::int64_t actor_id, const AccountSettings& settings,
                          Millis now) {
  auto s = Statement::prepare(conn, kSetSettings);
  if (!s) return s.error();
  s->bind(1, actor_id).bind(2, settings.privacy).bind(3, settings.sensitive);
  s->bind(4, settings.language).bind(5, now);
  return s->run();
}

Result<AccountSettings> settings(Connection& conn, std::int64_t actor_id) {
  auto s = Statement::prepare(conn, kSettings);
  if (!s) return s.error();
  s->bind(1, actor_id);
  auto row = detail::fetch_one(*s, [](const Statement& st) {
    AccountSettings out;
    out.privacy = st.column_text(0);
    out.sensitive = st.column_int64(1) != 0;
    out.language = st.column_text(2);
    return out;
  });
  if (!row) return row.error();
  return row->value_or(AccountSettings{});
}

Result<void> set_local_type(Connection& conn, std::int64_t actor_id, std::string_view type) {
  auto s = Statement::prepare(conn, kSetType);
  if (!s) return s.error();
  s->bind(1, actor_id).bind(2, type);
  return detail::run_expect_change(conn, *s);
}

}  // namespace civicpub::storage::account_profile
