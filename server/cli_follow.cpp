// `civicpub follow --as NAME HANDLE|URL` and `civicpub unfollow --as NAME HANDLE|URL`.
#include "server/cli_federation.hpp"
#include "server/cli_publish.hpp"
#include "server/logging.hpp"

#include "federation/services/follow_service.hpp"

#include <CLI/CLI.hpp>

namespace civicpub::server {

namespace {

std::string describe(const federation::services::FollowOutcome& outcome) {
  const auto& t = outcome.target;
  return "@" + t.username + "@" + t.domain + " (" + t.uri + ")";
}

}  // namespace

void add_follow_commands(CLI::App& app, FollowArguments& args) {
  args.follow = app.add_subcommand("follow", "Make a local account follow another account");
  args.unfollow = app.add_subcommand("unfollow", "Make a local account stop following one");
  for (auto* command : {args.follow, args.unfollow}) {
    command->add_option("--as", args.as, "The local account's username")->required();
    command->add_option("target", args.target, "@user@domain[:port] or an actor URL")->required();
  }
}

std::optional<int> run_follow_commands(const Config& config, const FollowArguments& args,
                                       std::ostream& out, std::ostream& err) {
  const bool follow = args.follow && *args.follow;
  const bool unfollow = args.unfollow && *args.unfollow;
  if (!follow && !unfollow) return std::nullopt;
  const std::string_view name = follow ? "follow" : "unfollow";
  setup_logging(config.logging);
  CliFederation fed(config);
  federation::services::FollowService service(fed.db(), fed.lookup(), federation::system_clock());
  auto outcome = follow ? fed.run(service.follow(args.as, args.target))
                        : fed.run(service.unfollow(args.as, args.target));
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

}  // namespace civicpub::server
