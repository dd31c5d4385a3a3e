#include "server/http/negotiation.hpp"

#include "server/http/media_type.hpp"

#include <algorithm>

namespace civicpub::server::http {
namespace {

constexpr std::string_view kAs2Profile = "https://www.w3.org/ns/activitystreams";

// The profile parameter is a space-separated list of URIs (JSON-LD 1.1, section 9.1).
bool has_as2_profile(const MediaType& m) {
  auto profile = m.param("profile");
  if (!profile) return false;
  std::string_view rest = *profile;
  while (!rest.empty()) {
    auto space = rest.find(' ');
    if (rest.substr(0, space) == kAs2Profile) return true;
    if (space == std::string_view::npos) break;
    rest.remove_prefix(space + 1);
  }
  return false;
}

bool is_as2(const MediaType& m) {
  if (m.type != "application") return false;
  if (m.subtype == "activity+json") return true;
  // A profile other than AS2 asks for some other JSON-LD document, which we do not serve.
  return m.subtype == "ld+json" && (!m.param("profile") || has_as2_profile(m));
}

template <class Pred>
double best_q(const std::vector<MediaRange>& ranges, Pred pred) {
  double q = 0;
  for (const auto& r : ranges) {
    if (pred(r.media)) q = std::max(q, r.q);
  }
  return q;
}

double html_q(const std::vector<MediaRange>& ranges) {
  return best_q(ranges, [](const MediaType& m) { return m.type == "text" && m.subtype == "html"; });
}

}  // namespace

bool wants_activity_json(std::string_view accept) {
  auto ranges = parse_accept(accept);
  double as2 = best_q(ranges, is_as2);
  return as2 > 0 && as2 >= html_q(ranges);
}

bool wants_json(std::string_view accept) {
  auto ranges = parse_accept(accept);
  double json = best_q(
      ranges, [](const MediaType& m) { return m.type == "application" && m.subtype == "json"; });
  return json > 0 && json >= html_q(ranges);
}

}  // namespace civicpub::server::http
