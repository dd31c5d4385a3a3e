// `civicpub account update --username NAME [--display-name T] [--summary T]
// [--manual-approval yes|no]`: stores the profile change and queues Update(actor) to followers.
#include "server/cli_federation.hpp"
#include "server/cli_publish.hpp"
#include "server/logging.hpp"

#include "federation/services/profile_service.hpp"

#include <CLI/CLI.hpp>

namespace civicpub::server {

void add_account_update_command(CLI::App& account, AccountUpdateArguments& args) {
  args.update = account.add_subcommand(
      "update", "Change a local account's profile and tell its followers (Update)");
  args.update->add_option("--username", args.username, "The account's username")->required();
  args.update->add_option("--display-name", args.display_name, "The name shown on profiles");
  args.update->add_option("--summary", args.summary, "A short plain-text biography");
  args.update
      ->add_option("--manual-approval", args.manual_approval,
                   "yes: approve each follower yourself; no: accept followers automatically")
      ->check(CLI::IsMember({"yes", "no"}));
}

std::optional<int> run_account_update_command(const Config& config,
                                              const AccountUpdateArguments& args, std::ostream& out,
                                              std::ostream& err) {
  if (args.update == nullptr || !*args.update) return std::nullopt;
  setup_logging(config.logging);
  CliFederation fed(config);
  federation::services::ProfileService service(fed.db(), fed.lookup(), fed.instance(),
                                               federation::system_clock());
  federation::services::ProfileChange change;
  change.display_name = args.display_name;
  change.summary = args.summary;
  if (args.manual_approval) change.manually_approves_followers = *args.manual_approval == "yes";
  auto outcome = fed.run(service.update_profile(args.username, change));
  if (!outcome) {
    return cli_failure(err, "account update",
                       "cannot update '" + args.username + "': " + outcome.error().message());
  }
  out << "updated @" << outcome->actor.username << '@' << outcome->actor.domain << ", "
      << outcome->deliveries << " Update delivery(ies) queued\n";
  return 0;
}

}  // namespace civicpub::server
