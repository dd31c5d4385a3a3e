// The instance-wide settings every AS2 renderer needs. Filled by the composition root from the
// config file; federation never reads the config itself.
#pragma once

#include <string>

namespace civicpub::federation::as2 {

struct InstanceInfo {
  std::string base_url;       // https://town.example (no trailing slash)
  std::string host;           // host[:port] of base_url
  std::string handle_domain;  // the domain of @user@domain; empty means `host`
  std::string name;
  std::string description;
  std::string admin_contact;
  std::string software_version;
  bool open_registrations = false;
  std::string instance_actor_id;    // the server's own actor; always rendered as Application
  std::string software_repository;  // NodeInfo 2.1, optional
  std::string software_homepage;    // NodeInfo 2.1, optional

  const std::string& effective_handle_domain() const {
    return handle_domain.empty() ? host : handle_domain;
  }
  std::string shared_inbox() const { return base_url + "/inbox"; }
};

}  // namespace civicpub::federation::as2
