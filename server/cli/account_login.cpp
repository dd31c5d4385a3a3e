// `civicpub account password NAME` (the new password on standard input) and
// `civicpub account email NAME EMAIL`: a person's login for the Mastodon client API.
#include "server/cli/command_table.hpp"
#include "server/cli/passwords.hpp"
#include "server/cli/runtime.hpp"

#include "federation/clock.hpp"
#include "server/app/logging.hpp"
#include "server/config/settings.hpp"
#include "server/services/logins.hpp"
#include "server/services/passwords.hpp"

#include <iostream>

namespace civicpub::server {

std::string read_password(std::istream& in) {
  std::string line;
  char c = 0;
  while (line.size() < 4096 && in.get(c) && c != '\n') line.push_back(c);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::optional<std::string> password_problem(const std::string& password) {
  if (password.size() < services::kMinPasswordLength) {
    return "the password must have at least " + std::to_string(services::kMinPasswordLength) +
           " characters";
  }
  if (password.size() > services::kMaxPasswordLength) {
    return "the password must have at most " + std::to_string(services::kMaxPasswordLength) +
           " bytes";
  }
  return std::nullopt;
}

namespace {

struct LoginArguments {
  std::string username;
  std::string email;
};

int set_password_command(const Config& config, const LoginArguments& args, std::ostream& out,
                         std::ostream& err) {
  setup_logging(config.logging);
  const std::string password = read_password(std::cin);
  if (auto bad = password_problem(password)) return cli_failure(err, "account password", *bad);
  auto db = open_database(config);
  auto set = services::set_password(*db, args.username, password, federation::system_now_millis());
  db->close();
  if (!set) {
    return cli_failure(err, "account password",
                       "cannot set the password of '" + args.username + "': " +
                           set.error().message());
  }
  out << "password of @" << args.username << " set\n";
  return 0;
}

int set_email_command(const Config& config, const LoginArguments& args, std::ostream& out,
                      std::ostream& err) {
  setup_logging(config.logging);
  auto db = open_database(config);
  auto set = services::set_email(*db, args.username, args.email, federation::system_now_millis());
  db->close();
  if (!set) {
    return cli_failure(err, "account email",
                       "cannot set the e-mail address of '" + args.username + "': " +
                           set.error().message());
  }
  out << "e-mail address of @" << args.username << " set\n";
  return 0;
}

}  // namespace

void add_account_login_commands(CLI::App& account, CommandTable& table) {
  auto& args = table.arguments<LoginArguments>();
  auto* password = account.add_subcommand(
      "password", "Set an account's login password, read from the first line of standard input");
  password->add_option("name", args.username, "The account's username")->required();
  table.add(password, [&args](const Config& config, std::ostream& out, std::ostream& err) {
    return set_password_command(config, args, out, err);
  });
  auto* email = account.add_subcommand("email", "Set the e-mail address an account logs in with");
  email->add_option("name", args.username, "The account's username")->required();
  email->add_option("email", args.email, "The e-mail address")->required();
  table.add(email, [&args](const Config& config, std::ostream& out, std::ostream& err) {
    return set_email_command(config, args, out, err);
  });
}

}  // namespace civicpub::server
