// What happened to a stored status, as told to the streaming hub (stream_hub.hpp) once the write
// has committed. Local posts (PostService), inbound Create, Update and Delete (server/inbound).
#pragma once

#include <functional>
#include <string>

namespace civicpub::server::services {

enum class StatusChange { created, edited, deleted };

// Called with the post's ActivityPub id; empty where nothing streams (the CLI, tests).
using StatusChangeSink = std::function<void(StatusChange, const std::string&)>;
// Whether a sink wants changes now (an open stream); the inbound side skips its before-and-after
// reads when not (issue 15). Empty: always.
using StatusListening = std::function<bool()>;

}  // namespace civicpub::server::services
