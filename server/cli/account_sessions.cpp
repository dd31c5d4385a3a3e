// `civicpub account sessions NAME` lists the OAuth tokens a person's login holds (id, app,
// scopes, created, last used, the account it acts as); `--revoke ID` revokes one.
#include "server/cli/account_sessions.hpp"
#include "server/cli/runtime.hpp"

#include "federation/as2/time_format.hpp"
#include "federation/clock.hpp"
#include "server/app/logging.hpp"
#include "server/config/settings.hpp"
#include "server/services/sessions.hpp"

namespace civicpub::server {
namespace {

struct SessionArguments {
  std::string username;
  std::int64_t revoke = 0;
};

int list_command(storage::Database& db, const SessionArguments& args, std::ostream& out,
                 std::ostream& err) {
  auto sessions = services::list_sessions(db, args.username);
  if (!sessions) {
    return cli_failure(err, "account sessions",
                       "cannot list the sessions of '" + args.username + "': " +
                           sessions.error().message());
  }
  // Tab-separated: id, app, scopes, created, last used, acting as.
  for (const auto& s : *sessions) {
    out << s.token_id << '\t' << s.app_name << '\t' << s.scopes << '\t'
        << federation::as2::format_iso8601_ms(s.created_at) << '\t'
        << (s.last_used_at ? federation::as2::format_iso8601_ms(*s.last_used_at) : "never")
        << "\t@" << s.acting_as << '\n';
  }
  if (sessions->empty()) out << "@" << args.username << " has no sessions\n";
  return 0;
}

int sessions_command(const Config& config, const SessionArguments& args, std::ostream& out,
                     std::ostream& err) {
  setup_logging(config.logging);
  auto db = open_database(config);
  if (args.revoke == 0) {
    const int code = list_command(*db, args, out, err);
    db->close();
    return code;
  }
  auto revoked = services::revoke_session(*db, args.username, args.revoke,
                                          federation::system_now_millis());
  db->close();
  if (!revoked) return cli_failure(err, "account sessions", revoked.error().message());
  if (!*revoked) {
    return cli_failure(err, "account sessions",
                       "'" + args.username + "' has no session " + std::to_string(args.revoke));
  }
  out << "session " << args.revoke << " of @" << args.username
      << " revoked (its requests fail now; its open streams close within 10 s)\n";
  return 0;
}

}  // namespace

void add_account_session_commands(CLI::App& account, CommandTable& table) {
  auto& args = table.arguments<SessionArguments>();
  auto* sessions = account.add_subcommand(
      "sessions", "List the app sessions (OAuth tokens) of a person's login, or revoke one");
  sessions->add_option("name", args.username, "The person's username")->required();
  sessions->add_option("--revoke", args.revoke, "Revoke the session with this id")
      ->check(CLI::PositiveNumber);
  table.add(sessions, [&args](const Config& config, std::ostream& out, std::ostream& err) {
    return sessions_command(config, args, out, err);
  });
}

}  // namespace civicpub::server
