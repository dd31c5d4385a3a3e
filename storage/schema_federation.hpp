// Migrations 1 to 6: the federation core (actors, keys, follows, posts, queues, proofs), and
// later ones that change it (17: the inbox queue's pending counts). Included only by
// storage/schema.cpp. A merged migration is never edited; a change is a new one.
#pragma once

#include <string_view>

namespace civicpub::storage::schema {

// Milestones 1 and 2: actors, keys, follows, posts, tombstones, the inbox queue, the delivery
// queue and host health. Times are Unix milliseconds (UTC); STRICT tables reject wrong types.
inline constexpr std::string_view kMigration1 = R"sql(
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
inline constexpr std::string_view kMigration2 = R"sql(
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
inline constexpr std::string_view kMigration3 = R"sql(
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
inline constexpr std::string_view kMigration4 = R"sql(
ALTER TABLE inbox_items ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
)sql";

// Issue 11 (ids belong to their origin): an inbound activity is identified by (actor, id), not
// by the bare id another server could claim first; a delivery by (activity id, inbox, whether
// it is our own activity or someone else's forwarded), so a forwarded remote activity can never
// take the place of one of ours. SQLite cannot drop a UNIQUE constraint: both tables are rebuilt.
inline constexpr std::string_view kMigration5 = R"sql(
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
inline constexpr std::string_view kMigration6 = R"sql(
CREATE INDEX inbox_items_pending_actor ON inbox_items (actor_uri) WHERE state = 'pending';
)sql";

// The inbox queue's caps without COUNT(*) per insert (docs/performance.md, "Inbox ingest"):
// migration 6's counts walked the whole backlog of a host on every insert, so a burst from one
// server was quadratic. The pending items per actor and per actor origin are now kept in two
// small tables by triggers, in the same transaction as every change of inbox_items (a rollback
// takes them back too), and a cap check is two primary-key lookups. A count reaching 0 is
// deleted. `actor_origin` is written by the insert (federation's origin_of, computed once in
// queue_item); '' is counted per actor only. A later migration that rebuilds inbox_items (as 5
// did) drops these triggers with the old table: it must create them again.
inline constexpr std::string_view kMigration17 = R"sql(
ALTER TABLE inbox_items ADD COLUMN actor_origin TEXT NOT NULL DEFAULT '';

-- The rows pending now get the actor URI up to the first '/' after '://': exactly the rows
-- migration 6's range (actor_uri >= origin || '/' AND actor_uri < origin || '0') counted under
-- that origin. It is origin_of(actor_uri) whenever the URI is spelled canonically (lowercase,
-- no default port); a row spelled otherwise was never counted under its host before, and is not
-- until it is processed. Processed rows keep '': they are never counted again.
UPDATE inbox_items
SET actor_origin = substr(actor_uri, 1,
                          instr(actor_uri, '://') + 1
                          + instr(substr(actor_uri, instr(actor_uri, '://') + 3), '/'))
WHERE state = 'pending' AND instr(actor_uri, '://') > 0
  AND instr(substr(actor_uri, instr(actor_uri, '://') + 3), '/') > 0;

CREATE TABLE inbox_pending_actors (
  actor_uri TEXT PRIMARY KEY,
  n INTEGER NOT NULL CHECK (n > 0)
) STRICT, WITHOUT ROWID;
CREATE TABLE inbox_pending_origins (
  origin TEXT PRIMARY KEY,
  n INTEGER NOT NULL CHECK (n > 0)
) STRICT, WITHOUT ROWID;
INSERT INTO inbox_pending_actors (actor_uri, n)
  SELECT actor_uri, COUNT(*) FROM inbox_items WHERE state = 'pending' GROUP BY actor_uri;
INSERT INTO inbox_pending_origins (origin, n)
  SELECT actor_origin, COUNT(*) FROM inbox_items
  WHERE state = 'pending' AND actor_origin <> '' GROUP BY actor_origin;

-- A row counts while it is pending: inserted pending, or moved into pending (or to other keys)
-- by an update, it adds one; deleted while pending, or moved out of pending (or away from its
-- keys), it takes one away. Updates of other columns (retry_later) fire nothing.
CREATE TRIGGER inbox_items_pending_added AFTER INSERT ON inbox_items
WHEN NEW.state = 'pending'
BEGIN
  INSERT INTO inbox_pending_actors (actor_uri, n) VALUES (NEW.actor_uri, 1)
    ON CONFLICT (actor_uri) DO UPDATE SET n = n + 1;
  INSERT INTO inbox_pending_origins (origin, n) SELECT NEW.actor_origin, 1
    WHERE NEW.actor_origin <> '' ON CONFLICT (origin) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER inbox_items_pending_entered
AFTER UPDATE OF state, actor_uri, actor_origin ON inbox_items
WHEN NEW.state = 'pending' AND (OLD.state <> 'pending' OR OLD.actor_uri <> NEW.actor_uri
                                 OR OLD.actor_origin <> NEW.actor_origin)
BEGIN
  INSERT INTO inbox_pending_actors (actor_uri, n) VALUES (NEW.actor_uri, 1)
    ON CONFLICT (actor_uri) DO UPDATE SET n = n + 1;
  INSERT INTO inbox_pending_origins (origin, n) SELECT NEW.actor_origin, 1
    WHERE NEW.actor_origin <> '' ON CONFLICT (origin) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER inbox_items_pending_left
AFTER UPDATE OF state, actor_uri, actor_origin ON inbox_items
WHEN OLD.state = 'pending' AND (NEW.state <> 'pending' OR OLD.actor_uri <> NEW.actor_uri
                                 OR OLD.actor_origin <> NEW.actor_origin)
BEGIN
  DELETE FROM inbox_pending_actors WHERE actor_uri = OLD.actor_uri AND n = 1;
  UPDATE inbox_pending_actors SET n = n - 1 WHERE actor_uri = OLD.actor_uri;
  DELETE FROM inbox_pending_origins WHERE origin = OLD.actor_origin AND n = 1;
  UPDATE inbox_pending_origins SET n = n - 1 WHERE origin = OLD.actor_origin;
END;
CREATE TRIGGER inbox_items_pending_deleted AFTER DELETE ON inbox_items
WHEN OLD.state = 'pending'
BEGIN
  DELETE FROM inbox_pending_actors WHERE actor_uri = OLD.actor_uri AND n = 1;
  UPDATE inbox_pending_actors SET n = n - 1 WHERE actor_uri = OLD.actor_uri;
  DELETE FROM inbox_pending_origins WHERE origin = OLD.actor_origin AND n = 1;
  UPDATE inbox_pending_origins SET n = n - 1 WHERE origin = OLD.actor_origin;
END;

-- Served only the counts above.
DROP INDEX inbox_items_pending_actor;
)sql";

// An activity's body once, not in every delivery row of it (docs/performance.md, fix 32): a post
// to 20,000 servers wrote its 2 KB body 20,000 times in the writer's transaction (40 MB), and
// every due read and outcome write of the worker moved those bodies again. Rows point at their
// body; a body goes when the purge has removed the last row pointing at it
// (deliveries_body serves that check). Existing rows keep their own body, under their own id.
inline constexpr std::string_view kMigration18 = R"sql(
CREATE TABLE delivery_bodies (
  id INTEGER PRIMARY KEY,
  body TEXT NOT NULL
) STRICT;
INSERT INTO delivery_bodies (id, body) SELECT id, body FROM deliveries;

CREATE TABLE deliveries_v18 (
  id INTEGER PRIMARY KEY,
  activity_id TEXT NOT NULL,
  actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
  inbox_url TEXT NOT NULL,
  body_id INTEGER NOT NULL REFERENCES delivery_bodies (id),
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
INSERT INTO deliveries_v18 (id, activity_id, actor_id, inbox_url, body_id, state, attempts,
  next_attempt_at, last_status, last_error, created_at, updated_at, forwarded)
  SELECT id, activity_id, actor_id, inbox_url, id, state, attempts, next_attempt_at,
    last_status, last_error, created_at, updated_at, forwarded FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_v18 RENAME TO deliveries;
CREATE INDEX deliveries_due ON deliveries (next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX deliveries_body ON deliveries (body_id);
)sql";

}  // namespace civicpub::storage::schema
