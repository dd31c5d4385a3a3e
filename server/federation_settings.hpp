// The one place that turns the config file's [instance] and [federation] sections into the
// settings structs federation/ takes in its constructors (federation never reads the config).
#pragma once

#include "federation/as2/instance_info.hpp"
#include "federation/delivery/delivery_worker.hpp"
#include "federation/delivery/retry_policy.hpp"
#include "federation/http/http_client.hpp"
#include "federation/remote_posts.hpp"
#include "server/config.hpp"

namespace civicpub::server {

federation::as2::InstanceInfo instance_info(const Config& config);

// Throws std::runtime_error naming the key when a CIDR does not parse (the config loader has
// validated them already, so this is a start-up bug guard).
federation::http::ClientSettings client_settings(const Config& config);

federation::delivery::RetryPolicy retry_policy(const Config& config);

federation::delivery::WorkerSettings delivery_settings(const Config& config);

// Thread depth cap and fetch budget for replies' parents.
federation::RemotePostsSettings remote_posts_settings(const Config& config);

}  // namespace civicpub::server
