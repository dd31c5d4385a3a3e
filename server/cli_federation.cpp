#include "server/cli_federation.hpp"

#include "civicpub/version.hpp"
#include "federation/accounts.hpp"
#include "federation/clock.hpp"
#include "federation/http/cidr.hpp"
#include "server/app.hpp"

#include <spdlog/spdlog.h>

namespace civicpub::server {

federation::as2::InstanceInfo federation_instance_info(const Config& config) {
  federation::as2::InstanceInfo info;
  info.base_url = config.instance.base_url;
  info.host = config.instance.authority;
  info.handle_domain = config.instance.handle_domain.value_or("");
  info.name = config.instance.name;
  info.description = config.instance.description;
  info.admin_contact = config.instance.admin_contact;
  info.software_version = kVersion;
  info.instance_actor_id =
      config.instance.base_url + "/users/" + std::string(federation::kInstanceActorUsername);
  return info;
}

federation::http::ClientSettings federation_client_settings(const Config& config) {
  federation::http::ClientSettings s;
  s.user_agent = std::string("civicpub/") + kVersion + " (+" + config.instance.base_url + "/)";
  s.connect_timeout = std::chrono::seconds(config.federation.connect_timeout_seconds);
  s.read_timeout = std::chrono::seconds(config.federation.read_timeout_seconds);
  for (const auto& text : config.federation.allow_private_addresses) {
    auto cidr = federation::http::parse_cidr(text);
    if (!cidr) {
      throw ConfigError("federation.allow_private_addresses: " + cidr.error().message() +
                        ", got \"" + text + "\"");
    }
    s.allow_private.push_back(*cidr);
  }
  if (config.federation.extra_ca_file) s.extra_ca_file = config.federation.extra_ca_file->string();
  return s;
}

int cli_failure(std::ostream& err, std::string_view command, std::string_view reason) {
  err << command << ": " << reason << '\n';
  return 1;
}

CliFederation::CliFederation(const Config& config)
    : instance_(federation_instance_info(config)),
      db_(open_database(config)),
      client_(ioc_.get_executor(), federation_client_settings(config)),
      webfinger_(client_),
      resolver_(*db_, client_, instance_, federation::system_clock(), {}, spdlog::default_logger()),
      remote_(resolver_),
      lookup_(*db_, webfinger_, remote_, instance_.effective_handle_domain()) {}

CliFederation::~CliFederation() {
  db_->close();
}

}  // namespace civicpub::server
