// The CLI commands that federate: follow / unfollow (cli_follow.cpp), post / post edit /
// post delete (cli_post.cpp) and account update (cli_account_update.cpp). Each group adds its
// subcommands to CLI11 (usage errors such as a bad --visibility exit 2 there) and runs when one
// of them was chosen: `run_*` returns nullopt when none was, else the exit code (0, or 1 with one
// line on `err`).
#pragma once

#include "server/config.hpp"

#include <optional>
#include <ostream>
#include <string>

namespace CLI {
class App;
}

namespace civicpub::server {

struct FollowArguments {
  CLI::App* follow = nullptr;
  CLI::App* unfollow = nullptr;
  std::string as;
  std::string target;  // @user@domain[:port] or an actor URL
};

void add_follow_commands(CLI::App& app, FollowArguments& args);
std::optional<int> run_follow_commands(const Config& config, const FollowArguments& args,
                                       std::ostream& out, std::ostream& err);

struct PostArguments {
  CLI::App* post = nullptr;
  CLI::App* edit = nullptr;
  CLI::App* remove = nullptr;
  std::string as;
  std::string visibility = "public";
  std::string content_warning;
  std::string reply_to;  // empty: not a reply
  std::string text;
  std::string url;
};

void add_post_commands(CLI::App& app, PostArguments& args);
std::optional<int> run_post_commands(const Config& config, const PostArguments& args,
                                     std::ostream& out, std::ostream& err);

struct AccountUpdateArguments {
  CLI::App* update = nullptr;
  std::string username;
  std::optional<std::string> display_name;
  std::optional<std::string> summary;
  std::optional<std::string> manual_approval;  // yes | no
};

// `account` is the existing `civicpub account` subcommand.
void add_account_update_command(CLI::App& account, AccountUpdateArguments& args);
std::optional<int> run_account_update_command(const Config& config,
                                              const AccountUpdateArguments& args, std::ostream& out,
                                              std::ostream& err);

}  // namespace civicpub::server
