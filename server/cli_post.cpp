// `civicpub post --as NAME [--visibility V] [--cw TEXT] [--reply-to URL] TEXT`,
// `civicpub post edit URL TEXT` and `civicpub post delete URL`. `post` prints the new post's id
// URL as the last line of stdout, so scripts can take it with `tail -n1`.
#include "server/cli_federation.hpp"
#include "server/cli_publish.hpp"
#include "server/logging.hpp"

#include "federation/post_fetcher.hpp"
#include "federation/services/post_service.hpp"
#include "federation/services/service_error.hpp"
#include "storage/posts.hpp"

#include <CLI/CLI.hpp>

namespace civicpub::server {

namespace {

federation::services::PostSettings post_settings(const CliFederation& fed) {
  return {fed.instance().base_url, fed.instance().effective_handle_domain()};
}

void warn_unresolved(const federation::services::PostOutcome& outcome, std::ostream& err) {
  for (const auto& mention : outcome.unresolved) {
    err << "post: warning: " << mention.handle << " stays plain text: " << mention.reason << '\n';
  }
}

int publish(const Config& config, const PostArguments& args, std::ostream& out, std::ostream& err) {
  if (args.as.empty()) return cli_failure(err, "post", "--as NAME is required to publish");
  const auto visibility = storage::parse_visibility(args.visibility);
  if (!visibility) return cli_failure(err, "post", "unknown visibility '" + args.visibility + "'");
  setup_logging(config.logging);
  CliFederation fed(config);
  // A reply's parent (and the thread above it) is fetched when it is not stored here yet.
  federation::services::PostService service(fed.db(), fed.lookup(), fed.post_fetcher(),
                                            post_settings(fed),
                                            federation::system_clock());
  std::optional<std::string> reply_to;
  if (!args.reply_to.empty()) reply_to = args.reply_to;
  auto outcome = fed.run(service.publish(
      {args.as, args.text, *visibility, args.content_warning, std::move(reply_to)}));
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
  CliFederation fed(config);
  // A reply's parent (and the thread above it) is fetched when it is not stored here yet.
  federation::services::PostService service(fed.db(), fed.lookup(), fed.post_fetcher(),
                                            post_settings(fed),
                                            federation::system_clock());
  auto outcome = fed.run(service.edit({args.url, args.text, std::nullopt, std::nullopt}));
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
  CliFederation fed(config);
  // A reply's parent (and the thread above it) is fetched when it is not stored here yet.
  federation::services::PostService service(fed.db(), fed.lookup(), fed.post_fetcher(),
                                            post_settings(fed),
                                            federation::system_clock());
  auto outcome = fed.run(service.remove(args.url));
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

void add_post_commands(CLI::App& app, PostArguments& args) {
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
  args.post->add_option("text", args.text,
                        "Plain text; links, @user@domain mentions and #hashtags are marked up");
  args.post->require_subcommand(0, 1);

  args.edit = args.post->add_subcommand("edit", "Replace a local post's text (sends Update)");
  args.edit->add_option("url", args.url, "The post's id URL")->required();
  args.edit->add_option("text", args.text, "The new plain text")->required();
  args.remove = args.post->add_subcommand("delete", "Delete a local post (sends Delete)");
  args.remove->add_option("url", args.url, "The post's id URL")->required();
}

std::optional<int> run_post_commands(const Config& config, const PostArguments& args,
                                     std::ostream& out, std::ostream& err) {
  if (args.post == nullptr || !*args.post) return std::nullopt;
  if (*args.edit) return edit(config, args, out, err);
  if (*args.remove) return remove(config, args, out, err);
  return publish(config, args, out, err);
}

}  // namespace civicpub::server
