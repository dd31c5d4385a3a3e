"""civicpub against Fedify 2.3.6 and Joyent http-signature (issue 3, item 7).

A Fedify peer follows a civicpub Organization account by handle and gets the Accept; civicpub's
Create, Update and Delete reach it with HTTP signatures Fedify verified; the peer's Undo empties
the followers collection; Fedify's RFC 9421 knock is accepted; a Joyent-signed POST is accepted
and a tampered copy is refused with 401 and stored nowhere.

Written against civicpub's documented behaviour (DESIGN.md, INTEROP.md sections 1-3, issue 3).
"""

import json
import sqlite3
import unittest
import uuid

from peers import FedifyPeer, joyent_post, wait_until
from world import AS2, AS2_ACCEPT, PeerWorld, cli_post, object_id

DELIVERY_TIMEOUT = 60.0  # civicpub delivers from its worker; first attempts are immediate


def stored_anywhere(db_path, token):
    """Names of the tables of civicpub's SQLite file holding a value that contains token."""
    found = []
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10) as db:
        tables = [row[0] for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        for table in tables:
            for row in db.execute(f'SELECT * FROM "{table}"'):
                for value in row:
                    if isinstance(value, bytes):
                        value = value.decode("utf-8", errors="replace")
                    if isinstance(value, str) and token in value:
                        found.append(table)
                        break
    return sorted(set(found))


class FedifyFollowsCivicpub(PeerWorld):
    @classmethod
    def build(cls):
        from harness import Instance  # tests/integration is on PYTHONPATH (tests/CMakeLists.txt)

        cls.instance = Instance("interop")
        cls.peer = FedifyPeer("resident")
        cls.instances, cls.peers = (cls.instance,), (cls.peer,)
        cls.instance.init()
        cls.town = cls.instance.create_account("town", type="organization")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        actor = cls.instance.get("/users/town", headers=AS2_ACCEPT).json()
        cls.town_inbox = actor["inbox"]
        cls.town_followers_path = actor["followers"].removeprefix(cls.instance.base_url)

    # --- helpers -------------------------------------------------------------------------------

    def followers_total(self):
        response = self.instance.get(self.town_followers_path, headers=AS2_ACCEPT)
        self.assertEqual(response.status, 200, response)
        self.assertTrue(response.headers["content-type"].startswith("application/activity+json"))
        return response.json()["totalItems"]

    def assert_signed_by_town(self, record):
        signature = record["signature"]
        self.assertTrue(signature and signature["verified"], f"unverified: {record}")
        self.assertEqual(signature["keyId"], f"{self.town}#main-key")
        self.assertEqual(record["actor"], self.town)

    def note_from_peer(self, content):
        """A Create(Note) by the peer addressed to the town, with fresh ids and a unique token."""
        token = uuid.uuid4().hex
        actor = self.peer.actor_url
        note = {"id": f"{actor}/notes/{token}", "type": "Note", "attributedTo": actor,
                "content": f"<p>{content} {token}</p>", "to": [self.town]}
        activity = {"@context": AS2, "id": f"{actor}/activities/{token}", "type": "Create",
                    "actor": actor, "to": [self.town], "object": note}
        return activity, token

    def inbox_rows(self, activity_id):
        db_path = self.instance.data_dir / "civicpub.db"
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10) as db:
            return db.execute("SELECT COUNT(*) FROM inbox_items WHERE activity_id = ?",
                              (activity_id,)).fetchone()[0]

    # --- the tests -----------------------------------------------------------------------------

    def test_follow_receive_create_update_delete_then_undo(self):
        peer, town = self.peer, self.town
        handle = f"@town@127.0.0.1:{self.instance.port}"
        followed = peer.follow_handle(handle)
        self.assertEqual(followed["actor"], town)

        accept = peer.wait_received("Accept", lambda r: r["actor"] == town,
                                    timeout=DELIVERY_TIMEOUT)
        self.assert_signed_by_town(accept)
        # The Accept embeds (or names) the Follow the peer sent.
        self.assertEqual(object_id(accept["activity"]["object"]), followed["followId"])
        wait_until(lambda: peer.following()[town]["state"] == "accepted",
                   message="the peer's follow is accepted")
        wait_until(lambda: self.followers_total() == 1, message="the peer is a follower")

        url = cli_post(self.instance, "--as", "town", "Road works on Main Street from Monday")
        self.assertTrue(url.startswith(self.instance.base_url + "/"), url)
        create = peer.wait_received(
            "Create", lambda r: object_id(r["activity"]["object"]) == url,
            timeout=DELIVERY_TIMEOUT)
        self.assert_signed_by_town(create)
        note = create["activity"]["object"]
        self.assertIsInstance(note, dict)
        self.assertEqual(note["type"], "Note")
        self.assertEqual(note["attributedTo"], town)
        self.assertIn("Road works on Main Street", note["content"])

        self.instance.cli("post", "edit", url, "Road works on Main Street from Tuesday")
        update = peer.wait_received(
            "Update", lambda r: object_id(r["activity"]["object"]) == url,
            timeout=DELIVERY_TIMEOUT)
        self.assert_signed_by_town(update)
        self.assertIn("from Tuesday", update["activity"]["object"]["content"])
        self.assertIn("updated", update["activity"]["object"])

        self.instance.cli("post", "delete", url)
        delete = peer.wait_received(
            "Delete", lambda r: object_id(r["activity"]["object"]) == url,
            timeout=DELIVERY_TIMEOUT)
        self.assert_signed_by_town(delete)
        self.assertEqual(self.instance.get(url.removeprefix(self.instance.base_url),
                                           headers=AS2_ACCEPT).status, 410)

        peer.unfollow(town)
        wait_until(lambda: self.followers_total() == 0, timeout=DELIVERY_TIMEOUT,
                   message="the Undo removed the peer from the town's followers")

    def test_fedify_rfc9421_knock_accepted(self):
        activity, _ = self.note_from_peer("RFC 9421 knock")
        answer = self.peer.post_raw(self.town_inbox, activity, rfc9421=True)
        self.assertIsNotNone(answer["signatureInput"])
        self.assertTrue(200 <= answer["status"] < 300, answer)

    def test_joyent_signed_post_accepted(self):
        key = self.peer.key()
        activity, _ = self.note_from_peer("Joyent signed")
        status, body = joyent_post(key["privateKeyPem"], key["keyId"], self.town_inbox, activity)
        self.assertEqual(status, 202, body)
        wait_until(lambda: self.inbox_rows(activity["id"]) == 1,
                   message="the accepted activity is in inbox_items")

    def test_joyent_tampered_post_refused_and_not_stored(self):
        key = self.peer.key()
        activity, token = self.note_from_peer("Joyent tampered")
        status, body = joyent_post(key["privateKeyPem"], key["keyId"], self.town_inbox, activity,
                                   tamper=True)
        self.assertEqual(status, 401, body)
        self.assertIn("error", json.loads(body))
        # Nothing waits for a refused POST: civicpub answered only after deciding not to store.
        self.assertEqual(self.inbox_rows(activity["id"]), 0)
        self.assertEqual(stored_anywhere(self.instance.data_dir / "civicpub.db", token), [])


if __name__ == "__main__":
    unittest.main()
