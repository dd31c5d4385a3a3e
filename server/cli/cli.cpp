#include "server/cli/cli.hpp"

#include "server/cli/command_table.hpp"
#include "server/cli/account_sessions.hpp"
#include "server/cli/account_two_factor.hpp"
#include "server/config/config.hpp"
#include "server/app/logging.hpp"

#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>
#include <string>

namespace civicpub::server {

namespace {

constexpr int kUsageError = 2;
constexpr int kRuntimeFailure = 1;

}  // namespace

int run_cli(int argc, char** argv) {
  setup_default_logging();
  std::string config_path;
  CLI::App app{
      "civicpub: an ActivityPub server for towns, their departments, residents and civic "
      "groups.",
      "civicpub"};
  app.add_option("-c,--config", config_path, "The TOML configuration file")
      ->required()
      ->envname("CIVICPUB_CONFIG");
  app.require_subcommand(1);

  CommandTable table;
  add_instance_commands(app, table);
  auto* account = app.add_subcommand("account", "Manage local accounts");
  account->require_subcommand(1);
  add_account_commands(*account, table);
  add_account_update_command(*account, table);
  add_account_login_commands(*account, table);
  add_account_session_commands(*account, table);
  add_account_two_factor_commands(*account, table);
  add_staff_commands(app, *account, table);
  add_follow_request_commands(*account, table);
  add_follow_commands(app, table);
  add_post_commands(app, table);
  add_thread_command(app, table);
  add_group_commands(app, table);
  add_consultation_commands(app, table);
  add_domain_block_commands(app, table);
  add_report_commands(app, table);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, std::cout, std::cerr);
    return code == 0 ? 0 : kUsageError;
  }

  try {
    const CommandTable::Run* run = table.chosen();
    if (run == nullptr) return kUsageError;  // unreachable: require_subcommand
    const Config config = load_config(config_path);
    return (*run)(config, std::cout, std::cerr);
  } catch (const ConfigError& e) {
    std::cerr << e.what() << '\n';
    return kRuntimeFailure;
  } catch (const std::exception& e) {
    std::cerr << "civicpub: " << e.what() << '\n';
    return kRuntimeFailure;
  }
}

}  // namespace civicpub::server
