// `civicpub account update --username NAME [--display-name T] [--summary T]
// [--manual-approval yes|no]`: stores the profile change and queues Update(actor) to followers.
#include "server/cli/runtime.hpp"
#include "server/cli/command_table.hpp"
#include "server/app/logging.hpp"

#include "server/services/profile_service.hpp"

#include <CLI/CLI.hpp>

namespace civicpub::server {

namespace {

struct AccountUpdateArguments {
  CLI::App* update = nullptr;
  std::string username;
  std::optional<std::string> display_name;
  std::optional<std::string> summary;
  std::optional<std::string> manual_approval;  // yes | no
};

int run_account_update(const Config& config, const AccountUpdateArguments& args,
                       std::ostream& out, std::ostream& err) {
  setup_logging(config.logging);
  CliRuntime cli(config);
  auto& assembly = cli.assembly();
  server::services::ProfileService service(assembly.db(), assembly.lookup(), assembly.instance(),
                                               federation::system_clock());
  server::services::ProfileChange change;
  change.display_name = args.display_name;
  change.summary = args.summary;
  if (args.manual_approval) change.manually_approves_followers = *args.manual_approval == "yes";
  auto outcome = cli.run(service.update_profile(args.username, change));
  if (!outcome) {
    return cli_failure(err, "account update",
                       "cannot update '" + args.username + "': " + outcome.error().message());
  }
  out << "updated @" << outcome->actor.username << '@' << outcome->actor.domain << ", "
      << outcome->deliveries << " Update delivery(ies) queued\n";
  return 0;
}

}  // namespace

void add_account_update_command(CLI::App& account, CommandTable& table) {
  auto& args = table.arguments<AccountUpdateArguments>();
  args.update = account.add_subcommand(
      "update", "Change a local account's profile and tell its followers (Update)");
  args.update->add_option("--username", args.username, "The account's username")->required();
  args.update->add_option("--display-name", args.display_name, "The name shown on profiles");
  args.update->add_option("--summary", args.summary, "A short plain-text biography");
  args.update
      ->add_option("--manual-approval", args.manual_approval,
                   "yes: approve each follower yourself; no: accept followers automatically")
      ->check(CLI::IsMember({"yes", "no"}));
  table.add(args.update, [&args](const Config& config, std::ostream& out, std::ostream& err) {
    return run_account_update(config, args, out, err);
  });
}

}  // namespace civicpub::server
