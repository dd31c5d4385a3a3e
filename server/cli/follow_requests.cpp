// `civicpub account requests|approve|reject`: answering follow requests for an account that
// approves its followers by hand (`account update --manual-approval yes`). Database only: the
// Accept or Reject is queued in the same transaction and the server's delivery worker sends it.
#include "server/cli/command_table.hpp"

#include "federation/clock.hpp"
#include "server/services/follow_requests.hpp"
#include "server/config/settings.hpp"
#include "server/cli/runtime.hpp"
#include "storage/actors.hpp"
#include "storage/errors.hpp"
#include "storage/follows.hpp"

#include <CLI/CLI.hpp>

namespace civicpub::server {
namespace {

struct FollowRequestArguments {
  CLI::App* requests = nullptr;
  CLI::App* approve = nullptr;
  CLI::App* reject = nullptr;
  std::string username;
  std::string follower;  // actor URL or @user@domain of a pending follower
};


// Enough for any town's backlog; the list is for a person to read.
constexpr int kMaxListed = 500;

std::string handle_of(const storage::ActorRecord& actor) {
  return "@" + actor.username + "@" + actor.domain;
}

struct Pending {
  storage::ActorRecord account;
  std::vector<storage::ActorRecord> followers;
};

// The local account and its pending followers; a one-line reason when the account is unknown.
Result<Pending> load_pending(storage::Database& db, const std::string& username) {
  return db.read([&](storage::Connection& conn) -> Result<Pending> {
    auto account = storage::actors::find_local_by_username(conn, username);
    if (!account) return account.error();
    if (!*account) return make_error_code(storage::Errc::not_found);
    auto followers = storage::follows::pending_followers_page(conn, (*account)->id, kMaxListed, 0);
    if (!followers) return followers.error();
    return Pending{**account, std::move(*followers)};
  });
}

int answer(storage::Database& db, const Pending& pending, const storage::ActorRecord& follower,
           bool approve, std::ostream& out, std::ostream& err) {
  const auto now = federation::system_now_millis();
  auto done = db.write_sync([&](storage::Connection& conn) -> Result<void> {
    if (approve) {
      auto approved = server::services::approve_follow(conn, follower.id, pending.account.id, now);
      if (!approved) return approved.error();
      return {};
    }
    return server::services::reject_follow(conn, follower.id, pending.account.id, now);
  });
  const char* command = approve ? "account approve" : "account reject";
  if (!done) return cli_failure(err, command, done.error().message());
  out << (approve ? "approved " : "rejected ") << handle_of(follower) << " (" << follower.uri
      << "); the " << (approve ? "Accept" : "Reject") << " is queued for delivery\n";
  return 0;
}

enum class RequestCommand { list, approve, reject };

int run_follow_requests(const Config& config, const FollowRequestArguments& args,
                        RequestCommand which, std::ostream& out, std::ostream& err) {
  const bool list = which == RequestCommand::list;
  const bool approve = which == RequestCommand::approve;
  const char* command = list ? "account requests" : approve ? "account approve" : "account reject";

  auto db = open_database(config);
  auto pending = load_pending(*db, args.username);
  if (!pending) {
    if (pending.error() == storage::Errc::not_found) {
      return cli_failure(err, command, "no local account '" + args.username + "'");
    }
    return cli_failure(err, command, pending.error().message());
  }
  if (list) {
    for (const auto& follower : pending->followers) {
      out << handle_of(follower) << '\t' << follower.uri << '\n';
    }
    if (pending->followers.empty()) out << "no follow requests for @" << args.username << '\n';
    return 0;
  }
  for (const auto& follower : pending->followers) {
    if (follower.uri == args.follower || handle_of(follower) == args.follower ||
        handle_of(follower) == "@" + args.follower) {
      return answer(*db, *pending, follower, approve, out, err);
    }
  }
  return cli_failure(err, command,
                     "no pending follow request from '" + args.follower + "' to @" +
                         args.username + " (see `account requests`)");
}

}  // namespace

void add_follow_request_commands(CLI::App& account, CommandTable& table) {
  auto& args = table.arguments<FollowRequestArguments>();
  args.requests = account.add_subcommand("requests", "List follow requests waiting for approval");
  args.approve = account.add_subcommand("approve", "Approve a follow request (sends Accept)");
  args.reject = account.add_subcommand("reject", "Reject a follow request (sends Reject)");
  for (auto* command : {args.requests, args.approve, args.reject}) {
    command->add_option("--username", args.username, "The local account")->required();
  }
  for (auto* command : {args.approve, args.reject}) {
    command->add_option("follower", args.follower, "The follower's actor URL or @user@domain")
        ->required();
  }
  const std::pair<CLI::App*, RequestCommand> commands[] = {
      {args.requests, RequestCommand::list},
      {args.approve, RequestCommand::approve},
      {args.reject, RequestCommand::reject}};
  for (const auto& [command, which] : commands) {
    table.add(command, [&args, which = which](const Config& config, std::ostream& out,
                                              std::ostream& err) {
      return run_follow_requests(config, args, which, out, err);
    });
  }
}

}  // namespace civicpub::server
