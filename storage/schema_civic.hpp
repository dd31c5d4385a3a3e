// Migrations 7 to 16, and later ones of their kind: what people use (groups, consultations,
// logins and OAuth, ...). Included only by storage/schema.cpp. A merged migration is never
// edited; a change is a new one.
#pragma once

#include <string_view>

namespace civicpub::storage::schema {

// Issue 12 (civic groups, FEP-1b12): a group is a local actor of type Group (its row in `actors`
// holds its handle, keys and collections; manually_approves_followers is "approve members"); this
// is what it has besides: its settings, its moderators (the `attributedTo` collection) and the
// posts it announced, with the Announce as sent (its outbox) and the thread each belongs to
// (a reply anywhere inside one of them is a post to the group).
inline constexpr std::string_view kMigration7 = R"sql(
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
inline constexpr std::string_view kMigration8 = R"sql(
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
inline constexpr std::string_view kMigration9 = R"sql(
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

// Issue 12, point 5 (instance moderation): domain blocks as the operator typed them
// (`127.0.0.1:9000`, `example.com`, `*.example.com`), remote actors suspended, and reports (Flag)
// received and sent. A post of a blocked domain or a suspended actor is hidden by setting its
// deleted_at and `moderated`, so that every read that skips deleted posts skips it, and lifting
// the block or the suspension brings back exactly what moderation hid. moderation_generation
// changes (by trigger) with every block and suspension, so the running server notices a change
// the CLI made with one tiny read per second instead of a query per request.
inline constexpr std::string_view kMigration10 = R"sql(
CREATE TABLE domain_blocks (
  pattern TEXT PRIMARY KEY,
  reason TEXT NOT NULL DEFAULT '',
  reject_media INTEGER NOT NULL DEFAULT 0 CHECK (reject_media IN (0, 1)),
  created_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

ALTER TABLE actors ADD COLUMN suspended_at INTEGER;
ALTER TABLE actors ADD COLUMN suspension_reason TEXT NOT NULL DEFAULT '';
CREATE INDEX actors_suspended ON actors (id) WHERE suspended_at IS NOT NULL;

ALTER TABLE posts ADD COLUMN moderated INTEGER NOT NULL DEFAULT 0 CHECK (moderated IN (0, 1));

CREATE TABLE moderation_generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  generation INTEGER NOT NULL
) STRICT;
INSERT INTO moderation_generation (id, generation) VALUES (1, 0);
CREATE TRIGGER domain_blocks_added AFTER INSERT ON domain_blocks
  BEGIN UPDATE moderation_generation SET generation = generation + 1; END;
CREATE TRIGGER domain_blocks_changed AFTER UPDATE ON domain_blocks
  BEGIN UPDATE moderation_generation SET generation = generation + 1; END;
CREATE TRIGGER domain_blocks_removed AFTER DELETE ON domain_blocks
  BEGIN UPDATE moderation_generation SET generation = generation + 1; END;
CREATE TRIGGER actors_suspension AFTER UPDATE OF suspended_at ON actors
  WHEN old.suspended_at IS NOT new.suspended_at
  BEGIN UPDATE moderation_generation SET generation = generation + 1; END;

CREATE TABLE reports (
  id INTEGER PRIMARY KEY,
  direction TEXT NOT NULL CHECK (direction IN ('received', 'sent')),
  activity_uri TEXT NOT NULL,
  reporter_uri TEXT NOT NULL,
  account_uri TEXT NOT NULL DEFAULT '',
  object_uris TEXT NOT NULL DEFAULT '',
  comment TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  resolved_at INTEGER,
  UNIQUE (reporter_uri, activity_uri)
) STRICT;
CREATE INDEX reports_open ON reports (id) WHERE resolved_at IS NULL;
)sql";

// Issue 14 (polls in the client API): the votes local accounts sent to other servers' polls, so
// that the poll entity tells them what they chose (`voted`, `own_votes`) and a second vote is
// refused as on Mastodon. The counts stay the poll author's (its Update(Question)). And how each
// remote post was verified when it was stored (HTTP signature of its author, integrity proof,
// fetched from its origin) with the activity that brought it: the consultation export's
// provenance (storage/post_provenance.hpp).
inline constexpr std::string_view kMigration11 = R"sql(
CREATE TABLE remote_poll_votes (
  post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  voter_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  activity_uri TEXT NOT NULL,
  voted_at INTEGER NOT NULL,
  PRIMARY KEY (post_id, voter_id, position)
) STRICT;

CREATE TABLE post_provenance (
  post_id INTEGER PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
  verified_by TEXT NOT NULL CHECK (verified_by IN ('signature', 'proof', 'origin')),
  activity_id TEXT NOT NULL DEFAULT '',
  received_at INTEGER NOT NULL
) STRICT;
)sql";

// Issue 12, moderation that travels: a post or thread a moderator removed from a group stays in
// group_posts (its Announce was sent) with removed_at, and leaves the outbox and the pages; a
// thread's marks (locked: no more replies are announced; featured: the group's `featured`
// collection); actors blocked from a group (their posts get Reject and are not announced).
inline constexpr std::string_view kMigration12 = R"sql(
ALTER TABLE group_posts ADD COLUMN removed_at INTEGER;
CREATE INDEX posts_thread_root ON posts (thread_root) WHERE thread_root <> '';

CREATE TABLE group_threads (
  group_id INTEGER NOT NULL REFERENCES groups (actor_id) ON DELETE CASCADE,
  thread_root TEXT NOT NULL,
  locked_at INTEGER,
  featured_at INTEGER,
  PRIMARY KEY (group_id, thread_root)
) STRICT, WITHOUT ROWID;

CREATE TABLE group_blocks (
  group_id INTEGER NOT NULL REFERENCES groups (actor_id) ON DELETE CASCADE,
  actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  reason TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  PRIMARY KEY (group_id, actor_id)
) STRICT, WITHOUT ROWID;
)sql";

// Issue 13, the client API's social side: notifications of local accounts (stored in the
// transaction of the event that caused them: a mention, follow, follow request, favourite,
// reblog, or an edit of a post the account reblogged) and bookmarks.
inline constexpr std::string_view kMigration13 = R"sql(
CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  type TEXT NOT NULL CHECK (type IN ('mention', 'status', 'reblog', 'follow', 'follow_request',
                                     'favourite', 'update')),
  from_account_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  post_id INTEGER REFERENCES posts (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX notifications_account ON notifications (account_id, id);
CREATE UNIQUE INDEX notifications_once
  ON notifications (account_id, type, from_account_id, coalesce(post_id, 0));

CREATE TABLE bookmarks (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  UNIQUE (account_id, post_id)
) STRICT;
)sql";

// Migration 14 (issue 13, sessions): when each access token was last used (kept to within five
// minutes, storage/oauth_sessions.hpp), for `civicpub account sessions`.
inline constexpr std::string_view kMigration14 = R"sql(
ALTER TABLE oauth_tokens ADD COLUMN last_used_at INTEGER;
)sql";

// Migration 15 (issue 15): indexes for two lookups that read every post. A post found by its
// `url` (the HTML link peers and people paste: `civicpub thread`, `report send`), and the count of
// local posts every app asks for at start-up (/api/v1/instance, NodeInfo). With 100,000 remote
// posts each was a scan of the whole table.
inline constexpr std::string_view kMigration15 = R"sql(
CREATE INDEX posts_url ON posts (url) WHERE url <> '';
CREATE INDEX posts_local_live ON posts (id) WHERE local = 1 AND deleted_at IS NULL;
)sql";

// Migration 16 (issue 13, the rest of the client API): "notify me" on follows, the TOTP second
// factor of logins, profile fields and posting defaults, and earlier versions of edited posts.
inline constexpr std::string_view kMigration16 = R"sql(
-- "Notify me when they post": `notify` of POST /api/v1/accounts/:id/follow (status notifications).
ALTER TABLE follows ADD COLUMN notify INTEGER NOT NULL DEFAULT 0 CHECK (notify IN (0, 1));

-- The TOTP second factor of a login: the key, and the last time step a code was accepted for (a
-- code works once; storage/login_totp.hpp).
CREATE TABLE login_totp (
  actor_id INTEGER PRIMARY KEY REFERENCES actors (id) ON DELETE CASCADE,
  secret_hex TEXT NOT NULL,
  last_step INTEGER,
  created_at INTEGER NOT NULL
) STRICT;

-- update_credentials: profile fields (at most four, Mastodon's limit) and the posting defaults
-- of verify_credentials' `source`.
CREATE TABLE account_fields (
  actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  value_html TEXT NOT NULL,
  PRIMARY KEY (actor_id, position)
) STRICT;
CREATE TABLE account_settings (
  actor_id INTEGER PRIMARY KEY REFERENCES actors (id) ON DELETE CASCADE,
  privacy TEXT NOT NULL CHECK (privacy IN ('public', 'unlisted', 'private', 'direct')),
  sensitive INTEGER NOT NULL CHECK (sensitive IN (0, 1)),
  language TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

-- Earlier versions of edited posts (GET /api/v1/statuses/:id/history), kept by a trigger so
-- that every path that edits (local edits, inbound Updates) keeps them; the newest 50 per post.
CREATE TABLE post_versions (
  id INTEGER PRIMARY KEY,
  post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  content_html TEXT NOT NULL,
  summary TEXT NOT NULL,
  sensitive INTEGER NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX post_versions_post ON post_versions (post_id, id);
CREATE TRIGGER posts_keep_versions AFTER UPDATE OF content_html, summary, sensitive ON posts
WHEN OLD.content_html <> NEW.content_html OR OLD.summary <> NEW.summary
  OR OLD.sensitive <> NEW.sensitive
BEGIN
  INSERT INTO post_versions (post_id, content_html, summary, sensitive, created_at)
  VALUES (OLD.id, OLD.content_html, OLD.summary, OLD.sensitive,
          coalesce(OLD.updated, OLD.published));
  DELETE FROM post_versions WHERE post_id = OLD.id AND id NOT IN
    (SELECT id FROM post_versions WHERE post_id = OLD.id ORDER BY id DESC LIMIT 50);
END;
)sql";

}  // namespace civicpub::storage::schema
