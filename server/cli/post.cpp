// `civicpub post --as NAME [--visibility V] [--cw TEXT] [--reply-to URL] [--group NAME] TEXT`,
// `civicpub post edit URL TEXT` and `civicpub post delete URL`. `post` prints the new post's id
// URL as the last line of stdout, so scripts can take it with `tail -n1`.
#include "server/cli/runtime.hpp"
#include "server/cli/command_table.hpp"
#include "server/app/logging.hpp"

#include "federation/remote/post_fetcher.hpp"
#include "server/services/post_service.hpp"
#include "server/services/service_error.hpp"
#include "storage/posts.hpp"

#include <CLI/CLI.hpp>

namespace civicpub::server {

namespace {

struct PostArguments {
  CLI::App* post = nullptr;
  CLI::App* edit = nullptr;
  CLI::App* remove = nullptr;
  std::string as;
  std::string visibility = "public";
  std::string content_warning;
  std::string reply_to;  // empty: not a reply
  std::string group;     // empty: not a group post (unless replying in a group's thread)
  std::string text;
  std::string url;
};


server::services::PostSettings post_settings(const Assembly& assembly) {
  return {assembly.instance().base_url, assembly.instance().effective_handle_domain()};
}

void warn_unresolved(const server::services::PostOutcome& outcome, std::ostream& err) {
  for (const auto& mention : outcome.unresolved) {
    err << "post: warning: " << mention.handle << " stays plain text: " << mention.reason << '\n';
  }
}

int publish(const Config& config, const PostArguments& args, std::ostream& out, std::ostream& err) {
  if (args.as.empty()) return cli_failure(err, "post", "--as NAME is required to publish");
  const auto visibility = storage::parse_visibility(args.visibility);
  if (!visibility) return cli_failure(err, "post", "unknown visibility '" + args.visibility + "'");
  setup_logging(config.logging);
  CliRuntime cli(config);
  auto& assembly = cli.assembly();
  // A reply's parent (and the thread above it) is fetched when it is not stored here yet.
  server::services::PostService service(assembly.db(), assembly.lookup(), assembly.remote_posts(),
                                            post_settings(assembly),
                                            federation::system_clock());
  std::optional<std::string> reply_to;
  if (!args.reply_to.empty()) reply_to = args.reply_to;
  std::optional<std::string> group;
  if (!args.group.empty()) group = args.group;
  auto outcome = cli.run(service.publish({args.as, args.text, *visibility, args.content_warning,
                                          std::move(reply_to), std::move(group)}));
  if (!outcome) {
    return cli_failure(err, "post",
                       "cannot publish as '" + args.as + "': " + outcome.error().message());
  }
  warn_unresolved(*outcome, err);
  out << "published " << storage::to_string(outcome->post.visibility)
      << (outcome->post.in_reply_to.empty() ? " post, " : " reply, ") << outcome->deliveries
      << " delivery(ies) queued\n"
      << outcome->post.ap_id << '\n';
  return 0;
}

int edit(const Config& config, const PostArguments& args, std::ostream& out, std::ostream& err) {
  setup_logging(config.logging);
  CliRuntime cli(config);
  auto& assembly = cli.assembly();
  // A reply's parent (and the thread above it) is fetched when it is not stored here yet.
  server::services::PostService service(assembly.db(), assembly.lookup(), assembly.remote_posts(),
                                            post_settings(assembly),
                                            federation::system_clock());
  auto outcome = cli.run(service.edit({args.url, args.text, std::nullopt, std::nullopt}));
  if (!outcome) {
    return cli_failure(err, "post edit",
                       "cannot edit " + args.url + ": " + outcome.error().message());
  }
  warn_unresolved(*outcome, err);
  out << "edited, " << outcome->deliveries << " delivery(ies) of " << outcome->activity_id
      << " queued\n"
      << outcome->post.ap_id << '\n';
  return 0;
}

int remove(const Config& config, const PostArguments& args, std::ostream& out, std::ostream& err) {
  setup_logging(config.logging);
  CliRuntime cli(config);
  auto& assembly = cli.assembly();
  // A reply's parent (and the thread above it) is fetched when it is not stored here yet.
  server::services::PostService service(assembly.db(), assembly.lookup(), assembly.remote_posts(),
                                            post_settings(assembly),
                                            federation::system_clock());
  auto outcome = cli.run(service.remove(args.url));
  if (!outcome) {
    return cli_failure(err, "post delete",
                       "cannot delete " + args.url + ": " + outcome.error().message());
  }
  out << "deleted, " << outcome->deliveries << " delivery(ies) of " << outcome->activity_id
      << " queued\n"
      << outcome->post.ap_id << '\n';
  return 0;
}

}  // namespace

void add_post_commands(CLI::App& app, CommandTable& table) {
  auto& args = table.arguments<PostArguments>();
  args.post = app.add_subcommand(
      "post", "Publish a post (or `post edit` / `post delete` one); prints its URL last");
  args.post->add_option("--as", args.as, "The author's username (required to publish)");
  args.post
      ->add_option("--visibility", args.visibility,
                   "public (default), unlisted, followers or direct")
      ->check(CLI::IsMember({"public", "unlisted", "followers", "direct"}));
  args.post->add_option("--cw", args.content_warning, "A content warning shown before the text");
  args.post->add_option("--reply-to", args.reply_to,
                        "The id URL of the post (local or remote) this one answers");
  args.post->add_option("--group", args.group,
                        "Post in this local group (it announces the post to its members)");
  args.post->add_option("text", args.text,
                        "Plain text; links, @user@domain mentions and #hashtags are marked up");
  args.post->require_subcommand(0, 1);

  args.edit = args.post->add_subcommand("edit", "Replace a local post's text (sends Update)");
  args.edit->add_option("url", args.url, "The post's id URL")->required();
  args.edit->add_option("text", args.text, "The new plain text")->required();
  args.remove = args.post->add_subcommand("delete", "Delete a local post (sends Delete)");
  args.remove->add_option("url", args.url, "The post's id URL")->required();
  table.add(args.post, [&args](const Config& config, std::ostream& out, std::ostream& err) {
    return publish(config, args, out, err);
  });
  table.add(args.edit, [&args](const Config& config, std::ostream& out, std::ostream& err) {
    return edit(config, args, out, err);
  });
  table.add(args.remove, [&args](const Config& config, std::ostream& out, std::ostream& err) {
    return remove(config, args, out, err);
  });
}

}  // namespace civicpub::server
