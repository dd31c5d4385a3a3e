#include "storage/migrations.hpp"

#include "storage/errors.hpp"
#include "storage/statement.hpp"

#include <array>
#include <string>

namespace civicpub::storage {
namespace {

// Milestones 1 and 2: actors, keys, follows, posts, tombstones, the inbox queue, the delivery
// queue and host health. Times are Unix milliseconds (UTC); STRICT tables reject wrong types.
constexpr std::string_view kMigration1 = R"sql(
CREATE TABLE actors (
  id INTEGER PRIMARY KEY,
  uri TEXT NOT NULL UNIQUE,
  local INTEGER NOT NULL CHECK (local IN (0, 1)),
  type TEXT NOT NULL,
  username TEXT NOT NULL,
  domain TEXT NOT NULL,
  display_name TEXT NOT NULL DEFAULT '',
  summary_html TEXT NOT NULL DEFAULT '',
  inbox TEXT NOT NULL,
  shared_inbox TEXT NOT NULL DEFAULT '',
  outbox TEXT NOT NULL DEFAULT '',
  followers TEXT NOT NULL DEFAULT '',
  following TEXT NOT NULL DEFAULT '',
  url TEXT NOT NULL DEFAULT '',
  key_id TEXT NOT NULL DEFAULT '',
  public_key_pem TEXT NOT NULL DEFAULT '',
  manually_approves_followers INTEGER NOT NULL DEFAULT 0,
  discoverable INTEGER NOT NULL DEFAULT 1,
  raw_json TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  fetched_at INTEGER NOT NULL DEFAULT 0,
  deleted_at INTEGER
) STRICT;
-- Local usernames are unique regardless of case (WebFinger lookups are case-insensitive);
-- NOCASE folds ASCII only, and local usernames are validated as ASCII.
CREATE UNIQUE INDEX actors_local_username ON actors (username COLLATE NOCASE) WHERE local = 1;
CREATE INDEX actors_key_id ON actors (key_id) WHERE key_id <> '';

CREATE TABLE local_keys (
  actor_id INTEGER PRIMARY KEY REFERENCES actors (id) ON DELETE CASCADE,
  private_key_pem TEXT NOT NULL,
  public_key_pem TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE follows (
  id INTEGER PRIMARY KEY,
  follower_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  target_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  state TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'rejected')),
  activity_uri TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (follower_id, target_id)
) STRICT;
CREATE INDEX follows_target ON follows (target_id, state);
CREATE INDEX follows_activity ON follows (activity_uri) WHERE activity_uri <> '';

CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  ap_id TEXT NOT NULL UNIQUE,
  author_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  local INTEGER NOT NULL CHECK (local IN (0, 1)),
  in_reply_to TEXT NOT NULL DEFAULT '',
  thread_root TEXT NOT NULL DEFAULT '',
  context TEXT NOT NULL DEFAULT '',
  visibility TEXT NOT NULL CHECK (visibility IN ('public', 'unlisted', 'followers', 'direct')),
  content_html TEXT NOT NULL DEFAULT '',
  summary TEXT NOT NULL DEFAULT '',
  sensitive INTEGER NOT NULL DEFAULT 0,
  language TEXT NOT NULL DEFAULT '',
  url TEXT NOT NULL DEFAULT '',
  raw_json TEXT NOT NULL DEFAULT '',
  published INTEGER NOT NULL,
  updated INTEGER,
  deleted_at INTEGER
) STRICT;
CREATE INDEX posts_author_published ON posts (author_id, published DESC, id DESC);
CREATE INDEX posts_in_reply_to ON posts (in_reply_to) WHERE in_reply_to <> '';
CREATE INDEX posts_context ON posts (context) WHERE context <> '';

-- Deleted objects, so a Create that arrives after its Delete is ignored.
CREATE TABLE tombstones (
  id INTEGER PRIMARY KEY,
  uri TEXT NOT NULL UNIQUE,
  deleted_at INTEGER NOT NULL
) STRICT;

CREATE TABLE inbox_items (
  id INTEGER PRIMARY KEY,
  activity_id TEXT NOT NULL UNIQUE,
  actor_uri TEXT NOT NULL,
  key_id TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT '',
  received_at INTEGER NOT NULL,
  processed_at INTEGER
) STRICT;
CREATE INDEX inbox_items_pending ON inbox_items (id) WHERE state = 'pending';

-- The signing key is looked up from local_keys at send time: no private key is ever copied here.
CREATE TABLE deliveries (
  id INTEGER PRIMARY KEY,
  activity_id TEXT NOT NULL,
  actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  inbox_url TEXT NOT NULL,
  body TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_status INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (activity_id, inbox_url)
) STRICT;
CREATE INDEX deliveries_due ON deliveries (next_attempt_at, id) WHERE state = 'pending';

-- Host health: a host failing on `threshold` distinct UTC days is marked unavailable until it
-- answers again.
CREATE TABLE hosts (
  host TEXT PRIMARY KEY,
  failure_days INTEGER NOT NULL DEFAULT 0,
  last_failure_day INTEGER,
  last_success_at INTEGER,
  unavailable INTEGER NOT NULL DEFAULT 0
) STRICT;
)sql";

// Milestone 3 (replies across instances): what a post carries besides its text, Likes and
// Announces counted per post, and the fetches made for threads (cooldowns, budgets).
constexpr std::string_view kMigration2 = R"sql(
ALTER TABLE posts ADD COLUMN object_type TEXT NOT NULL DEFAULT 'Note';
ALTER TABLE posts ADD COLUMN name TEXT NOT NULL DEFAULT '';

CREATE TABLE post_mentions (
  post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  actor_uri TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (post_id, actor_uri)
) STRICT;  -- with rowid: mentions keep the order the author wrote them in
CREATE INDEX post_mentions_actor ON post_mentions (actor_uri);

CREATE TABLE post_hashtags (
  post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  href TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (post_id, name)
) STRICT, WITHOUT ROWID;
CREATE INDEX post_hashtags_name ON post_hashtags (name);

CREATE TABLE post_attachments (
  post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  type TEXT NOT NULL DEFAULT 'Document',
  media_type TEXT NOT NULL DEFAULT '',
  url TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  width INTEGER,
  height INTEGER,
  blurhash TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (post_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE reactions (
  id INTEGER PRIMARY KEY,
  activity_uri TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('like', 'announce')),
  actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  UNIQUE (kind, actor_id, post_id)
) STRICT;
CREATE INDEX reactions_post ON reactions (post_id, kind);

-- One row per remote object we tried to fetch (an ancestor, a thread's context or replies):
-- when, how often it failed, and the thread it was fetched for (budgets are per thread).
CREATE TABLE object_fetches (
  uri TEXT PRIMARY KEY,
  thread TEXT NOT NULL DEFAULT '',
  attempted_at INTEGER NOT NULL,
  succeeded_at INTEGER,
  failures INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT ''
) STRICT, WITHOUT ROWID;
CREATE INDEX object_fetches_thread ON object_fetches (thread, attempted_at) WHERE thread <> '';
)sql";

// Issue 5 (threads across instances): integrity proofs (FEP-8b32). Each local actor's Ed25519
// key (PKCS#8 PEM, like the RSA key; the public half as its Multikey `z6Mk...`), the FEP-521a
// assertionMethod keys of remote actors (so a proof verifies without refetching the actor every
// time), and how each inbox item was authenticated: 'signature' (the HTTP signer is the actor),
// 'proof' (a valid integrity proof by the actor, delivered by someone else) or 'unverified'
// (neither: only Create/Update/Delete, whose object is refetched from its origin).
constexpr std::string_view kMigration3 = R"sql(
CREATE TABLE local_assertion_keys (
  actor_id INTEGER PRIMARY KEY REFERENCES actors (id) ON DELETE CASCADE,
  private_key_pem TEXT NOT NULL,
  public_key_multibase TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE remote_assertion_keys (
  key_id TEXT PRIMARY KEY,
  actor_uri TEXT NOT NULL,
  public_key_multibase TEXT NOT NULL,
  fetched_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX remote_assertion_keys_actor ON remote_assertion_keys (actor_uri);

ALTER TABLE inbox_items ADD COLUMN auth TEXT NOT NULL DEFAULT 'signature'
  CHECK (auth IN ('signature', 'proof', 'unverified'));
)sql";

// Issue 10 (symmetric queues): an inbox item whose processing failed for a transient reason
// (the origin did not answer, a timeout, the database was busy) stays pending until this time,
// like a delivery; 0 means due at once.
constexpr std::string_view kMigration4 = R"sql(
ALTER TABLE inbox_items ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
)sql";

// Issue 11 (ids belong to their origin): an inbound activity is identified by (actor, id), not
// by the bare id another server could claim first; a delivery by (activity id, inbox, whether
// it is our own activity or someone else's forwarded), so a forwarded remote activity can never
// take the place of one of ours. SQLite cannot drop a UNIQUE constraint: both tables are rebuilt.
constexpr std::string_view kMigration5 = R"sql(
CREATE TABLE inbox_items_v5 (
  id INTEGER PRIMARY KEY,
  activity_id TEXT NOT NULL,
  actor_uri TEXT NOT NULL,
  key_id TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT '',
  received_at INTEGER NOT NULL,
  processed_at INTEGER,
  auth TEXT NOT NULL DEFAULT 'signature' CHECK (auth IN ('signature', 'proof', 'unverified')),
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  UNIQUE (actor_uri, activity_id)
) STRICT;
INSERT INTO inbox_items_v5 (id, activity_id, actor_uri, key_id, body, state, attempts, error,
  received_at, processed_at, auth, next_attempt_at)
  SELECT id, activity_id, actor_uri, key_id, body, state, attempts, error, received_at,
    processed_at, auth, next_attempt_at FROM inbox_items;
DROP TABLE inbox_items;
ALTER TABLE inbox_items_v5 RENAME TO inbox_items;
CREATE INDEX inbox_items_pending ON inbox_items (id) WHERE state = 'pending';

CREATE TABLE deliveries_v5 (
  id INTEGER PRIMARY KEY,
  activity_id TEXT NOT NULL,
  actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  inbox_url TEXT NOT NULL,
  body TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_status INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  forwarded INTEGER NOT NULL DEFAULT 0 CHECK (forwarded IN (0, 1)),
  UNIQUE (activity_id, inbox_url, forwarded)
) STRICT;
INSERT INTO deliveries_v5 (id, activity_id, actor_id, inbox_url, body, state, attempts,
  next_attempt_at, last_status, last_error, created_at, updated_at)
  SELECT id, activity_id, actor_id, inbox_url, body, state, attempts, next_attempt_at,
    last_status, last_error, created_at, updated_at FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_v5 RENAME TO deliveries;
CREATE INDEX deliveries_due ON deliveries (next_attempt_at, id) WHERE state = 'pending';
)sql";

// The inbox queue's caps count pending items per actor and per actor host (a range of
// actor_uri): issue 11, "the inbox worker cannot be stalled".
constexpr std::string_view kMigration6 = R"sql(
CREATE INDEX inbox_items_pending_actor ON inbox_items (actor_uri) WHERE state = 'pending';
)sql";

// Issue 12 (civic groups, FEP-1b12): a group is a local actor of type Group (its row in `actors`
// holds its handle, keys and collections; manually_approves_followers is "approve members"); this
// is what it has besides: its settings, its moderators (the `attributedTo` collection) and the
// posts it announced, with the Announce as sent (its outbox) and the thread each belongs to
// (a reply anywhere inside one of them is a post to the group).
constexpr std::string_view kMigration7 = R"sql(
CREATE TABLE groups (
  actor_id INTEGER PRIMARY KEY REFERENCES actors (id) ON DELETE CASCADE,
  members_only INTEGER NOT NULL DEFAULT 0 CHECK (members_only IN (0, 1)),
  posting_restricted_to_mods INTEGER NOT NULL DEFAULT 0
    CHECK (posting_restricted_to_mods IN (0, 1)),
  sensitive INTEGER NOT NULL DEFAULT 0 CHECK (sensitive IN (0, 1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE group_moderators (
  group_id INTEGER NOT NULL REFERENCES groups (actor_id) ON DELETE CASCADE,
  actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (group_id, actor_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE group_posts (
  id INTEGER PRIMARY KEY,
  group_id INTEGER NOT NULL REFERENCES groups (actor_id) ON DELETE CASCADE,
  post_uri TEXT NOT NULL,
  thread_root TEXT NOT NULL,
  activity_uri TEXT NOT NULL,
  announce_uri TEXT NOT NULL UNIQUE,
  announce_json TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (group_id, post_uri)
) STRICT;
CREATE INDEX group_posts_thread ON group_posts (thread_root);
CREATE INDEX group_posts_post ON group_posts (post_uri);
CREATE INDEX group_posts_outbox ON group_posts (group_id, id DESC);
)sql";

// Consultations (issue 14): a local Question's poll (its options, deadline, eligible domains,
// lifecycle and official answer) and the votes it received. One row per voter and option: a
// single-choice vote that changes replaces the voter's row, so nobody is counted twice. Voters
// are personal data: only counts leave the server (docs/consultations.md).
constexpr std::string_view kMigration8 = R"sql(
CREATE TABLE polls (
  post_id INTEGER PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
  multiple INTEGER NOT NULL CHECK (multiple IN (0, 1)),
  closes_at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed', 'answered')),
  closed_at INTEGER,
  answer_uri TEXT NOT NULL DEFAULT '',
  update_pending INTEGER NOT NULL DEFAULT 0 CHECK (update_pending IN (0, 1)),
  last_update_at INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX polls_open ON polls (closes_at) WHERE state = 'open';

CREATE TABLE poll_options (
  poll_id INTEGER NOT NULL REFERENCES polls (post_id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (poll_id, position),
  UNIQUE (poll_id, name)
) STRICT;

CREATE TABLE poll_eligible_domains (
  poll_id INTEGER NOT NULL REFERENCES polls (post_id) ON DELETE CASCADE,
  domain TEXT NOT NULL,
  PRIMARY KEY (poll_id, domain)
) STRICT;

CREATE TABLE poll_votes (
  id INTEGER PRIMARY KEY,
  poll_id INTEGER NOT NULL REFERENCES polls (post_id) ON DELETE CASCADE,
  voter_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  eligible INTEGER NOT NULL CHECK (eligible IN (0, 1)),
  activity_uri TEXT NOT NULL DEFAULT '',
  voted_at INTEGER NOT NULL,
  UNIQUE (poll_id, voter_id, position)
) STRICT;
)sql";

// Issue 13 (the Mastodon client API): passwords and e-mail addresses of local accounts, OAuth
// applications, access tokens and authorization codes. Secrets (client secrets, tokens, codes)
// are stored only as the hex SHA-256 of the random value handed out: a leaked database file
// gives no usable token. Staff grants let a person's login act for an organisation's account
// (a token's actor_id is the account acted as, staff_id the login behind it); the audit log
// records who did what through the API.
constexpr std::string_view kMigration9 = R"sql(
CREATE TABLE local_logins (
  actor_id INTEGER PRIMARY KEY REFERENCES actors (id) ON DELETE CASCADE,
  email TEXT COLLATE NOCASE UNIQUE,
  password_hash TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE oauth_apps (
  id INTEGER PRIMARY KEY,
  client_id TEXT NOT NULL UNIQUE,
  secret_hash TEXT NOT NULL,
  name TEXT NOT NULL,
  website TEXT NOT NULL DEFAULT '',
  redirect_uris TEXT NOT NULL,
  scopes TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE oauth_tokens (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  app_id INTEGER NOT NULL REFERENCES oauth_apps (id) ON DELETE CASCADE,
  actor_id INTEGER REFERENCES actors (id) ON DELETE CASCADE,
  scopes TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  revoked_at INTEGER,
  staff_id INTEGER REFERENCES actors (id) ON DELETE CASCADE
) STRICT;
CREATE INDEX oauth_tokens_actor ON oauth_tokens (actor_id);

CREATE TABLE oauth_codes (
  code_hash TEXT PRIMARY KEY,
  app_id INTEGER NOT NULL REFERENCES oauth_apps (id) ON DELETE CASCADE,
  actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  redirect_uri TEXT NOT NULL,
  scopes TEXT NOT NULL,
  code_challenge TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  staff_id INTEGER REFERENCES actors (id) ON DELETE CASCADE
) STRICT;

CREATE TABLE staff_grants (
  staff_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  account_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('post', 'moderate', 'admin')),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (staff_id, account_id)
) STRICT;

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  staff_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  app_id INTEGER,
  action TEXT NOT NULL,
  object_uri TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX audit_log_account ON audit_log (account_id, id);

CREATE TABLE markers (
  account_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  timeline TEXT NOT NULL CHECK (timeline IN ('home', 'notifications')),
  last_read_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, timeline)
) STRICT;
)sql";

constexpr std::array kMigrations = {
    Migration{1, kMigration1},
    Migration{2, kMigration2},
    Migration{3, kMigration3},
    Migration{4, kMigration4},
    Migration{5, kMigration5},
    Migration{6, kMigration6},
    Migration{7, kMigration7},
    Migration{8, kMigration8},
    Migration{9, kMigration9},
};

constexpr std::string_view kGetUserVersion = "PRAGMA user_version";

}  // namespace

Result<int> schema_version(Connection& conn) {
  auto stmt = Statement::prepare(conn, kGetUserVersion);
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return make_error_code(Errc::internal);
  return static_cast<int>(stmt->column_int64(0));
}

namespace {

Result<void> apply(Connection& conn, const Migration& m) {
  if (auto r = conn.exec("BEGIN IMMEDIATE"); !r) return r.error();
  // Another process may have migrated between our version check and the lock: look again.
  auto now = schema_version(conn);
  if (now && *now >= m.version) return conn.exec("COMMIT");
  Result<void> ok = now ? conn.exec(m.sql) : Result<void>(now.error());
  // PRAGMA cannot take a bound parameter; the version is our own integer.
  if (ok) ok = conn.exec("PRAGMA user_version = " + std::to_string(m.version));
  if (ok) ok = conn.exec("COMMIT");
  if (!ok) {
    (void)conn.exec("ROLLBACK");
    return make_error_code(Errc::migration_failed);
  }
  return {};
}

}  // namespace

std::span<const Migration> migrations() noexcept { return kMigrations; }

int latest_schema_version() noexcept { return kMigrations.back().version; }


Result<int> migrate(Connection& conn) { return migrate(conn, kMigrations); }

Result<int> migrate(Connection& conn, std::span<const Migration> list) {
  auto current = schema_version(conn);
  if (!current) return current.error();
  const int known = list.empty() ? 0 : list.back().version;
  if (*current > known) return make_error_code(Errc::schema_too_new);
  int version = *current;
  for (const auto& m : list) {
    if (m.version <= version) continue;
    if (m.version != version + 1) return make_error_code(Errc::migration_failed);  // a gap
    if (auto r = apply(conn, m); !r) return r.error();
    version = m.version;
  }
  return version;
}

}  // namespace civicpub::storage
