// `civicpub group create|list|show|update|members|approve|reject`: civic groups (issue 12);
// the moderators' commands are in group_moderation.cpp.
// Database only, like `account create`: a held follow's Accept or a Reject is queued in the same
// transaction and the server's delivery worker sends it.
#include "server/cli/command_table.hpp"

#include "federation/clock.hpp"
#include "server/cli/runtime.hpp"
#include "server/config/settings.hpp"
#include "server/services/groups.hpp"
#include "server/services/service_error.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>

namespace civicpub::server {
namespace {

struct GroupArguments {
  CLI::App* create = nullptr;
  CLI::App* list = nullptr;
  CLI::App* show = nullptr;
  CLI::App* update = nullptr;
  CLI::App* members = nullptr;
  CLI::App* approve = nullptr;
  CLI::App* reject = nullptr;
  std::string name;
  std::string display_name;
  std::string summary;
  std::vector<std::string> moderators;
  std::vector<std::string> remove_moderators;
  bool members_only = false;
  bool approve_members = false;
  bool posting_restricted = false;
  bool sensitive = false;
  // update: yes/no switches, unset when not given
  std::string set_members_only;
  std::string set_approve_members;
  std::string set_posting_restricted;
  std::string set_sensitive;
  std::string who;  // approve / reject: actor id or @user@host
};

std::string handle_of(const storage::ActorRecord& actor) {
  return "@" + actor.username + "@" + actor.domain;
}

const char* yes_no(bool b) {
  return b ? "yes" : "no";
}

std::optional<bool> switch_value(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return text == "yes";
}

void print_group(std::ostream& out, const services::GroupInfo& g) {
  out << handle_of(g.actor) << '\n'
      << "  id: " << g.actor.uri << '\n'
      << "  name: " << g.actor.display_name << '\n'
      << "  members: " << g.members << " (waiting for approval: " << g.pending << ")\n"
      << "  posts announced: " << g.posts << '\n'
      << "  members only: " << yes_no(g.settings.members_only) << '\n'
      << "  approve members: " << yes_no(g.actor.manually_approves_followers) << '\n'
      << "  only moderators start threads: " << yes_no(g.settings.posting_restricted_to_mods)
      << '\n'
      << "  sensitive: " << yes_no(g.settings.sensitive) << '\n'
      << "  moderators:";
  if (g.moderators.empty()) out << " none";
  for (const auto& m : g.moderators) out << ' ' << handle_of(m);
  out << '\n';
}

int failure(std::ostream& err, const char* command, const std::string& name,
            boost::system::error_code ec) {
  if (ec == services::ServiceError::unknown_group) {
    return cli_failure(err, command, "no local group '" + name + "'");
  }
  if (ec == services::AccountError::username_taken) {
    return cli_failure(err, command, "the name '" + name + "' is taken");
  }
  if (ec == services::AccountError::invalid_username) {
    return cli_failure(err, command, "invalid name '" + name + "': use 1 to 30 of a-z, 0-9 and _");
  }
  if (ec == services::ServiceError::unknown_moderator) {
    return cli_failure(err, command,
                       "a moderator must be a local account (or the id of a known actor)");
  }
  return cli_failure(err, command, ec.message());
}

int run_create(const Config& config, const GroupArguments& args, std::ostream& out,
               std::ostream& err) {
  auto db = open_database(config);
  services::NewGroup group;
  group.name = args.name;
  group.display_name = args.display_name;
  group.summary = args.summary;
  group.moderators = args.moderators;
  group.members_only = args.members_only;
  group.approve_members = args.approve_members;
  group.posting_restricted_to_mods = args.posting_restricted;
  group.sensitive = args.sensitive;
  auto created = services::create_group(*db, account_settings(config), group);
  if (!created) return failure(err, "group create", args.name, created.error());
  out << "created group ";
  print_group(out, *created);
  return 0;
}

int run_list(const Config& config, std::ostream& out, std::ostream& err) {
  auto db = open_database(config);
  auto groups = services::list_groups(*db);
  if (!groups) return cli_failure(err, "group list", groups.error().message());
  // Columns: handle, id, members, display name (tab-separated for cut(1)).
  for (const auto& g : *groups) {
    out << handle_of(g.actor) << '\t' << g.actor.uri << '\t' << g.members << '\t'
        << g.actor.display_name << '\n';
  }
  return 0;
}

int run_show(const Config& config, const GroupArguments& args, std::ostream& out,
             std::ostream& err) {
  auto db = open_database(config);
  auto group = services::get_group(*db, args.name);
  if (!group) return failure(err, "group show", args.name, group.error());
  print_group(out, *group);
  return 0;
}

int run_update(const Config& config, const GroupArguments& args, std::ostream& out,
               std::ostream& err) {
  services::GroupChange change;
  if (!args.update->get_option("--display-name")->empty()) change.display_name = args.display_name;
  if (!args.update->get_option("--summary")->empty()) change.summary = args.summary;
  change.add_moderators = args.moderators;
  change.remove_moderators = args.remove_moderators;
  change.members_only = switch_value(args.set_members_only);
  change.approve_members = switch_value(args.set_approve_members);
  change.posting_restricted_to_mods = switch_value(args.set_posting_restricted);
  change.sensitive = switch_value(args.set_sensitive);
  auto db = open_database(config);
  auto updated = services::update_group(*db, account_settings(config), args.name, change);
  if (!updated) return failure(err, "group update", args.name, updated.error());
  auto sent = services::send_group_update(*db, instance_info(config), args.name,
                                          federation::system_now_millis());
  if (!sent) return failure(err, "group update", args.name, sent.error());
  out << "updated group ";
  print_group(out, *updated);
  out << "Update queued for " << *sent << " member inbox(es)\n";
  return 0;
}

int run_members(const Config& config, const GroupArguments& args, std::ostream& out,
                std::ostream& err) {
  auto db = open_database(config);
  auto listed = services::group_members(*db, args.name);
  if (!listed) return failure(err, "group members", args.name, listed.error());
  for (const auto& m : listed->members) out << "member\t" << handle_of(m) << '\t' << m.uri << '\n';
  for (const auto& m : listed->pending) out << "pending\t" << handle_of(m) << '\t' << m.uri << '\n';
  if (listed->members.empty() && listed->pending.empty()) {
    out << "no members in " << handle_of(listed->group) << '\n';
  }
  return 0;
}

int run_answer(const Config& config, const GroupArguments& args, services::MemberAnswer answer,
               std::ostream& out, std::ostream& err) {
  const bool approve = answer == services::MemberAnswer::approve;
  const char* command = approve ? "group approve" : "group reject";
  auto db = open_database(config);
  auto who =
      services::answer_member(*db, args.name, args.who, answer, federation::system_now_millis());
  if (!who) {
    if (who.error() == services::ServiceError::not_following) {
      return cli_failure(err, command,
                         "'" + args.who + "' is not " +
                             (approve ? "waiting for approval" : "a member or waiting") + " in " +
                             args.name + " (see `group members`)");
    }
    return failure(err, command, args.name, who.error());
  }
  out << (approve ? "approved " : "rejected ") << handle_of(*who) << " (" << who->uri << "); the "
      << (approve ? "Accept" : "Reject") << " is queued for delivery\n";
  return 0;
}

std::string check_name(const std::string& value) {
  return services::is_valid_username(value)
             ? std::string()
             : "use 1 to 30 of a-z, 0-9 and _ (lowercase), got '" + value + "'";
}

void add_yes_no(CLI::App* command, const std::string& flag, std::string& into,
                const std::string& help) {
  command->add_option(flag, into, help + " (yes or no)")->check(CLI::IsMember({"yes", "no"}));
}

}  // namespace

void add_group_commands(CLI::App& app, CommandTable& table) {
  auto& args = table.arguments<GroupArguments>();
  auto* group = app.add_subcommand("group", "Manage civic groups (Group actors, FEP-1b12)");
  group->require_subcommand(1);
  const CLI::Validator name_check(check_name, "NAME", "group name");

  args.create = group->add_subcommand("create", "Create a group with its keys");
  args.create->add_option("name", args.name, "The group's handle name (a-z, 0-9, _)")
      ->required()
      ->check(name_check);
  args.create->add_option("--display-name", args.display_name, "The name shown");
  args.create->add_option("--summary", args.summary, "A short plain-text description");
  args.create->add_option("--moderator", args.moderators,
                          "A local account (repeatable) that moderates the group");
  args.create->add_flag("--members-only", args.members_only, "Only members may post");
  args.create->add_flag("--approve-members", args.approve_members,
                        "Hold each Follow (join) for a moderator to approve");
  args.create->add_flag("--posting-restricted-to-mods", args.posting_restricted,
                        "Only moderators start threads");
  args.create->add_flag("--sensitive", args.sensitive, "Mark the group's content sensitive");
  table.add(args.create, [&args](const Config& c, std::ostream& o, std::ostream& e) {
    return run_create(c, args, o, e);
  });

  args.list = group->add_subcommand("list", "List the groups");
  table.add(args.list, run_list);

  args.show = group->add_subcommand("show", "Show a group's settings, moderators and counts");
  args.update = group->add_subcommand("update", "Change a group's profile, settings, moderators");
  args.members = group->add_subcommand("members", "List members and held joins");
  args.approve = group->add_subcommand("approve", "Approve a held join (sends Accept)");
  args.reject =
      group->add_subcommand("reject", "Reject a held join or remove a member (sends Reject)");
  for (auto* c : {args.show, args.update, args.members, args.approve, args.reject}) {
    c->add_option("name", args.name, "The group's name")->required()->check(name_check);
  }
  for (auto* c : {args.approve, args.reject}) {
    c->add_option("who", args.who, "The actor id or @user@host")->required();
  }
  args.update->add_option("--display-name", args.display_name, "The name shown");
  args.update->add_option("--summary", args.summary, "A short plain-text description");
  args.update->add_option("--moderator", args.moderators, "Add a moderator (repeatable)");
  args.update->add_option("--remove-moderator", args.remove_moderators,
                          "Remove a moderator (repeatable)");
  add_yes_no(args.update, "--members-only", args.set_members_only, "Only members may post");
  add_yes_no(args.update, "--approve-members", args.set_approve_members, "Hold joins for approval");
  add_yes_no(args.update, "--posting-restricted-to-mods", args.set_posting_restricted,
             "Only moderators start threads");
  add_yes_no(args.update, "--sensitive", args.set_sensitive, "Content is sensitive");

  table.add(args.show, [&args](const Config& c, std::ostream& o, std::ostream& e) {
    return run_show(c, args, o, e);
  });
  table.add(args.update, [&args](const Config& c, std::ostream& o, std::ostream& e) {
    return run_update(c, args, o, e);
  });
  table.add(args.members, [&args](const Config& c, std::ostream& o, std::ostream& e) {
    return run_members(c, args, o, e);
  });
  table.add(args.approve, [&args](const Config& c, std::ostream& o, std::ostream& e) {
    return run_answer(c, args, services::MemberAnswer::approve, o, e);
  });
  table.add(args.reject, [&args](const Config& c, std::ostream& o, std::ostream& e) {
    return run_answer(c, args, services::MemberAnswer::reject, o, e);
  });
  add_group_moderation_commands(*group, table);
}

}  // namespace civicpub::server
