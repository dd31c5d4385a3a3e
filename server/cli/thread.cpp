#include "server/cli/thread.hpp"

#include "server/cli/command_table.hpp"

#include <spdlog/spdlog.h>

#include "federation/as2/json.hpp"
#include "federation/as2/time_format.hpp"
#include "federation/text/sanitizer.hpp"
#include "server/views/error.hpp"
#include "server/config/settings.hpp"
#include "server/cli/runtime.hpp"
#include "server/app/logging.hpp"
#include "storage/moderation.hpp"

#include <CLI/CLI.hpp>

namespace civicpub::server {
namespace {


// The admin sees everything stored, however deep or long; the caps only guard against a
// runaway (a reply cycle, a flood).
views::ThreadOptions admin_options() {
  views::ThreadOptions options;
  options.public_only = false;
  options.from_top = false;
  options.max_depth = 200;
  options.max_posts = 5000;
  return options;
}

// One line: runs of whitespace (the line breaks of paragraphs included) become one space.
std::string one_line(std::string_view text) {
  std::string out;
  bool space = false;
  for (const char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string handle_of(const storage::ActorRecord& actor) {
  if (actor.username.empty()) return actor.uri.empty() ? "(unknown author)" : actor.uri;
  return "@" + actor.username + "@" + actor.domain;
}

void append_line(std::string& out, const views::ThreadPost& entry, int depth, bool focus,
                 const std::set<std::string>& hidden) {
  out += focus ? "> " : "  ";
  out.append(static_cast<std::size_t>(depth) * 2, ' ');
  const auto& post = entry.post;
  if (entry.deleted()) {
    out += hidden.contains(post.ap_id) ? "[removed by moderation]  " : "[deleted]  ";
    out += post.ap_id + '\n';
    return;
  }
  out += handle_of(entry.author);
  out += "  " + federation::as2::format_iso8601_ms(post.published);
  out += "  ";
  out += storage::to_string(post.visibility);
  if (post.updated) out += "  edited";
  out += "  ";
  std::string text;
  if (!post.name.empty()) text += post.name + ": ";
  if (!post.summary.empty()) text += "[CW " + post.summary + "] ";
  text += federation::text::html_to_plain_text(post.content_html);
  out += one_line(text);
  out += "  " + post.ap_id + '\n';
}

void append_json(federation::as2::JsonWriter& json, const views::ThreadPost& entry,
                 const std::set<std::string>& hidden) {
  const auto& post = entry.post;
  json.start_object();
  json.field("id", post.ap_id);
  json.field("author", entry.author.uri);
  json.key("in_reply_to");
  if (post.in_reply_to.empty()) {
    json.null();
  } else {
    json.string(post.in_reply_to);
  }
  json.field("published", federation::as2::format_iso8601_ms(post.published));
  json.field("content", entry.deleted() ? std::string{} : post.content_html);
  json.field("visibility", storage::to_string(post.visibility));
  json.field("deleted", entry.deleted());
  json.field("removed", entry.deleted() && hidden.contains(post.ap_id));
  json.end_object();
}

}  // namespace

std::string thread_text(const views::Thread& thread, const std::set<std::string>& hidden) {
  std::string out;
  if (thread.missing_parent) {
    out += "  (replies to " + *thread.missing_parent + ", which is not stored here)\n";
  } else if (thread.truncated) {
    out += "  (more posts above, past the depth limit)\n";
  }
  int depth = 0;
  for (const auto& entry : thread.ancestors) append_line(out, entry, depth++, false, hidden);
  for (std::size_t i = 0; i < thread.tree.size(); ++i) {
    append_line(out, thread.tree[i], depth + thread.tree[i].depth, i == thread.focus, hidden);
  }
  return out;
}

std::string thread_json(const views::Thread& thread, const std::set<std::string>& hidden) {
  federation::as2::JsonWriter json;
  json.start_array();
  for (const auto& entry : thread.ancestors) append_json(json, entry, hidden);
  for (const auto& entry : thread.tree) append_json(json, entry, hidden);
  json.end_array();
  return json.str() + '\n';
}

std::set<std::string> hidden_posts(storage::Database& db, const views::Thread& thread) {
  std::set<std::string> out;
  auto check = [&](const views::ThreadPost& entry) {
    if (!entry.deleted()) return;
    auto hidden = db.read([&](storage::Connection& c) {
      return storage::moderation::post_hidden(c, entry.post.ap_id);
    });
    if (hidden && *hidden) out.insert(entry.post.ap_id);
  };
  for (const auto& entry : thread.ancestors) check(entry);
  for (const auto& entry : thread.tree) check(entry);
  return out;
}

std::optional<views::Thread> load_admin_thread(storage::Database& db, const FetchPost& fetch,
                                               const std::string& reference, std::ostream& err) {
  auto thread = views::thread_by_reference(db, reference, admin_options());
  if (thread) return std::move(*thread);
  if (thread.error() != views::ViewError::not_found) {
    cli_failure(err, "thread", "cannot read " + reference + ": " + thread.error().message());
    return std::nullopt;
  }
  if (!fetch) {
    cli_failure(err, "thread", "no post " + reference + " is stored here");
    return std::nullopt;
  }
  auto fetched = fetch(reference);
  if (!fetched) {
    cli_failure(err, "thread",
                "no post " + reference +
                    " is stored here and fetching it failed: " + fetched.error().message());
    return std::nullopt;
  }
  thread = views::thread_by_reference(db, fetched->ap_id, admin_options());
  if (!thread) {
    cli_failure(err, "thread", "cannot read " + fetched->ap_id + ": " + thread.error().message());
    return std::nullopt;
  }
  return std::move(*thread);
}

namespace {

struct ThreadArguments {
  CLI::App* thread = nullptr;
  std::string url;
  bool json = false;
};

int run_thread(const Config& config, const ThreadArguments& args, std::ostream& out,
               std::ostream& err) {
  // The reason for a failed fetch is the one line on stderr; routine info lines would repeat it.
  auto logging = config.logging;
  if (logging.level == LogLevel::info) logging.level = LogLevel::warn;
  setup_logging(logging);
  // A post not stored here is fetched from its server (signed GET), with the thread above it.
  CliRuntime cli(config);
  auto& assembly = cli.assembly();
  FetchPost fetch = [&cli, &assembly](const std::string& uri) -> Result<storage::PostRecord> {
    auto post = cli.run(assembly.remote_posts().post(uri));
    if (!post) return post.error();
    (void)cli.run(assembly.remote_posts().ancestors(post->ap_id));  // stopping early is no error
    return post;
  };
  // Opening a thread backfills it: the post (stored, else fetched) and the thread above it, then
  // whatever the thread's context collection (or its replies collections) lists that we lack.
  // Nothing here is an error: what cannot be had is reported by load_admin_thread below.
  if (auto known = cli.run(assembly.remote_posts().post(args.url))) {
    (void)cli.run(assembly.remote_posts().ancestors(known->ap_id));
    auto filled = cli.run(assembly.remote_posts().backfill(known->ap_id));
    if (filled && filled->fetched > 0) {
      spdlog::info("thread {}: {} post(s) backfilled", known->thread_root, filled->fetched);
    }
  }
  const auto thread = load_admin_thread(assembly.db(), fetch, args.url, err);
  if (!thread) return 1;
  const auto hidden = hidden_posts(assembly.db(), *thread);
  out << (args.json ? thread_json(*thread, hidden) : thread_text(*thread, hidden));
  return 0;
}

}  // namespace

void add_thread_command(CLI::App& app, CommandTable& table) {
  auto& args = table.arguments<ThreadArguments>();
  args.thread = app.add_subcommand(
      "thread", "Show the thread around a post as this server knows it (all visibilities)");
  args.thread->add_option("url", args.url, "The post's id or its page URL")->required();
  args.thread->add_flag("--json", args.json, "A JSON array instead of text");
  table.add(args.thread, [&args](const Config& config, std::ostream& out, std::ostream& err) {
    return run_thread(config, args, out, err);
  });
}

}  // namespace civicpub::server
