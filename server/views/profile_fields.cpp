#include "server/views/profile_fields.hpp"

#include "storage/account_profile.hpp"

namespace civicpub::server::views {

Result<std::vector<federation::as2::ProfileField>> profile_fields(storage::Database& db,
                                                                  std::int64_t actor_id) {
  auto stored = db.read([actor_id](storage::Connection& conn) {
    return storage::account_profile::fields(conn, actor_id);
  });
  if (!stored) return stored.error();
  std::vector<federation::as2::ProfileField> out;
  for (auto& f : *stored) out.push_back({std::move(f.name), std::move(f.value_html)});
  return out;
}

}  // namespace civicpub::server::views
