// `civicpub account grant --staff NAME --account ORG [--role post|moderate|admin]`,
// `civicpub account revoke --staff NAME --account ORG` and `civicpub audit [--account ORG]`:
// staff who act for their organisation through the client API, and what they did.
#include "server/cli/command_table.hpp"
#include "server/cli/runtime.hpp"

#include "federation/as2/time_format.hpp"
#include "federation/clock.hpp"
#include "server/app/logging.hpp"
#include "server/config/settings.hpp"
#include "server/services/staff.hpp"

namespace civicpub::server {
namespace {

struct StaffArguments {
  std::string staff;
  std::string account;
  std::string role = "post";
  std::string audit_account;
  int limit = 100;
};

int grant_command(const Config& config, const StaffArguments& args, std::ostream& out,
                  std::ostream& err) {
  setup_logging(config.logging);
  const auto role = storage::parse_staff_role(args.role);
  if (!role) return cli_failure(err, "account grant", "unknown role '" + args.role + "'");
  auto db = open_database(config);
  auto granted = services::grant_staff(*db, args.staff, args.account, *role,
                                       federation::system_now_millis());
  db->close();
  if (!granted) {
    return cli_failure(err, "account grant",
                       "cannot let '" + args.staff + "' act for '" + args.account + "': " +
                           granted.error().message());
  }
  out << '@' << args.staff << " may act for @" << args.account << " (role " << args.role
      << ")\n";
  return 0;
}

int revoke_command(const Config& config, const StaffArguments& args, std::ostream& out,
                   std::ostream& err) {
  setup_logging(config.logging);
  auto db = open_database(config);
  auto revoked = services::revoke_staff(*db, args.staff, args.account);
  db->close();
  if (!revoked) return cli_failure(err, "account revoke", revoked.error().message());
  if (!*revoked) {
    return cli_failure(err, "account revoke",
                       "'" + args.staff + "' held no grant for '" + args.account + "'");
  }
  out << '@' << args.staff << " may no longer act for @" << args.account
      << " (its tokens for it stop working)\n";
  return 0;
}

int audit_command(const Config& config, const StaffArguments& args, std::ostream& out,
                  std::ostream& err) {
  setup_logging(config.logging);
  auto db = open_database(config);
  std::optional<std::string> account;
  if (!args.audit_account.empty()) account = args.audit_account;
  auto entries = services::audit_log(*db, account, args.limit);
  db->close();
  if (!entries) return cli_failure(err, "audit", entries.error().message());
  // Columns: time, account acted as, login that acted, action, object, app id. Tab-separated.
  for (const auto& e : *entries) {
    out << federation::as2::format_iso8601_ms(e.created_at) << "\t@" << e.account_username
        << "\t@" << e.staff_username << '\t' << e.action << '\t' << e.object_uri << '\t'
        << (e.app_id ? std::to_string(*e.app_id) : "-") << '\n';
  }
  return 0;
}

}  // namespace

void add_staff_commands(CLI::App& app, CLI::App& account, CommandTable& table) {
  auto& args = table.arguments<StaffArguments>();
  auto* grant = account.add_subcommand(
      "grant", "Let a person's login act for an organisation account in Mastodon apps");
  grant->add_option("--staff", args.staff, "The person's username")->required();
  grant->add_option("--account", args.account, "The organisation's username")->required();
  grant->add_option("--role", args.role, "post (default), moderate or admin")
      ->check(CLI::IsMember({"post", "moderate", "admin"}));
  table.add(grant, [&args](const Config& config, std::ostream& out, std::ostream& err) {
    return grant_command(config, args, out, err);
  });
  auto* revoke = account.add_subcommand("revoke", "Take a staff grant away");
  revoke->add_option("--staff", args.staff, "The person's username")->required();
  revoke->add_option("--account", args.account, "The organisation's username")->required();
  table.add(revoke, [&args](const Config& config, std::ostream& out, std::ostream& err) {
    return revoke_command(config, args, out, err);
  });
  auto* audit = app.add_subcommand(
      "audit", "List who posted or deleted what through the client API, newest first");
  audit->add_option("--account", args.audit_account, "Only what was done as this account");
  audit->add_option("--limit", args.limit, "At most this many lines (default 100)")
      ->check(CLI::Range(1, 100000));
  table.add(audit, [&args](const Config& config, std::ostream& out, std::ostream& err) {
    return audit_command(config, args, out, err);
  });
}

}  // namespace civicpub::server
