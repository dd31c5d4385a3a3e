#include "storage/records.hpp"

#include <array>
#include <utility>

namespace civicpub::storage {
namespace {

template <class E, std::size_t N>
std::optional<E> parse(const std::array<std::pair<E, std::string_view>, N>& names,
                       std::string_view s) noexcept {
  for (const auto& [value, name] : names) {
    if (name == s) return value;
  }
  return std::nullopt;
}

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& names,
                         E e) noexcept {
  for (const auto& [value, name] : names) {
    if (value == e) return name;
  }
  return "unknown";
}

constexpr std::array<std::pair<FollowState, std::string_view>, 3> kFollowStates{{
    {FollowState::pending, "pending"},
    {FollowState::accepted, "accepted"},
    {FollowState::rejected, "rejected"},
}};
constexpr std::array<std::pair<Visibility, std::string_view>, 4> kVisibilities{{
    {Visibility::public_, "public"},
    {Visibility::unlisted, "unlisted"},
    {Visibility::followers, "followers"},
    {Visibility::direct, "direct"},
}};
constexpr std::array<std::pair<InboxState, std::string_view>, 3> kInboxStates{{
    {InboxState::pending, "pending"},
    {InboxState::done, "done"},
    {InboxState::failed, "failed"},
}};
constexpr std::array<std::pair<InboxAuth, std::string_view>, 3> kInboxAuths{{
    {InboxAuth::signature, "signature"},
    {InboxAuth::proof, "proof"},
    {InboxAuth::unverified, "unverified"},
}};
constexpr std::array<std::pair<DeliveryState, std::string_view>, 3> kDeliveryStates{{
    {DeliveryState::pending, "pending"},
    {DeliveryState::done, "done"},
    {DeliveryState::dead, "dead"},
}};
constexpr std::array<std::pair<ReactionKind, std::string_view>, 2> kReactionKinds{{
    {ReactionKind::like, "like"},
    {ReactionKind::announce, "announce"},
}};

}  // namespace

std::string_view to_string(FollowState s) noexcept { return name_of(kFollowStates, s); }
std::string_view to_string(Visibility v) noexcept { return name_of(kVisibilities, v); }
std::string_view to_string(InboxState s) noexcept { return name_of(kInboxStates, s); }
std::string_view to_string(InboxAuth a) noexcept { return name_of(kInboxAuths, a); }
std::string_view to_string(DeliveryState s) noexcept { return name_of(kDeliveryStates, s); }
std::string_view to_string(ReactionKind k) noexcept { return name_of(kReactionKinds, k); }

std::optional<FollowState> parse_follow_state(std::string_view s) noexcept {
  return parse(kFollowStates, s);
}
std::optional<Visibility> parse_visibility(std::string_view s) noexcept {
  return parse(kVisibilities, s);
}
std::optional<InboxState> parse_inbox_state(std::string_view s) noexcept {
  return parse(kInboxStates, s);
}
std::optional<InboxAuth> parse_inbox_auth(std::string_view s) noexcept {
  return parse(kInboxAuths, s);
}
std::optional<DeliveryState> parse_delivery_state(std::string_view s) noexcept {
  return parse(kDeliveryStates, s);
}
std::optional<ReactionKind> parse_reaction_kind(std::string_view s) noexcept {
  return parse(kReactionKinds, s);
}

}  // namespace civicpub::storage
