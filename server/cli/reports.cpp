// `civicpub report list [--all]`, `report show ID`, `report resolve ID` and
// `civicpub report send URL --reason TEXT` (docs/moderation.md).
#include "server/cli/command_table.hpp"
#include "server/cli/runtime.hpp"

#include "federation/as2/time_format.hpp"
#include "federation/clock.hpp"
#include "server/app/logging.hpp"
#include "server/config/settings.hpp"
#include "server/services/reports.hpp"

namespace civicpub::server {
namespace {

struct ReportArguments {
  bool all = false;
  int limit = 100;
  std::int64_t id = 0;
  std::string url;
  std::string reason;
};

std::string state_of(const storage::ReportRecord& r) {
  return r.resolved_at ? "resolved" : "open";
}

int list_command(const Config& config, const ReportArguments& args, std::ostream& out,
                 std::ostream& err) {
  setup_logging(config.logging);
  auto db = open_database(config);
  auto reports = services::list_reports(*db, args.all, args.limit);
  db->close();
  if (!reports) return cli_failure(err, "report list", reports.error().message());
  // Columns: id, received|sent, open|resolved, time, reporter, reported account, posts. Tabs.
  for (const auto& r : *reports) {
    out << r.id << '\t' << storage::to_string(r.direction) << '\t' << state_of(r) << '\t'
        << federation::as2::format_iso8601_ms(r.created_at) << '\t' << r.reporter_uri << '\t'
        << r.account_uri << '\t' << r.object_uris.size() << " post(s)\n";
  }
  return 0;
}

int show_command(const Config& config, const ReportArguments& args, std::ostream& out,
                 std::ostream& err) {
  setup_logging(config.logging);
  auto db = open_database(config);
  auto r = services::get_report(*db, args.id);
  db->close();
  if (!r) return cli_failure(err, "report show", r.error().message());
  out << "report " << r->id << " (" << storage::to_string(r->direction) << ", " << state_of(*r)
      << ")\n"
      << "flag: " << r->activity_uri << '\n'
      << "from: " << r->reporter_uri << '\n'
      << "at: " << federation::as2::format_iso8601_ms(r->created_at) << '\n'
      << "account: " << r->account_uri << '\n';
  for (const auto& post : r->object_uris) out << "post: " << post << '\n';
  out << "comment: " << r->comment << '\n';
  return 0;
}

int resolve_command(const Config& config, const ReportArguments& args, std::ostream& out,
                    std::ostream& err) {
  setup_logging(config.logging);
  auto db = open_database(config);
  auto done = services::resolve_report(*db, args.id, federation::system_now_millis());
  db->close();
  if (!done) return cli_failure(err, "report resolve", done.error().message());
  out << "report " << args.id << " resolved\n";
  return 0;
}

int send_command(const Config& config, const ReportArguments& args, std::ostream& out,
                 std::ostream& err) {
  setup_logging(config.logging);
  CliRuntime cli(config);
  auto& assembly = cli.assembly();
  services::ReportSender sender{assembly.db(), assembly.instance(), assembly.resolver(),
                                assembly.remote_posts()};
  services::ReportRequest request{args.url, args.reason, federation::system_now_millis()};
  auto sent = cli.run(services::send_report(sender, std::move(request)));
  if (!sent) return cli_failure(err, "report send", args.url + ": " + sent.error().message());
  out << "report " << sent->id << " sent: Flag " << sent->activity_uri << " about "
      << sent->account_uri << " queued\n";
  return 0;
}

}  // namespace

void add_report_commands(CLI::App& app, CommandTable& table) {
  auto& args = table.arguments<ReportArguments>();
  auto* report = app.add_subcommand("report", "Reports (Flag) received and sent");
  report->require_subcommand(1);
  auto* list = report->add_subcommand("list", "List open reports, newest first");
  list->add_flag("--all", args.all, "Resolved ones too");
  list->add_option("--limit", args.limit, "At most this many (default 100)")
      ->check(CLI::Range(1, 100000));
  table.add(list, [&args](const Config& config, std::ostream& out, std::ostream& err) {
    return list_command(config, args, out, err);
  });
  auto* show = report->add_subcommand("show", "Show one report");
  show->add_option("id", args.id, "The report's number")->required();
  table.add(show, [&args](const Config& config, std::ostream& out, std::ostream& err) {
    return show_command(config, args, out, err);
  });
  auto* resolve = report->add_subcommand("resolve", "Mark a report dealt with");
  resolve->add_option("id", args.id, "The report's number")->required();
  table.add(resolve, [&args](const Config& config, std::ostream& out, std::ostream& err) {
    return resolve_command(config, args, out, err);
  });
  auto* send = report->add_subcommand("send", "Report a remote post or account to its server");
  send->add_option("url", args.url, "The post's or the account's URL")->required();
  send->add_option("--reason", args.reason, "The comment sent with the report")->required();
  table.add(send, [&args](const Config& config, std::ostream& out, std::ostream& err) {
    return send_command(config, args, out, err);
  });
}

}  // namespace civicpub::server
