// The CLI's commands, once arguments and the config are parsed (server/cli.cpp). Each returns the
// process exit code: 0 on success, 1 with a one-line reason on `err`.
#pragma once

#include "server/config.hpp"

#include <ostream>
#include <string>

namespace civicpub::server {

struct AccountArguments {
  std::string username;
  std::string type = "person";
  std::string display_name;
  std::string summary;
};

int command_init(const Config& config, std::ostream& out, std::ostream& err);
int command_serve(const Config& config);
int command_account_create(const Config& config, const AccountArguments& args, std::ostream& out,
                           std::ostream& err);
int command_account_list(const Config& config, std::ostream& out, std::ostream& err);

}  // namespace civicpub::server
