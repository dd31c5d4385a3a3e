#include "server/cli_federation.hpp"

#include "server/federation_settings.hpp"

#include "civicpub/version.hpp"
#include "federation/accounts.hpp"
#include "federation/clock.hpp"
#include "federation/http/cidr.hpp"
#include "server/app.hpp"

#include <spdlog/spdlog.h>

namespace civicpub::server {

int cli_failure(std::ostream& err, std::string_view command, std::string_view reason) {
  err << command << ": " << reason << '\n';
  return 1;
}

CliFederation::CliFederation(const Config& config)
    : instance_(instance_info(config)),
      db_(open_database(config)),
      client_(ioc_.get_executor(), client_settings(config)),
      webfinger_(client_),
      resolver_(*db_, client_, instance_, federation::system_clock(), {}, spdlog::default_logger()),
      posts_(*db_, client_, instance_, resolver_, federation::system_clock(),
             remote_posts_settings(config), spdlog::default_logger()),
      remote_(resolver_),
      lookup_(*db_, webfinger_, remote_, instance_.effective_handle_domain()) {}

CliFederation::~CliFederation() {
  db_->close();
}

}  // namespace civicpub::server
