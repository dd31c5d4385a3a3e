// A consultation's page (issue 14): the question, the body, the state and deadline, the results
// as a server-rendered SVG bar chart with the same numbers in a table beside it (residents versus
// others where eligibility is set), how to vote from Mastodon, the official answer, then the
// discussion. The chart is an <svg role="img"> with a text alternative; the table is the
// accessible source of the numbers.
#pragma once

#include "federation/as2/instance_info.hpp"
#include "server/html/post_view.hpp"

#include <optional>
#include <string>
#include <vector>

namespace civicpub::server::html {

struct ConsultationOptionView {
  std::string name;
  std::int64_t residents = 0;
  std::int64_t others = 0;
  std::int64_t total() const { return residents + others; }
};

struct ConsultationView {
  std::string id;  // the Question's id (the export links hang off it)
  std::string title;
  std::string state;  // open, closed, answered
  bool multiple = false;
  storage::Millis closes_at = 0;
  std::optional<storage::Millis> closed_at;
  std::vector<std::string> eligible_domains;  // empty: no residents/others split
  std::vector<ConsultationOptionView> options;
  std::int64_t voters_residents = 0;
  std::int64_t voters_others = 0;
  std::string author_handle;  // @name@domain, to find the consultation from any server
  std::string answer_id;      // the official answer's id, once answered
};

// The bar chart alone: one bar per option (two, residents and others, when eligibility is set),
// scaled to the largest count, with the numbers written next to the bars.
std::string results_svg(const ConsultationView& consultation);

// The whole document. `root` is the consultation's thread (the root is the Question); the
// official answer, when it is among the root's replies, is shown first and not repeated below.
std::string consultation_page(const federation::as2::InstanceInfo& instance,
                              const ConsultationView& consultation, const ThreadNode& root);

}  // namespace civicpub::server::html
