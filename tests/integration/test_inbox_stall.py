"""The inbox worker cannot be stalled (issue 11, item 5; docs/security.md "Inbox and delivery
queues"), against the real server.

A peer (127.0.0.2) sends a reply to gemeente whose parent lives on a tarpit (127.0.0.3: accepts,
never answers), then a Follow of gemeente. Every outbound deadline is a minute, so a worker that
fetched the parent before taking the next item would leave the Follow unprocessed for a minute;
the Follow is processed (and its Accept delivered to the peer) within seconds, while the parent's
fetch still hangs at the tarpit.
"""

import json
import sqlite3
import unittest

from harness import wait_until
from hostile import post_from, signed_headers, town_beside_peer_and_tarpit


class InboxStall(unittest.TestCase):
    def setUp(self):
        town_beside_peer_and_tarpit(self, "read_timeout_seconds = 60\nfetch_timeout_seconds = 60\n"
                                    "inbox_item_timeout_seconds = 120\n")

    def send(self, activity):
        body = json.dumps(activity).encode()
        headers = signed_headers(self.peer.key, self.peer.key_id, self.town.host, "/inbox", body)
        status, text = post_from("127.0.0.2", self.town, "/inbox", body, headers)
        self.assertEqual(status, 202, text)

    def item_state(self, activity_id):
        db_path = self.town.data_dir / "civicpub.db"
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10) as db:
            row = db.execute("SELECT state FROM inbox_items WHERE activity_id = ?",
                             (activity_id,)).fetchone()
        return row[0] if row else None

    def test_a_parent_on_a_tarpit_does_not_hold_up_the_next_activity(self):
        gemeente = f"{self.town.base_url}/users/gemeente"
        note = {"id": f"{self.peer.actor}/statuses/1", "type": "Note",
                "attributedTo": self.peer.actor, "content": "<p>and the market?</p>",
                "inReplyTo": f"{self.tarpit.origin}/notes/1",
                "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [gemeente],
                "published": "2026-01-01T00:00:00Z"}
        create_id = f"{self.peer.actor}/create/1"
        self.send({"@context": "https://www.w3.org/ns/activitystreams", "id": create_id,
                   "type": "Create", "actor": self.peer.actor, "object": note})
        follow_id = f"{self.peer.actor}/follows/1"
        self.send({"@context": "https://www.w3.org/ns/activitystreams", "id": follow_id,
                   "type": "Follow", "actor": self.peer.actor, "object": gemeente})

        wait_until(lambda: self.item_state(follow_id) == "done", timeout=30,
                   message="the Follow waited behind the tarpit")
        self.assertEqual(self.item_state(create_id), "done")
        # The parent's fetch is still hanging at the tarpit: it left the worker's path.
        wait_until(lambda: len(self.tarpit.accepted) >= 1, timeout=30,
                   message="the parent was never asked for")
        wait_until(lambda: any(a.get("type") == "Accept" for a in self.peer.received),
                   timeout=30, message="no Accept reached the peer")


if __name__ == "__main__":
    unittest.main()
