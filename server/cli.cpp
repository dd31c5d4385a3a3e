#include "server/cli.hpp"

#include "server/cli_commands.hpp"
#include "server/cli_follow_requests.hpp"
#include "server/cli_publish.hpp"
#include "server/cli_thread.hpp"
#include "server/config.hpp"
#include "server/logging.hpp"

#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>
#include <string>

namespace civicpub::server {

namespace {

constexpr int kUsageError = 2;
constexpr int kRuntimeFailure = 1;

struct Arguments {
  std::string config_path;
  AccountArguments account;
  FollowArguments follow;
  PostArguments post;
  AccountUpdateArguments account_update;
  FollowRequestArguments follow_requests;
  ThreadArguments thread;
};

// CLI11's validator for usernames: a bad one is a usage error (exit 2), like a bad option.
std::string check_username(const std::string& value) {
  for (char c : value) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return "use 1 to 30 of a-z, 0-9 and _ (lowercase), got '" + value + "'";
    }
  }
  if (value.empty() || value.size() > 30) {
    return "use 1 to 30 of a-z, 0-9 and _ (lowercase), got '" + value + "'";
  }
  return {};
}

}  // namespace

int run_cli(int argc, char** argv) {
  setup_default_logging();
  Arguments args;
  CLI::App app{
      "civicpub: an ActivityPub server for towns, their departments, residents and civic "
      "groups.",
      "civicpub"};
  app.add_option("-c,--config", args.config_path, "The TOML configuration file")
      ->required()
      ->envname("CIVICPUB_CONFIG");
  app.require_subcommand(1);

  auto* init = app.add_subcommand(
      "init", "Create or migrate the database and create the instance actor (idempotent)");
  auto* serve = app.add_subcommand("serve", "Serve HTTP(S) in the foreground until SIGTERM");
  auto* account = app.add_subcommand("account", "Manage local accounts");
  account->require_subcommand(1);
  auto* create = account->add_subcommand("create", "Create a local account with its keys");
  create->add_option("--username", args.account.username, "Lowercase a-z, 0-9, _ (1 to 30)")
      ->required()
      ->check(CLI::Validator(check_username, "USERNAME", "username"));
  create
      ->add_option("--type", args.account.type, "person, organization or service (default person)")
      ->check(CLI::IsMember({"person", "organization", "service"}));
  create->add_option("--display-name", args.account.display_name, "The name shown on profiles");
  create->add_option("--summary", args.account.summary, "A short plain-text biography");
  auto* list = account->add_subcommand("list", "List local accounts");
  add_account_update_command(*account, args.account_update);
  add_follow_request_commands(*account, args.follow_requests);
  add_follow_commands(app, args.follow);
  add_post_commands(app, args.post);
  add_thread_command(app, args.thread);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, std::cout, std::cerr);
    return code == 0 ? 0 : kUsageError;
  }

  try {
    const Config config = load_config(args.config_path);
    if (*init) return command_init(config, std::cout, std::cerr);
    if (*serve) return command_serve(config);
    if (*create) return command_account_create(config, args.account, std::cout, std::cerr);
    if (*list) return command_account_list(config, std::cout, std::cerr);
    if (auto code = run_account_update_command(config, args.account_update, std::cout, std::cerr)) {
      return *code;
    }
    if (auto code =
            run_follow_request_commands(config, args.follow_requests, std::cout, std::cerr)) {
      return *code;
    }
    if (auto code = run_follow_commands(config, args.follow, std::cout, std::cerr)) return *code;
    if (auto code = run_post_commands(config, args.post, std::cout, std::cerr)) return *code;
    if (auto code = run_thread_command(config, args.thread, std::cout, std::cerr)) return *code;
    return kUsageError;  // unreachable: require_subcommand
  } catch (const ConfigError& e) {
    std::cerr << e.what() << '\n';
    return kRuntimeFailure;
  } catch (const std::exception& e) {
    std::cerr << "civicpub: " << e.what() << '\n';
    return kRuntimeFailure;
  }
}

}  // namespace civicpub::server
