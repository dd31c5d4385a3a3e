// `civicpub account 2fa enable NAME` turns on the TOTP second factor of a person's login and
// prints the otpauth:// URI (for a QR code or an app that takes links) and the key in base32 (to
// type in); `civicpub account 2fa disable NAME` turns it off. The key is shown only here: run
// it where nobody looks over the shoulder, and hand it to the person in private.
#include "server/cli/account_two_factor.hpp"
#include "server/cli/runtime.hpp"

#include "federation/clock.hpp"
#include "server/app/logging.hpp"
#include "server/config/settings.hpp"
#include "server/services/two_factor.hpp"

namespace civicpub::server {
namespace {

struct TwoFactorArguments {
  std::string username;
};

int enable_command(const Config& config, const TwoFactorArguments& args, std::ostream& out,
                   std::ostream& err) {
  setup_logging(config.logging);
  auto db = open_database(config);
  const auto instance = instance_info(config);
  auto setup = services::enable_two_factor(*db, args.username, instance.host,
                                           federation::system_now_millis());
  db->close();
  if (!setup) return cli_failure(err, "account 2fa enable", setup.error().message());
  out << "two-factor sign-in enabled for @" << args.username << "\n"
      << "otpauth URI: " << setup->uri << "\n"
      << "secret: " << setup->secret_base32 << "\n"
      << "Apps now sign in through the consent page with a code; the password grant is refused.\n";
  return 0;
}

int disable_command(const Config& config, const TwoFactorArguments& args, std::ostream& out,
                    std::ostream& err) {
  setup_logging(config.logging);
  auto db = open_database(config);
  auto done = services::disable_two_factor(*db, args.username);
  db->close();
  if (!done) return cli_failure(err, "account 2fa disable", done.error().message());
  out << "two-factor sign-in disabled for @" << args.username << "\n";
  return 0;
}

}  // namespace

void add_account_two_factor_commands(CLI::App& account, CommandTable& table) {
  auto* group = account.add_subcommand("2fa", "Turn a person's TOTP second factor on or off");
  group->require_subcommand(1);
  auto& enable_args = table.arguments<TwoFactorArguments>();
  auto* enable = group->add_subcommand(
      "enable", "Make a new TOTP key for the login and print its otpauth:// URI and secret");
  enable->add_option("name", enable_args.username, "The person's username")->required();
  table.add(enable, [&enable_args](const Config& config, std::ostream& out, std::ostream& err) {
    return enable_command(config, enable_args, out, err);
  });
  auto& disable_args = table.arguments<TwoFactorArguments>();
  auto* disable = group->add_subcommand("disable", "Remove the login's second factor");
  disable->add_option("name", disable_args.username, "The person's username")->required();
  table.add(disable, [&disable_args](const Config& config, std::ostream& out, std::ostream& err) {
    return disable_command(config, disable_args, out, err);
  });
}

}  // namespace civicpub::server
