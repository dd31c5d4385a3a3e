#include "federation/as2/nodeinfo.hpp"

#include "federation/as2/json.hpp"

namespace civicpub::federation::as2 {
namespace {

// NodeInfo requires software.name to match ^[a-z0-9-]+$.
constexpr std::string_view kSoftwareName = "civicpub";

void write_link(JsonWriter& out, std::string_view rel, const std::string& href) {
  out.start_object();
  out.field("rel", rel);
  out.field("href", href);
  out.end_object();
}

}  // namespace

std::string render_nodeinfo_links(const InstanceInfo& instance) {
  JsonWriter out;
  out.start_object();
  out.key("links");
  out.start_array();
  write_link(out, kNodeInfo20Rel, instance.base_url + std::string(kNodeInfo20Path));
  write_link(out, kNodeInfo21Rel, instance.base_url + std::string(kNodeInfo21Path));
  out.end_array();
  out.end_object();
  return out.str();
}

std::string render_nodeinfo(NodeInfoVersion version, const InstanceInfo& instance,
                            const NodeUsage& usage) {
  const bool v21 = version == NodeInfoVersion::v2_1;
  JsonWriter out;
  out.start_object();
  out.field("version", v21 ? "2.1" : "2.0");
  out.key("software");
  out.start_object();
  out.field("name", kSoftwareName);
  out.field("version", instance.software_version);
  if (v21) {
    // 2.1 only; the 2.0 schema forbids extra members in `software`.
    out.field_if("repository", instance.software_repository);
    out.field_if("homepage", instance.software_homepage);
  }
  out.end_object();
  out.key("protocols");
  out.start_array();
  out.string("activitypub");
  out.end_array();
  out.key("services");
  out.start_object();
  out.key("inbound");
  out.start_array();
  out.end_array();
  out.key("outbound");
  out.start_array();
  out.end_array();
  out.end_object();
  out.key("usage");
  out.start_object();
  out.key("users");
  out.start_object();
  out.field("total", usage.users_total);
  out.field("activeMonth", usage.active_month);
  out.field("activeHalfyear", usage.active_halfyear);
  out.end_object();
  out.field("localPosts", usage.local_posts);
  out.end_object();
  out.field("openRegistrations", instance.open_registrations);
  out.key("metadata");
  out.start_object();
  out.field("nodeName", instance.name);
  out.field("nodeDescription", instance.description);
  out.end_object();
  out.end_object();
  return out.str();
}

std::string nodeinfo_content_type(NodeInfoVersion version) {
  return std::string("application/json; profile=\"") +
         std::string(version == NodeInfoVersion::v2_1 ? kNodeInfo21Rel : kNodeInfo20Rel) + "#\"";
}

}  // namespace civicpub::federation::as2
