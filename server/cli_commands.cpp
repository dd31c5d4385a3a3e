#include "server/cli_commands.hpp"

#include "federation/accounts.hpp"
#include "server/app.hpp"
#include "server/logging.hpp"
#include "storage/actors.hpp"
#include "storage/migrations.hpp"

namespace civicpub::server {

namespace {

constexpr int kRuntimeFailure = 1;

int fail(std::ostream& err, std::string_view command, std::string_view reason) {
  err << command << ": " << reason << '\n';
  return kRuntimeFailure;
}

}  // namespace

int command_init(const Config& config, std::ostream& out, std::ostream& err) {
  setup_logging(config.logging);
  auto db = open_database(config);  // creates or migrates
  auto version = db->read([](storage::Connection& conn) { return storage::schema_version(conn); });
  if (!version)
    return fail(err, "init", "reading the schema version: " + version.error().message());
  auto actor =
      federation::ensure_instance_actor(*db, account_settings(config), config.instance.name);
  if (!actor) return fail(err, "init", "creating the instance actor: " + actor.error().message());
  db->close();
  out << "database " << config.storage.path.string() << " ready (schema version " << *version
      << ")\n"
      << "instance actor " << actor->uri << '\n';
  return 0;
}

int command_serve(const Config& config) {
  setup_logging(config.logging);
  App app(config);
  return app.run();
}

int command_account_create(const Config& config, const AccountArguments& args, std::ostream& out,
                           std::ostream& err) {
  setup_logging(config.logging);
  const auto type = federation::parse_account_type(args.type);
  if (!type) return fail(err, "account create", "unknown type '" + args.type + "'");
  auto db = open_database(config);
  federation::NewAccount account{args.username, *type, args.display_name, args.summary, {}};
  auto created = federation::create_local_account(*db, account_settings(config), account);
  db->close();
  if (!created) {
    if (created.error() == federation::AccountError::username_taken) {
      return fail(err, "account create", "username '" + args.username + "' is taken");
    }
    if (created.error() == federation::AccountError::invalid_username) {
      return fail(err, "account create",
                  "invalid username '" + args.username + "': use 1 to 30 of a-z, 0-9 and _");
    }
    return fail(err, "account create", created.error().message());
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
  if (!actors) return fail(err, "account list", actors.error().message());
  // Columns: handle, type, id, display name. Tab-separated so scripts can cut(1) it.
  for (const auto& actor : *actors) {
    out << '@' << actor.username << '@' << actor.domain << '\t' << actor.type << '\t' << actor.uri
        << '\t' << actor.display_name << '\n';
  }
  return 0;
}

}  // namespace civicpub::server
