// `civicpub domain block HOST [--reason TEXT] [--reject-media]`, `domain unblock HOST`,
// `domain list`, and `civicpub actor suspend|unsuspend HANDLE|URL [--reason TEXT]`: instance
// moderation (docs/moderation.md). A running server picks the change up within a second.
#include "server/cli/command_table.hpp"
#include "server/cli/runtime.hpp"

#include "federation/as2/time_format.hpp"
#include "federation/clock.hpp"
#include "server/app/logging.hpp"
#include "server/config/settings.hpp"
#include "server/services/moderation.hpp"

namespace civicpub::server {
namespace {

struct DomainArguments {
  std::string host;
  std::string reason;
  bool reject_media = false;
  std::string actor;  // actor suspend|unsuspend: @user@domain[:port] or an actor URL
};

int block_command(const Config& config, const DomainArguments& args, std::ostream& out,
                  std::ostream& err) {
  setup_logging(config.logging);
  auto db = open_database(config);
  auto done = services::block_domain(*db, args.host, args.reason, args.reject_media,
                                     federation::system_now_millis());
  db->close();
  if (!done) return cli_failure(err, "domain block", args.host + ": " + done.error().message());
  out << (done->added ? "blocked " : "block updated: ") << done->pattern << " ("
      << done->follows_severed << " follow(s) severed, " << done->posts_hidden
      << " post(s) hidden, " << done->deliveries_dropped << " delivery(ies) dropped";
  if (!done->domains.empty()) {
    out << "; known:";
    for (const auto& d : done->domains) out << ' ' << d;
  }
  out << ")\n";
  return 0;
}

int unblock_command(const Config& config, const DomainArguments& args, std::ostream& out,
                    std::ostream& err) {
  setup_logging(config.logging);
  auto db = open_database(config);
  auto done = services::unblock_domain(*db, args.host);
  db->close();
  if (!done) return cli_failure(err, "domain unblock", args.host + ": " + done.error().message());
  out << "unblocked " << *done << " (hidden posts are shown again; severed follows stay gone)\n";
  return 0;
}

int list_command(const Config& config, std::ostream& out, std::ostream& err) {
  setup_logging(config.logging);
  auto db = open_database(config);
  auto blocks = services::list_domain_blocks(*db);
  db->close();
  if (!blocks) return cli_failure(err, "domain list", blocks.error().message());
  // Columns: pattern, since, media (reject-media or -), reason. Tab-separated.
  for (const auto& b : *blocks) {
    out << b.pattern << '\t' << federation::as2::format_iso8601_ms(b.created_at) << '\t'
        << (b.reject_media ? "reject-media" : "-") << '\t' << b.reason << '\n';
  }
  return 0;
}

int suspend_command(const Config& config, const DomainArguments& args, bool suspend,
                    std::ostream& out, std::ostream& err) {
  const std::string_view name = suspend ? "actor suspend" : "actor unsuspend";
  setup_logging(config.logging);
  CliRuntime cli(config);
  auto actor = cli.run(cli.assembly().lookup().resolve(args.actor));
  if (!actor) return cli_failure(err, name, args.actor + ": " + actor.error().message());
  auto done = suspend ? services::suspend_actor(cli.db(), *actor, args.reason,
                                                federation::system_now_millis())
                      : services::unsuspend_actor(cli.db(), *actor);
  if (!done) return cli_failure(err, name, actor->uri + ": " + done.error().message());
  out << (suspend ? "suspended " : "unsuspended ") << actor->uri
      << (suspend ? " (its posts are hidden, its activities refused)\n"
                  : " (its posts are shown again unless its domain is blocked)\n");
  return 0;
}

}  // namespace

void add_domain_block_commands(CLI::App& app, CommandTable& table) {
  auto& args = table.arguments<DomainArguments>();
  auto* domain = app.add_subcommand("domain", "Block or unblock other servers");
  domain->require_subcommand(1);
  const char* host_help =
      "host (every port), host:port (that port only) or *.host (the host and its subdomains)";
  auto* block = domain->add_subcommand("block", "Refuse a server's activities and content");
  block->add_option("host", args.host, host_help)->required();
  block->add_option("--reason", args.reason, "Why (shown by `domain list`)");
  block->add_flag("--reject-media", args.reject_media,
                  "Record that its media is refused (civicpub fetches no media today)");
  table.add(block, [&args](const Config& config, std::ostream& out, std::ostream& err) {
    return block_command(config, args, out, err);
  });
  auto* unblock = domain->add_subcommand("unblock", "Lift a block");
  unblock->add_option("host", args.host, "The pattern as blocked")->required();
  table.add(unblock, [&args](const Config& config, std::ostream& out, std::ostream& err) {
    return unblock_command(config, args, out, err);
  });
  auto* list = domain->add_subcommand("list", "List blocked servers");
  table.add(list, [](const Config& config, std::ostream& out, std::ostream& err) {
    return list_command(config, out, err);
  });

  auto* actor = app.add_subcommand("actor", "Moderate remote actors");
  actor->require_subcommand(1);
  auto* suspend = actor->add_subcommand("suspend", "Hide a remote actor's posts, refuse its activities");
  suspend->add_option("actor", args.actor, "@user@domain[:port] or an actor URL")->required();
  suspend->add_option("--reason", args.reason, "Why (kept with the suspension)");
  table.add(suspend, [&args](const Config& config, std::ostream& out, std::ostream& err) {
    return suspend_command(config, args, true, out, err);
  });
  auto* unsuspend = actor->add_subcommand("unsuspend", "Lift a suspension");
  unsuspend->add_option("actor", args.actor, "@user@domain[:port] or an actor URL")->required();
  table.add(unsuspend, [&args](const Config& config, std::ostream& out, std::ostream& err) {
    return suspend_command(config, args, false, out, err);
  });
}

}  // namespace civicpub::server
