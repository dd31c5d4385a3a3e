// Plain records exchanged with the storage layer. Times are Unix milliseconds (UTC).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace civicpub::storage {

using Millis = std::int64_t;

// A local or remote ActivityPub actor. For local actors every URI is derived from the instance
// base URL once, at creation, and stored: ids never change afterwards.
struct ActorRecord {
  std::int64_t id = 0;          // row id
  std::string uri;              // the ActivityPub id
  bool local = false;
  std::string type;             // Person, Organization, Service, Application, Group
  std::string username;         // preferredUsername (local: unique, lowercase)
  std::string domain;           // handle domain (host[:port]) for @username@domain
  std::string display_name;
  std::string summary_html;
  std::string inbox;
  std::string shared_inbox;     // may be empty
  std::string outbox;
  std::string followers;
  std::string following;
  std::string url;              // HTML profile
  std::string key_id;           // <uri>#main-key
  std::string public_key_pem;   // RSA, SPKI PEM
  bool manually_approves_followers = false;
  bool discoverable = true;
  std::string raw_json;         // remote actors: the document as fetched
  Millis created_at = 0;
  Millis updated_at = 0;
  Millis fetched_at = 0;        // remote actors: last fetch
  std::optional<Millis> deleted_at;
};

// The private half of a local actor's key pair. Lives only in `local_keys`; never copied into
// delivery rows or any other table.
struct LocalKeyRecord {
  std::int64_t actor_id = 0;
  std::string private_key_pem;  // RSA-2048, PKCS#8 PEM
  std::string public_key_pem;   // RSA, SPKI PEM (same as the actor's)
  Millis created_at = 0;
};

// A local actor's Ed25519 key for integrity proofs (FEP-8b32), published as a FEP-521a Multikey.
// Lives only in `local_assertion_keys`.
struct LocalAssertionKeyRecord {
  std::int64_t actor_id = 0;
  std::string private_key_pem;       // Ed25519, PKCS#8 PEM
  std::string public_key_multibase;  // "z6Mk...", the Multikey's publicKeyMultibase
  Millis created_at = 0;
};

// A remote actor's Ed25519 assertionMethod key, as found in its actor document.
struct RemoteAssertionKeyRecord {
  std::string key_id;                // the Multikey id, e.g. <actor>#ed25519-key
  std::string actor_uri;             // its controller, the actor whose document lists it
  std::string public_key_multibase;  // "z6Mk..."
  Millis fetched_at = 0;
};

enum class FollowState { pending, accepted, rejected };

// A follow relation between two actors (either side may be local or remote).
struct FollowRecord {
  std::int64_t id = 0;
  std::int64_t follower_id = 0;
  std::int64_t target_id = 0;
  FollowState state = FollowState::pending;
  std::string activity_uri;     // the Follow activity's id (Accept/Reject/Undo refer to it)
  Millis created_at = 0;
  Millis updated_at = 0;
};

enum class Visibility { public_, unlisted, followers, direct };

// A local or remote post (Note). URIs are strings: a reply may point at a post we do not have.
struct PostRecord {
  std::int64_t id = 0;
  std::string ap_id;            // the ActivityPub id
  std::int64_t author_id = 0;
  bool local = false;
  std::string in_reply_to;      // empty when not a reply
  std::string thread_root;      // the top post's URI (itself for a top post)
  std::string context;          // the conversation/context URI
  Visibility visibility = Visibility::public_;
  std::string content_html;
  std::string summary;          // content warning
  bool sensitive = false;
  std::string language;         // BCP 47, may be empty
  std::string url;              // HTML page
  std::string raw_json;         // remote posts: the object as received
  std::string object_type = "Note";  // Note, Question, Article or Page
  std::string name;             // the title of an Article, Page or Question; usually empty
  Millis published = 0;
  std::optional<Millis> updated;
  std::optional<Millis> deleted_at;
};

// A Mention tag of a post: the actor it addresses and the name shown ("@user@host").
struct MentionRecord {
  std::string actor_uri;
  std::string name;
};

// A Hashtag tag of a post: the name without '#', lowercased; href as the author's server wrote it.
struct HashtagRecord {
  std::string name;
  std::string href;
};

// Metadata of an attached file (we store what it is and where it lives, never the bytes).
struct AttachmentRecord {
  std::string type = "Document";  // Document, Image, Video, Audio
  std::string media_type;         // e.g. image/jpeg; may be empty
  std::string url;
  std::string name;               // alt text
  std::optional<std::int64_t> width;
  std::optional<std::int64_t> height;
  std::string blurhash;
};

enum class ReactionKind { like, announce };

// A Like or Announce of a post, keyed by the activity's id (Undo names it).
struct ReactionRecord {
  std::int64_t id = 0;
  std::string activity_uri;
  ReactionKind kind = ReactionKind::like;
  std::int64_t actor_id = 0;
  std::int64_t post_id = 0;
  Millis created_at = 0;
};

// A remote object we tried to fetch, for cooldowns and per-thread budgets.
struct ObjectFetchRecord {
  std::string uri;
  std::string thread;           // the thread (root or context URI) it was fetched for; may be empty
  Millis attempted_at = 0;
  std::optional<Millis> succeeded_at;
  int failures = 0;             // consecutive failures since the last success
  std::string last_error;
};

enum class InboxState { pending, done, failed };

// How an inbox item was authenticated (FEDERATION.md "Forwarded activities"): the HTTP signer
// is the activity's actor; or someone else delivered it with a valid integrity proof by the
// actor; or neither, and the handlers refetch the object from its origin instead of believing it.
enum class InboxAuth { signature, proof, unverified };

// An accepted inbound activity waiting to be (or having been) processed.
struct InboxItemRecord {
  std::int64_t id = 0;
  std::string activity_id;
  std::string actor_uri;
  // scheme://host[:port] of actor_uri as federation's URL parser gives it (queue_item fills it):
  // the key of the per-host pending count. '' is counted per actor only.
  std::string actor_origin;
  std::string key_id;           // the key that signed the request
  std::string body;             // the activity JSON as received
  InboxAuth auth = InboxAuth::signature;
  InboxState state = InboxState::pending;
  int attempts = 0;            // failed tries so far (a done item counts its last try too)
  std::string error;           // the last failure, for the operator
  Millis received_at = 0;
  std::optional<Millis> processed_at;
  Millis next_attempt_at = 0;  // a pending item is not processed before this
};

enum class DeliveryState { pending, done, dead };

// One activity to one inbox. The signing key is looked up by actor_id at send time.
struct DeliveryRecord {
  std::int64_t id = 0;
  std::string activity_id;
  std::int64_t actor_id = 0;    // the signing local actor
  std::string inbox_url;
  std::string body;
  DeliveryState state = DeliveryState::pending;
  int attempts = 0;
  Millis next_attempt_at = 0;
  int last_status = 0;          // last HTTP status, 0 when none (network error)
  std::string last_error;
  Millis created_at = 0;
  Millis updated_at = 0;
};

// The health of a remote host, for giving up on hosts that are gone.
struct HostRecord {
  std::string host;
  int failure_days = 0;         // distinct UTC days with failures since the last success
  std::optional<std::int64_t> last_failure_day;  // days since 1970-01-01 (UTC)
  std::optional<Millis> last_success_at;
  bool unavailable = false;
};

// The spelling stored in the database ("public", "accepted", ...); parse_* reject unknown text.
std::string_view to_string(FollowState s) noexcept;
std::string_view to_string(Visibility v) noexcept;
std::string_view to_string(InboxState s) noexcept;
std::string_view to_string(InboxAuth a) noexcept;
std::string_view to_string(DeliveryState s) noexcept;
std::string_view to_string(ReactionKind k) noexcept;
std::optional<FollowState> parse_follow_state(std::string_view s) noexcept;
std::optional<Visibility> parse_visibility(std::string_view s) noexcept;
std::optional<InboxState> parse_inbox_state(std::string_view s) noexcept;
std::optional<InboxAuth> parse_inbox_auth(std::string_view s) noexcept;
std::optional<DeliveryState> parse_delivery_state(std::string_view s) noexcept;
std::optional<ReactionKind> parse_reaction_kind(std::string_view s) noexcept;

}  // namespace civicpub::storage
