// `civicpub init`, `serve`, `account create` and `account list`: the commands that need only the
// database (and, for serve, the whole App).
#include "server/cli/command_table.hpp"

#include "server/cli/runtime.hpp"

#include "federation/clock.hpp"
#include "server/app/app.hpp"
#include "server/app/descriptors.hpp"
#include "server/app/logging.hpp"
#include "server/cli/passwords.hpp"
#include "server/config/settings.hpp"
#include "server/services/accounts.hpp"
#include "server/services/logins.hpp"
#include "storage/actors.hpp"
#include "storage/migrations.hpp"

#include <algorithm>
#include <iostream>
#include <optional>

namespace civicpub::server {

namespace {

struct AccountArguments {
  std::string username;
  std::string type = "person";
  std::string display_name;
  std::string summary;
  std::string email;
  bool password_stdin = false;
};

// CLI11's validator for usernames: a bad one is a usage error (exit 2), like a bad option.
std::string check_username(const std::string& value) {
  const bool valid = !value.empty() && value.size() <= 30 &&
                     std::all_of(value.begin(), value.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                     });
  return valid ? std::string() : "use 1 to 30 of a-z, 0-9 and _ (lowercase), got '" + value + "'";
}

int command_init(const Config& config, std::ostream& out, std::ostream& err) {
  setup_logging(config.logging);
  auto db = open_database(config);  // creates or migrates
  auto version = db->read([](storage::Connection& conn) { return storage::schema_version(conn); });
  if (!version)
    return cli_failure(err, "init", "reading the schema version: " + version.error().message());
  auto actor =
      server::services::ensure_instance_actor(*db, account_settings(config), config.instance.name);
  if (!actor) return cli_failure(err, "init", "creating the instance actor: " + actor.error().message());
  db->close();
  out << "database " << config.storage.path.string() << " ready (schema version " << *version
      << ")\n"
      << "instance actor " << actor->uri << '\n';
  return 0;
}

int command_serve(const Config& config) {
  setup_logging(config.logging);
  // Before App starts the first thread (descriptors.hpp).
  reserve_descriptor_table(descriptors_wanted(config));
  App app(config);
  return app.run();
}

int command_account_create(const Config& config, const AccountArguments& args, std::ostream& out,
                           std::ostream& err) {
  setup_logging(config.logging);
  const auto type = server::services::parse_account_type(args.type);
  if (!type) return cli_failure(err, "account create", "unknown type '" + args.type + "'");
  // The password is read (and checked) before anything is created, so a bad one leaves nothing.
  std::optional<std::string> password;
  if (args.password_stdin) {
    password = read_password(std::cin);
    if (auto bad = password_problem(*password)) return cli_failure(err, "account create", *bad);
  }
  auto db = open_database(config);
  server::services::NewAccount account{args.username, *type, args.display_name, args.summary, {}};
  auto created = server::services::create_local_account(*db, account_settings(config), account);
  if (created) {
    const auto now = federation::system_now_millis();
    if (!args.email.empty()) {
      if (auto set = server::services::set_email(*db, args.username, args.email, now); !set) {
        db->close();
        return cli_failure(err, "account create",
                           "account created, but the e-mail address was refused: " +
                               set.error().message());
      }
    }
    if (password) {
      if (auto set = server::services::set_password(*db, args.username, *password, now); !set) {
        db->close();
        return cli_failure(err, "account create",
                           "account created, but the password was refused: " +
                               set.error().message());
      }
    }
  }
  db->close();
  if (!created) {
    if (created.error() == server::services::AccountError::username_taken) {
      return cli_failure(err, "account create", "username '" + args.username + "' is taken");
    }
    if (created.error() == server::services::AccountError::invalid_username) {
      return cli_failure(err, "account create",
                  "invalid username '" + args.username + "': use 1 to 30 of a-z, 0-9 and _");
    }
    return cli_failure(err, "account create", created.error().message());
  }
  out << "created " << created->type << " @" << created->username << '@' << created->domain << ' '
      << created->uri << '\n';
  return 0;
}

int command_account_list(const Config& config, std::ostream& out, std::ostream& err) {
  setup_logging(config.logging);
  auto db = open_database(config);
  auto actors =
      db->read([](storage::Connection& conn) { return storage::actors::list_local(conn); });
  db->close();
  if (!actors) return cli_failure(err, "account list", actors.error().message());
  // Columns: handle, type, id, display name. Tab-separated so scripts can cut(1) it.
  for (const auto& actor : *actors) {
    out << '@' << actor.username << '@' << actor.domain << '\t' << actor.type << '\t' << actor.uri
        << '\t' << actor.display_name << '\n';
  }
  return 0;
}

}  // namespace

void add_instance_commands(CLI::App& app, CommandTable& table) {
  auto* init = app.add_subcommand(
      "init", "Create or migrate the database and create the instance actor (idempotent)");
  table.add(init, command_init);
  auto* serve = app.add_subcommand("serve", "Serve HTTP(S) in the foreground until SIGTERM");
  table.add(serve, [](const Config& config, std::ostream&, std::ostream&) {
    return command_serve(config);
  });
}

void add_account_commands(CLI::App& account, CommandTable& table) {
  auto& args = table.arguments<AccountArguments>();
  auto* create = account.add_subcommand("create", "Create a local account with its keys");
  create->add_option("--username", args.username, "Lowercase a-z, 0-9, _ (1 to 30)")
      ->required()
      ->check(CLI::Validator(check_username, "USERNAME", "username"));
  create->add_option("--type", args.type, "person, organization or service (default person)")
      ->check(CLI::IsMember({"person", "organization", "service"}));
  create->add_option("--display-name", args.display_name, "The name shown on profiles");
  create->add_option("--summary", args.summary, "A short plain-text biography");
  create->add_option("--email", args.email, "The e-mail address the person logs in with");
  create->add_flag("--password-stdin", args.password_stdin,
                   "Read the login password from the first line of standard input");
  table.add(create, [&args](const Config& config, std::ostream& out, std::ostream& err) {
    return command_account_create(config, args, out, err);
  });
  auto* list = account.add_subcommand("list", "List local accounts");
  table.add(list, command_account_list);
}

}  // namespace civicpub::server
