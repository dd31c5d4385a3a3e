// `civicpub follow --as NAME HANDLE|URL` and `civicpub unfollow --as NAME HANDLE|URL`.
#include "server/cli/runtime.hpp"
#include "server/cli/command_table.hpp"
#include "server/app/logging.hpp"

#include "server/services/follow_service.hpp"

#include <CLI/CLI.hpp>

namespace civicpub::server {

namespace {

struct FollowArguments {
  CLI::App* follow = nullptr;
  CLI::App* unfollow = nullptr;
  std::string as;
  std::string target;  // @user@domain[:port] or an actor URL
};


std::string describe(const server::services::FollowOutcome& outcome) {
  const auto& t = outcome.target;
  return "@" + t.username + "@" + t.domain + " (" + t.uri + ")";
}

int run_follow(const Config& config, const FollowArguments& args, bool follow, std::ostream& out,
               std::ostream& err) {
  const bool unfollow = !follow;
  const std::string_view name = follow ? "follow" : "unfollow";
  setup_logging(config.logging);
  CliRuntime cli(config);
  auto& assembly = cli.assembly();
  server::services::FollowService service(assembly.db(), assembly.lookup(), federation::system_clock());
  auto outcome = follow ? cli.run(service.follow(args.as, args.target))
                        : cli.run(service.unfollow(args.as, args.target));
  if (!outcome) {
    return cli_failure(err, name,
                       "cannot " + std::string(name) + " " + args.target + " as '" + args.as +
                           "': " + outcome.error().message());
  }
  if (unfollow) {
    out << "unfollowed " << describe(*outcome) << '\n';
  } else if (outcome->already) {
    out << "already following " << describe(*outcome) << '\n';
  } else if (outcome->target.local) {
    out << "following " << describe(*outcome) << " (" << storage::to_string(outcome->follow.state)
        << ")\n";
  } else {
    out << "follow requested: " << describe(*outcome) << " (pending until accepted; Follow "
        << outcome->activity_id << " queued for " << outcome->target.inbox << ")\n";
  }
  return 0;
}

}  // namespace

void add_follow_commands(CLI::App& app, CommandTable& table) {
  auto& args = table.arguments<FollowArguments>();
  args.follow = app.add_subcommand("follow", "Make a local account follow another account");
  args.unfollow = app.add_subcommand("unfollow", "Make a local account stop following one");
  for (auto* command : {args.follow, args.unfollow}) {
    command->add_option("--as", args.as, "The local account's username")->required();
    command->add_option("target", args.target, "@user@domain[:port] or an actor URL")->required();
  }
  table.add(args.follow, [&args](const Config& config, std::ostream& out, std::ostream& err) {
    return run_follow(config, args, true, out, err);
  });
  table.add(args.unfollow, [&args](const Config& config, std::ostream& out, std::ostream& err) {
    return run_follow(config, args, false, out, err);
  });
}

}  // namespace civicpub::server
