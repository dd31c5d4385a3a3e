// `civicpub account requests|approve|reject`: answering follow requests for an account that
// approves its followers by hand (`account update --manual-approval yes`). Database only: the
// Accept or Reject is queued in the same transaction and the server's delivery worker sends it.
#pragma once

#include "server/config.hpp"

#include <optional>
#include <ostream>
#include <string>

namespace CLI {
class App;
}

namespace civicpub::server {

struct FollowRequestArguments {
  CLI::App* requests = nullptr;
  CLI::App* approve = nullptr;
  CLI::App* reject = nullptr;
  std::string username;
  std::string follower;  // actor URL or @user@domain of a pending follower
};

// `account` is the existing `civicpub account` subcommand.
void add_follow_request_commands(CLI::App& account, FollowRequestArguments& args);
std::optional<int> run_follow_request_commands(const Config& config,
                                               const FollowRequestArguments& args,
                                               std::ostream& out, std::ostream& err);

}  // namespace civicpub::server
