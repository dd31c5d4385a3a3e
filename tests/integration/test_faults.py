"""A crash loses nothing (issue 11, item 10): SIGKILL in the middle of an inbox burst and in the
middle of a fan-out, then a restart.

- Inbox: remote actors POST a burst of signed replies to a plan; civicpub is killed while the
  burst is still being sent. After the restart, every activity that was answered 202 is stored,
  and processed once (its inbox row is done, its post exists once).
- Fan-out: the town posts to 1,000 followers spread over four remote hosts. The remote hosts
  stop answering after the first 100 deliveries (held, not refused), civicpub is killed while
  those are in flight, and after the restart every follower's inbox receives the Create; an inbox
  receives it twice only if its delivery was in flight at the kill.
"""

import collections
import concurrent.futures
import json
import signal
import sqlite3
import threading
import time
import unittest

from harness import Instance, wait_until
from remote_stub import RemoteServer

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
BURST = 240
FOLLOWERS = 1000
HELD_AFTER = 100


def read_db(instance, sql, args=()):
    path = instance.data_dir / "civicpub.db"
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30) as db:
        return db.execute(sql, args).fetchall()


class InboxBurstSurvivesKill(unittest.TestCase):
    def setUp(self):
        self.instance = Instance("faults-inbox")
        self.addCleanup(self.instance.cleanup)
        self.remote = RemoteServer("127.0.0.2")
        self.addCleanup(self.remote.close)
        self.instance.init()
        self.instance.create_account("town", type="organization")
        self.instance.start()
        self.plan = self.instance.cli("post", "--as", "town", "The plan").stdout.split()[-1]
        self.town = f"{self.instance.base_url}/users/town"
        self.actors = [self.remote.add_actor(f"resident{i}") for i in range(8)]

    def reply(self, i):
        actor = self.actors[i % len(self.actors)]
        note = {
            "id": f"{actor.id}/notes/{i}",
            "type": "Note",
            "attributedTo": actor.id,
            "inReplyTo": self.plan,
            "content": f"<p>Reply {i}</p>",
            "published": "2026-12-06T10:00:00Z",
            "to": [PUBLIC],
            "cc": [self.town],
        }
        activity = {
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": f"{actor.id}/activities/{i}",
            "type": "Create",
            "actor": actor.id,
            "to": [PUBLIC],
            "cc": [self.town],
            "object": note,
        }
        return actor, activity

    def test_every_accepted_activity_is_processed_once_after_kill(self):
        accepted = []
        lock = threading.Lock()
        killed = threading.Event()

        def send(i):
            if killed.is_set():
                return
            actor, activity = self.reply(i)
            try:
                response = actor.signed_post(self.instance, "/inbox", activity)
            except OSError:
                return  # in flight at the kill: never accepted
            if response.status == 202:
                with lock:
                    accepted.append(activity["id"])

        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            futures = [pool.submit(send, i) for i in range(BURST)]
            # Kill once half the burst is accepted, while the rest is still being sent.
            wait_until(lambda: len(accepted) >= BURST // 2, timeout=120,
                       message="half of the burst is accepted")
            self.instance.stop(signal.SIGKILL)
            killed.set()
            for future in futures:
                future.result()

        accepted_ids = set(accepted)
        self.assertEqual(len(accepted_ids), len(accepted))
        self.assertGreaterEqual(len(accepted_ids), BURST // 2)

        self.instance.start()

        def all_processed():
            rows = read_db(self.instance,
                           "SELECT activity_id, state FROM inbox_items WHERE actor_uri LIKE ?",
                           (f"{self.remote.base_url}/%",))
            states = {activity_id: state for activity_id, state in rows}
            # Rows stored while their 202 was lost in the kill are processed too; wait for them
            # as well, not only for the ones the client saw accepted.
            return (all(states.get(a) == "done" for a in accepted_ids)
                    and all(state == "done" for state in states.values()))

        wait_until(all_processed, timeout=120, message="every accepted activity is processed")

        stored = read_db(self.instance, "SELECT ap_id FROM posts WHERE ap_id LIKE ?",
                         (f"{self.remote.base_url}/%",))
        stored_ids = [row[0] for row in stored]
        self.assertEqual(len(stored_ids), len(set(stored_ids)), "no reply is stored twice")
        expected_notes = {a.replace("/activities/", "/notes/") for a in accepted_ids}
        self.assertLessEqual(expected_notes, set(stored_ids),
                             "every accepted reply is stored after the restart")
        left = read_db(self.instance,
                       "SELECT activity_id, state, error FROM inbox_items WHERE state <> 'done'")
        self.assertEqual(left, [], "nothing is left pending or failed")


class FanOutSurvivesKill(unittest.TestCase):
    def setUp(self):
        self.instance = Instance("faults-fanout")
        self.addCleanup(self.instance.cleanup)
        self.sinks = [RemoteServer(f"127.0.0.{3 + i}") for i in range(4)]
        for sink in self.sinks:
            self.addCleanup(sink.close)
        self.instance.init()
        self.instance.create_account("town", type="organization")
        self.inboxes = self.add_followers()

    def add_followers(self):
        """FOLLOWERS remote followers, written into the database while the server is down."""
        path = self.instance.data_dir / "civicpub.db"
        now = int(time.time())
        inboxes = []
        with sqlite3.connect(path, timeout=30) as db:
            (town_id,) = db.execute(
                "SELECT id FROM actors WHERE local = 1 AND username = 'town'").fetchone()
            for i in range(FOLLOWERS):
                sink = self.sinks[i % len(self.sinks)]
                uri = f"{sink.base_url}/users/f{i}"
                inbox = f"{uri}/inbox"
                inboxes.append(f"/users/f{i}/inbox")
                cursor = db.execute(
                    "INSERT INTO actors (uri, local, type, username, domain, inbox, created_at,"
                    " updated_at) VALUES (?, 0, 'Person', ?, ?, ?, ?, ?)",
                    (uri, f"f{i}", sink.origin, inbox, now, now))
                db.execute(
                    "INSERT INTO follows (follower_id, target_id, state, created_at, updated_at)"
                    " VALUES (?, ?, 'accepted', ?, ?)", (cursor.lastrowid, town_id, now, now))
        return inboxes

    def creates_received(self, url):
        counts = collections.Counter()
        for sink in self.sinks:
            for path, body in sink.posts_received():
                activity = json.loads(body)
                obj = activity.get("object")
                if activity.get("type") == "Create" and isinstance(obj, dict) and \
                        obj.get("id") == url:
                    counts[(sink.origin, path)] += 1
        return counts

    def test_every_delivery_is_made_after_kill(self):
        for sink in self.sinks:
            sink.hold_after(HELD_AFTER // len(self.sinks))
        self.instance.start()
        url = self.instance.cli("post", "--as", "town", "To all followers").stdout.split()[-1]

        # The remotes answered the first deliveries and hold the next ones: kill civicpub while
        # those are in flight.
        wait_until(lambda: sum(self.creates_received(url).values()) > HELD_AFTER, timeout=120,
                   message="deliveries beyond the answered ones are in flight")
        self.instance.stop(signal.SIGKILL)
        at_kill = self.creates_received(url)
        self.assertLess(sum(at_kill.values()), FOLLOWERS, "the kill came in the middle")
        for sink in self.sinks:
            sink.release()

        self.instance.start()
        expected = {(self.sinks[i % len(self.sinks)].origin, self.inboxes[i])
                    for i in range(FOLLOWERS)}
        wait_until(lambda: expected <= set(self.creates_received(url)), timeout=300,
                   interval=0.5, message="every follower's inbox received the Create")

        final = self.creates_received(url)
        self.assertEqual(set(final), expected, "nothing went anywhere else")
        repeated = {inbox for inbox, n in final.items() if n > 1}
        self.assertTrue(all(final[i] == 2 for i in repeated), "no inbox received it three times")
        self.assertLessEqual(repeated, set(at_kill), "only deliveries sent before the kill repeat")
        wait_until(lambda: read_db(self.instance, "SELECT count(*) FROM deliveries"
                                   " WHERE state <> 'done'")[0][0] == 0,
                   timeout=120, message="every delivery row is done")


if __name__ == "__main__":
    unittest.main()
