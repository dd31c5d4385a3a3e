// `civicpub consultation create|answer|list|export` (issue 14; docs/consultations.md). `create`
// and `answer` print the new post's id URL as the last line of stdout, like `post`.
#include "server/app/logging.hpp"
#include "server/cli/command_table.hpp"
#include "server/cli/runtime.hpp"

#include "federation/as2/time_format.hpp"
#include "server/services/consultation_service.hpp"
#include "server/services/poll_vote_service.hpp"
#include "server/views/consultation_views.hpp"
#include "storage/polls.hpp"

#include <CLI/CLI.hpp>

#include <fstream>
#include <sstream>

namespace civicpub::server {
namespace {

struct ConsultationArguments {
  CLI::App* create = nullptr;
  CLI::App* answer = nullptr;
  CLI::App* list = nullptr;
  CLI::App* exported = nullptr;
  CLI::App* vote = nullptr;
  std::string as;
  std::string title;
  std::string body;
  std::string body_file;
  std::vector<std::string> options;
  bool multiple = false;
  std::string closes;
  std::vector<std::string> eligible_domains;
  std::string group;
  std::string url;
  std::string text;
  bool with_voters = false;
  std::string format = "csv";
};

services::PostSettings post_settings(const Assembly& assembly) {
  return {assembly.instance().base_url, assembly.instance().effective_handle_domain()};
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

int create(const Config& config, const ConsultationArguments& args, std::ostream& out,
           std::ostream& err) {
  constexpr std::string_view kName = "consultation create";
  auto closes = federation::as2::parse_iso8601(args.closes);
  if (!closes) {
    return cli_failure(err, kName, "--closes: not an RFC 3339 time (2027-03-01T12:00:00Z)");
  }
  std::string body = args.body;
  if (!args.body_file.empty()) {
    std::ifstream in(args.body_file, std::ios::binary);
    if (!in) return cli_failure(err, kName, "--body-file: cannot read " + args.body_file);
    std::ostringstream text;
    text << in.rdbuf();
    body = text.str();
  }
  setup_logging(config.logging);
  CliRuntime cli(config);
  auto& assembly = cli.assembly();
  services::PostService posts(assembly.db(), assembly.lookup(), assembly.remote_posts(),
                              post_settings(assembly), federation::system_clock());
  services::ConsultationService service(assembly.db(), posts, federation::system_clock());
  services::NewConsultation request{args.as,       args.title, std::move(body),      args.options,
                                    args.multiple, *closes,    args.eligible_domains,
                                    std::nullopt};
  if (!args.group.empty()) request.group = args.group;
  auto outcome = cli.run(service.create(std::move(request)));
  if (!outcome) return cli_failure(err, kName, outcome.error().message());
  out << "consultation open until " << args.closes << ", " << outcome->deliveries
      << " delivery(ies) queued\n"
      << outcome->post.ap_id << '\n';
  return 0;
}

int answer(const Config& config, const ConsultationArguments& args, std::ostream& out,
           std::ostream& err) {
  setup_logging(config.logging);
  CliRuntime cli(config);
  auto& assembly = cli.assembly();
  services::PostService posts(assembly.db(), assembly.lookup(), assembly.remote_posts(),
                              post_settings(assembly), federation::system_clock());
  services::ConsultationService service(assembly.db(), posts, federation::system_clock());
  auto outcome = cli.run(service.answer(args.url, args.as, args.text));
  if (!outcome) {
    return cli_failure(err, "consultation answer",
                       "cannot answer " + args.url + ": " + outcome.error().message());
  }
  out << "answered, " << outcome->answer.deliveries << " delivery(ies) queued";
  if (outcome->closing_deliveries > 0) {
    out << " (closed early: final counts to " << outcome->closing_deliveries << " inbox(es))";
  }
  out << '\n' << outcome->answer.post.ap_id << '\n';
  return 0;
}

int vote(const Config& config, const ConsultationArguments& args, std::ostream& out,
         std::ostream& err) {
  setup_logging(config.logging);
  CliRuntime cli(config);
  auto& assembly = cli.assembly();
  services::PollVoteService service(assembly.db(), assembly.lookup(), assembly.remote_posts(),
                                    federation::system_clock());
  auto outcome = cli.run(service.vote(args.url, args.as, args.options));
  if (!outcome) {
    return cli_failure(err, "consultation vote",
                       "cannot vote on " + args.url + ": " + outcome.error().message());
  }
  if (outcome->remote) {
    out << "vote sent, " << outcome->deliveries << " delivery(ies) queued\n";
    for (const auto& id : outcome->activity_ids) out << id << '\n';
  } else {
    out << outcome->counted << " vote(s) counted\n";
  }
  return 0;
}

int list(const Config& config, std::ostream& out, std::ostream& err) {
  setup_logging(config.logging);
  CliRuntime cli(config);
  auto all = cli.db().read([](storage::Connection& c) { return views::list_consultations(c); });
  if (!all) return cli_failure(err, "consultation list", all.error().message());
  for (const auto& c : *all) {
    out << c.url << "  " << c.state << "  closes "
        << federation::as2::format_iso8601_ms(c.closes_at) << "  voters " << c.voters.total();
    if (!c.eligible_domains.empty()) {
      out << " (residents " << c.voters.residents << ", others " << c.voters.others << ")";
    }
    out << "\n  " << c.title << '\n';
    for (const auto& count : c.counts) {
      out << "  - " << count.name << ": " << count.total();
      if (!c.eligible_domains.empty()) {
        out << " (residents " << count.residents << ", others " << count.others << ")";
      }
      out << '\n';
    }
    out << "  servers: "
        << (c.participating_domains.empty() ? "-" : join(c.participating_domains, ", ")) << '\n';
    if (!c.answer_uri.empty()) out << "  answer: " << c.answer_uri << '\n';
  }
  return 0;
}

int export_one(const Config& config, const ConsultationArguments& args, std::ostream& out,
               std::ostream& err) {
  setup_logging(config.logging);
  CliRuntime cli(config);
  auto found = cli.db().read([&](storage::Connection& c) {
    return views::with_replies(c, views::find_consultation(c, args.url));
  });
  if (!found) return cli_failure(err, "consultation export", found.error().message());
  if (!*found) return cli_failure(err, "consultation export", "no local consultation " + args.url);
  if (args.with_voters) {
    auto ballots = cli.db().read(
        [&](storage::Connection& c) { return storage::polls::ballots(c, (*found)->post_id); });
    if (!ballots) return cli_failure(err, "consultation export", ballots.error().message());
    out << views::export_csv_with_voters(**found, *ballots);
    return 0;
  }
  out << (args.format == "json" ? views::export_json(**found) + "\n" : views::export_csv(**found));
  return 0;
}

}  // namespace

void add_consultation_commands(CLI::App& app, CommandTable& table) {
  auto& args = table.arguments<ConsultationArguments>();
  auto* group = app.add_subcommand("consultation",
                                   "Consultations: a question with options, open until a deadline");
  group->require_subcommand(1);
  args.create = group->add_subcommand("create", "Publish a consultation; prints its URL last");
  args.create->add_option("--as", args.as, "The author's username")->required();
  args.create->add_option("--title", args.title, "The question")->required();
  auto* body = args.create->add_option("--body", args.body, "The text (plain text)");
  auto* body_file =
      args.create->add_option("--body-file", args.body_file, "Read the text from this file");
  body->excludes(body_file);
  args.create->add_option("--option", args.options, "An answer to choose (2 or more)")->required();
  args.create->add_flag("--multiple", args.multiple, "Voters may choose several options");
  args.create->add_option("--closes", args.closes, "Deadline, RFC 3339 (2027-03-01T12:00:00Z)")
      ->required();
  args.create->add_option("--eligible-domain", args.eligible_domains,
                          "Votes from this server (and its subdomains) count as residents'");
  args.create->add_option("--group", args.group,
                          "Post it in this local group (announced to its members)");
  args.answer = group->add_subcommand(
      "answer", "Post the official answer (a reply) to a consultation; prints its URL last");
  args.answer->add_option("url", args.url, "The consultation's URL")->required();
  args.answer->add_option("--as", args.as, "The consultation's author")->required();
  args.answer->add_option("text", args.text, "The answer (plain text)")->required();
  args.list = group->add_subcommand("list", "Every consultation: state, counts, servers");
  args.exported = group->add_subcommand("export", "Counts of a consultation as CSV or JSON");
  args.exported->add_option("url", args.url, "The consultation's URL")->required();
  args.exported->add_option("--format", args.format, "csv (default) or json")
      ->check(CLI::IsMember({"csv", "json"}));
  args.exported->add_flag("--with-voters", args.with_voters,
                          "Add who voted what (CSV; personal data: for an audit only)");
  args.vote = group->add_subcommand(
      "vote", "Vote as a local account on a consultation here or a poll on another server");
  args.vote->add_option("url", args.url, "The poll's (Question's) id URL")->required();
  args.vote->add_option("--as", args.as, "The voter's username")->required();
  args.vote->add_option("--option", args.options, "The option chosen (repeat for several)")
      ->required();
  table.add(args.vote, [&args](const Config& config, std::ostream& out, std::ostream& err) {
    return vote(config, args, out, err);
  });
  table.add(args.create, [&args](const Config& config, std::ostream& out, std::ostream& err) {
    return create(config, args, out, err);
  });
  table.add(args.answer, [&args](const Config& config, std::ostream& out, std::ostream& err) {
    return answer(config, args, out, err);
  });
  table.add(args.list, [](const Config& config, std::ostream& out, std::ostream& err) {
    return list(config, out, err);
  });
  table.add(args.exported, [&args](const Config& config, std::ostream& out, std::ostream& err) {
    return export_one(config, args, out, err);
  });
}

}  // namespace civicpub::server
