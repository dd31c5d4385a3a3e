// The one way a CLI command is registered: a module adds its CLI11 subcommands (with their
// options and checks: a bad option is a usage error, exit 2) and, for each, what runs when that
// subcommand is the one chosen. run_cli (cli.cpp) parses, loads the config and runs the chosen
// command's function, which returns the exit code (0, or 1 with a one-line reason on `err`).
#pragma once

#include "server/config/config.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <ostream>
#include <utility>
#include <vector>

namespace civicpub::server {

class CommandTable {
 public:
  using Run = std::function<int(const Config& config, std::ostream& out, std::ostream& err)>;

  // Storage for a module's parsed arguments: it lives as long as the table (CLI11 writes into it
  // while parsing, the run function reads it afterwards).
  template <class Arguments>
  Arguments& arguments() {
    auto owned = std::make_shared<Arguments>();
    Arguments& ref = *owned;
    owned_.push_back(std::move(owned));
    return ref;
  }

  void add(CLI::App* command, Run run) { commands_.emplace_back(command, std::move(run)); }

  // The chosen command: of the registered commands CLI11 parsed, the deepest ("post edit", not
  // "post"). Null when none was (a group such as `account` given alone).
  const Run* chosen() const {
    const Run* best = nullptr;
    int best_depth = -1;
    for (const auto& [command, run] : commands_) {
      if (!command->parsed()) continue;
      int depth = 0;
      for (const CLI::App* p = command->get_parent(); p != nullptr; p = p->get_parent()) ++depth;
      if (depth > best_depth) {
        best = &run;
        best_depth = depth;
      }
    }
    return best;
  }

 private:
  std::vector<std::shared_ptr<void>> owned_;
  std::vector<std::pair<CLI::App*, Run>> commands_;
};

// Each group of commands, in its own file.
void add_instance_commands(CLI::App& app, CommandTable& table);          // init, serve
void add_account_commands(CLI::App& account, CommandTable& table);       // create, list
void add_account_update_command(CLI::App& account, CommandTable& table);  // update
void add_account_login_commands(CLI::App& account, CommandTable& table);  // password, email
void add_staff_commands(CLI::App& app, CLI::App& account, CommandTable& table);  // grant, audit
void add_follow_request_commands(CLI::App& account, CommandTable& table);  // requests, ...
void add_follow_commands(CLI::App& app, CommandTable& table);            // follow, unfollow
void add_post_commands(CLI::App& app, CommandTable& table);              // post [edit|delete]
void add_thread_command(CLI::App& app, CommandTable& table);             // thread
void add_group_commands(CLI::App& app, CommandTable& table);             // group ...
void add_group_moderation_commands(CLI::App& group, CommandTable& table);  // group remove, ...
void add_consultation_commands(CLI::App& app, CommandTable& table);      // consultation ...
void add_domain_block_commands(CLI::App& app, CommandTable& table);     // domain ..., actor ...
void add_report_commands(CLI::App& app, CommandTable& table);           // report ...

}  // namespace civicpub::server
