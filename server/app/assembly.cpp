#include "server/app/assembly.hpp"

#include "federation/clock.hpp"
#include "server/config/settings.hpp"
#include "server/services/moderation.hpp"
#include "server/services/notifications.hpp"

#include <stdexcept>

#include <spdlog/spdlog.h>

namespace civicpub::server {

Assembly::Assembly(const Config& config, boost::asio::any_io_executor executor)
    : config_(config),
      instance_(instance_info(config)),
      db_(open_database(config)),
      blocks_(std::make_shared<federation::BlockList>(configured_domain_rules(config))),
      client_(executor, client_settings(config)),
      fetches_(executor, client_, fetch_guard_settings(config)),
      webfinger_(fetches_, blocks_),
      resolver_(*db_, fetches_, instance_, federation::system_clock(), resolver_settings(config, blocks_),
                spdlog::default_logger()),
      posts_(*db_, fetches_, instance_, resolver_, federation::system_clock(),
             remote_posts_settings(config, blocks_), spdlog::default_logger(),
             // Notifications of what peers post (mentions, replies, edits of posts reblogged or
             // favourited here) are stored in the write that stores the post.
             federation::PostHooks{services::notify_post_created, services::notify_post_updated}),
      remote_(resolver_),
      lookup_(*db_, webfinger_, remote_, instance_.effective_handle_domain()) {
  if (auto loaded = services::load_block_list(*db_, *blocks_); !loaded) {
    throw std::runtime_error("cannot read the domain blocks: " + loaded.error().message());
  }
}

Assembly::~Assembly() {
  db_->close();
}

}  // namespace civicpub::server
