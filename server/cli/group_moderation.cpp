// `civicpub group remove|lock|unlock|feature|unfeature|block|unblock`: a group's moderators'
// actions (issue 12, point 4; services/group_moderation.hpp). Database only, like the other
// group commands: the group's Announce of the moderator's activity is queued in the same
// transaction and the server's delivery worker sends it.
#include "server/cli/command_table.hpp"

#include "server/cli/runtime.hpp"
#include "server/config/settings.hpp"
#include "server/services/group_moderation.hpp"
#include "server/services/service_error.hpp"

#include <CLI/CLI.hpp>

namespace civicpub::server {
namespace {

struct ModerationArguments {
  std::string group;
  std::string target;
  std::string reason;
  std::string as;
};

std::string explain(boost::system::error_code ec, const ModerationArguments& args) {
  using services::ServiceError;
  if (ec == ServiceError::unknown_group) return "no local group '" + args.group + "'";
  if (ec == ServiceError::not_in_group) {
    return "the group did not announce " + args.target + " (give the post's id)";
  }
  if (ec == ServiceError::not_a_thread) return args.target + " is not a thread's top post";
  if (ec == ServiceError::unknown_actor) return "no actor '" + args.target + "' is known here";
  if (ec == ServiceError::unknown_moderator) {
    return "'" + args.as + "' is not a local moderator of " + args.group;
  }
  return ec.message();
}

int run(const Config& config, const ModerationArguments& args, services::ModerationAction action,
        std::ostream& out, std::ostream& err) {
  const std::string command = std::string("group ") + services::action_name(action);
  auto db = open_database(config);
  services::ModerationRequest request;
  request.group = args.group;
  request.action = action;
  request.target = args.target;
  request.reason = args.reason;
  request.as = args.as;
  auto done = services::moderate(*db, account_settings(config), request);
  if (!done) return cli_failure(err, command.c_str(), explain(done.error(), args));
  if (!done->done.changed) {
    out << "nothing to do: " << args.target << " is so already in " << args.group << '\n';
    return 0;
  }
  out << services::action_name(action) << ": " << args.target << " in " << args.group;
  if (action == services::ModerationAction::remove) {
    out << " (" << done->done.posts << " post(s) removed)";
  }
  out << "; " << done->moderator.uri << " acts, the group's Announce is queued for "
      << done->done.queued << " inbox(es)\n";
  return 0;
}

struct Spec {
  const char* name;
  services::ModerationAction action;
  const char* help;
  const char* target_help;
  bool reason;
};

constexpr Spec kSpecs[] = {
    {"remove", services::ModerationAction::remove,
     "Remove a post from the group (its top post: the whole thread); members' servers drop it",
     "The post's id", true},
    {"lock", services::ModerationAction::lock, "Lock a thread: no more replies are announced",
     "The thread's top post", true},
    {"unlock", services::ModerationAction::unlock, "Unlock a thread", "The thread's top post",
     false},
    {"feature", services::ModerationAction::feature, "Feature (pin) a thread",
     "The thread's top post", false},
    {"unfeature", services::ModerationAction::unfeature, "Stop featuring a thread",
     "The thread's top post", false},
    {"block", services::ModerationAction::block,
     "Block an actor from the group: its posts get Reject and are not announced",
     "The actor's id or @user@host", true},
    {"unblock", services::ModerationAction::unblock, "Unblock an actor",
     "The actor's id or @user@host", false},
};

}  // namespace

void add_group_moderation_commands(CLI::App& group, CommandTable& table) {
  auto& args = table.arguments<ModerationArguments>();
  for (const auto& spec : kSpecs) {
    auto* command = group.add_subcommand(spec.name, spec.help);
    command->add_option("group", args.group, "The group's name")->required();
    command->add_option("target", args.target, spec.target_help)->required();
    if (spec.reason) command->add_option("--reason", args.reason, "Why (sent as `summary`)");
    command->add_option("--as", args.as,
                        "The local moderator acting (default: the first local moderator, else "
                        "the group)");
    const auto action = spec.action;
    table.add(command, [&args, action](const Config& c, std::ostream& o, std::ostream& e) {
      return run(c, args, action, o, e);
    });
  }
}

}  // namespace civicpub::server
