// An account's consultations, newest first: title, state, deadline and voters, with the Atom
// feed of them linked (issue 14 point 5).
#pragma once

#include "federation/as2/instance_info.hpp"
#include "server/html/post_view.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace civicpub::server::html {

struct ConsultationListItem {
  std::string title;
  std::string url;    // the consultation's page
  std::string state;  // open, closed, answered
  storage::Millis closes_at = 0;
  std::int64_t voters = 0;
};

std::string consultation_list_page(const federation::as2::InstanceInfo& instance,
                                   const AuthorView& author, std::string_view feed_url,
                                   const std::vector<ConsultationListItem>& items);

}  // namespace civicpub::server::html
