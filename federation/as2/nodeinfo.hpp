// NodeInfo (http://nodeinfo.diaspora.software/): the discovery links document served at
// /.well-known/nodeinfo and the 2.0 and 2.1 documents it points to.
#pragma once

#include "federation/as2/instance_info.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace civicpub::federation::as2 {

inline constexpr std::string_view kNodeInfo20Rel =
    "http://nodeinfo.diaspora.software/ns/schema/2.0";
inline constexpr std::string_view kNodeInfo21Rel =
    "http://nodeinfo.diaspora.software/ns/schema/2.1";

// Where the documents live, relative to the base URL.
inline constexpr std::string_view kNodeInfo20Path = "/nodeinfo/2.0";
inline constexpr std::string_view kNodeInfo21Path = "/nodeinfo/2.1";

struct NodeUsage {
  std::uint64_t users_total = 0;
  std::uint64_t active_month = 0;
  std::uint64_t active_halfyear = 0;
  std::uint64_t local_posts = 0;
};

enum class NodeInfoVersion { v2_0, v2_1 };

// `{"links": [{rel: 2.0, href}, {rel: 2.1, href}]}`
std::string render_nodeinfo_links(const InstanceInfo& instance);

std::string render_nodeinfo(NodeInfoVersion version, const InstanceInfo& instance,
                            const NodeUsage& usage);

// The Content-Type the schema asks for, e.g.
// `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.0#"`.
std::string nodeinfo_content_type(NodeInfoVersion version);

}  // namespace civicpub::federation::as2
