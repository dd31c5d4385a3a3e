"""Replies across instances (issue 4, item 7): two civicpub instances and a Fedify 2.3.6 peer.

town (http://127.0.0.1:P, organization `gemeente`) posts a plan. anna, a resident on buurt
(http://localhost:Q: another host, so origin checks compare real differences), replies from her
own instance; the Fedify peer replies too, with a <script> element and a javascript: link. town
shows both replies in the thread page, the `replies` collection and `civicpub thread --json`,
without the script and the link. town answers the peer's reply and the peer receives it. anna
edits her reply and town shows the new text; the peer then sends an Update of anna's reply with
other content, which town ignores; anna deletes her reply and town drops it.

Written against the documented interface (docs/cli.md and issue 4).
Every wait polls with a deadline; nothing sleeps a fixed time.
"""

import json
import sqlite3
import unittest

from peers import FedifyPeer, free_port, wait_until
from world import AS2_ACCEPT, PeerWorld, as_list, cli_post, object_id

HTML_ACCEPT = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}
DELIVERY_TIMEOUT = 60.0  # deliveries leave from civicpub's worker; first attempts are immediate
POLL = 0.25  # most polls run a civicpub command: a 2-core machine is shared

PLAN = "Plan: the Dorpsstraat becomes a cycle street from June"
ANNA_REPLY = "Please keep the bus stop at the church"
ANNA_EDITED = "Please keep the bus stop at the church and add benches"
PEER_REPLY = '<p>hi <script>alert(1)</script><a href="javascript:alert(2)">x</a></p>'
FORGED = "<p>anna never wrote this forged text</p>"
PEER_EDITED = '<p>hi again <img src="x" onerror="alert(3)"><a href="javascript:alert(4)">y</a></p>'
TOWN_ANSWER = "Thank you, we will look at the crossing"


def eventually(predicate, message):
    """predicate()'s first truthy value, polled until DELIVERY_TIMEOUT."""
    return wait_until(predicate, timeout=DELIVERY_TIMEOUT, interval=POLL, message=message)


class RepliesAcrossInstances(PeerWorld):
    @classmethod
    def build(cls):
        from harness import Instance  # tests/integration is on PYTHONPATH (tests/CMakeLists.txt)

        cls.town = Instance("town")
        buurt_port = free_port()
        buurt_url = f"http://localhost:{buurt_port}"
        cls.buurt = Instance("buurt", port=buurt_port,
                             extra_toml=f'[instance]\nbase_url = "{buurt_url}"\n')
        cls.buurt.base_url, cls.buurt.host = buurt_url, f"localhost:{buurt_port}"
        cls.peer = FedifyPeer("resident")
        cls.instances, cls.peers = (cls.town, cls.buurt), (cls.peer,)
        cls.town.init()
        cls.gemeente = cls.town.create_account("gemeente", type="organization")
        cls.buurt.init()
        cls.anna = cls.buurt.create_account("anna", type="person")

    # --- helpers -------------------------------------------------------------------------------

    @staticmethod
    def thread(instance, url):
        """`civicpub thread URL --json` as {id: entry}, checking the documented entry shape."""
        entries = json.loads(instance.cli("thread", url, "--json").stdout)
        assert isinstance(entries, list), entries
        for entry in entries:
            missing = {"id", "author", "in_reply_to", "published", "content"} - set(entry)
            assert not missing, f"thread entry without {missing}: {entry}"
        return {entry["id"]: entry for entry in entries}

    def path_of(self, instance, url):
        self.assertTrue(url.startswith(instance.base_url + "/"), f"{url} is not on {instance.name}")
        return url.removeprefix(instance.base_url)

    def page(self, instance, url):
        """The HTML a browser gets at url (following redirects on the same instance)."""
        path = self.path_of(instance, url)
        for _ in range(3):
            response = instance.get(path, headers=HTML_ACCEPT)
            if response.status not in (301, 302, 303, 307, 308):
                break
            path = self.path_of(instance, response.headers["location"]) \
                if "://" in response.headers["location"] else response.headers["location"]
        self.assertEqual(response.status, 200, response)
        self.assertTrue(response.headers["content-type"].startswith("text/html"), response.headers)
        return response.text

    def as2(self, instance, url_or_path):
        path = url_or_path if url_or_path.startswith("/") else self.path_of(instance, url_or_path)
        response = instance.get(path, headers=AS2_ACCEPT)
        self.assertEqual(response.status, 200, f"GET {path}: {response}")
        self.assertTrue(response.headers["content-type"].startswith("application/activity+json"),
                        response.headers)
        return response.json()

    def reply_ids(self, instance, post_url):
        """Every item id of the post's `replies` collection, following `first` and `next`."""
        note = self.as2(instance, post_url)
        self.assertIn("replies", note, "a local post advertises its replies collection")
        collection = note["replies"]
        if not isinstance(collection, dict) or not ("first" in collection or "items" in collection
                                                    or "orderedItems" in collection):
            collection = self.as2(instance, object_id(collection))
        self.assertIn(collection.get("type"), ("Collection", "OrderedCollection"), collection)
        ids = [object_id(i) for i in as_list(collection.get("orderedItems") or
                                             collection.get("items"))]
        page = collection.get("first")
        for _ in range(50):
            if page is None:
                break
            if not isinstance(page, dict):
                page = self.as2(instance, page)
            ids += [object_id(i) for i in as_list(page.get("orderedItems") or page.get("items"))]
            page = page.get("next")
        return ids

    def forged_update_settled(self, activity_id):
        """True unless town's inbox still holds the activity as pending (a refused or dropped
        activity has no row at all)."""
        db_path = self.town.data_dir / "civicpub.db"
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10) as db:
            row = db.execute("SELECT state FROM inbox_items WHERE activity_id = ?",
                             (activity_id,)).fetchone()
        return row is None or row[0] != "pending"

    def assert_clean(self, html):
        lowered = html.lower()
        self.assertNotIn("<script", lowered)
        self.assertNotIn("javascript:", lowered)
        self.assertNotIn("onerror", lowered)

    # --- the scenario --------------------------------------------------------------------------

    def test_replies_across_instances(self):
        town, buurt, peer = self.town, self.buurt, self.peer

        # The peer follows the town, so it also gets the town's posts as a follower.
        peer.follow_handle(f"@gemeente@127.0.0.1:{town.port}")
        eventually(lambda: peer.following().get(self.gemeente, {}).get("state") == "accepted",
                   "the peer's follow of gemeente is accepted")

        # 1. town posts a plan.
        plan = cli_post(town, "--as", "gemeente", PLAN)
        self.path_of(town, plan)

        # 2. anna replies from buurt; buurt fetches the parent it has never seen.
        anna_reply = cli_post(buurt, "--as", "anna", "--reply-to", plan, ANNA_REPLY)
        self.path_of(buurt, anna_reply)
        on_buurt = self.thread(buurt, anna_reply)
        self.assertIn(plan, on_buurt, "buurt fetched the parent and shows it in its thread")
        self.assertEqual(on_buurt[anna_reply]["in_reply_to"], plan)
        anna_note = self.as2(buurt, anna_reply)
        self.assertEqual(anna_note["inReplyTo"], plan)
        self.assertIn(self.gemeente, as_list(anna_note.get("cc")) + as_list(anna_note.get("to")))
        self.assertIn(self.gemeente, [t.get("href") for t in as_list(anna_note.get("tag"))
                                      if isinstance(t, dict) and t.get("type") == "Mention"])

        # 3. The Fedify peer replies with a script element and a javascript: link.
        peer_reply = peer.reply(plan, content=PEER_REPLY)
        self.assertEqual(peer_reply["mentioned"], self.gemeente)
        peer_note = peer_reply["id"]

        # town shows both in `civicpub thread --json` ...
        def both_replies():
            thread = self.thread(town, plan)
            return thread if anna_reply in thread and peer_note in thread else None
        thread = eventually(both_replies, "town's thread lists anna's and the peer's reply")
        self.assertEqual(thread[plan]["in_reply_to"] or None, None)
        self.assertEqual(thread[anna_reply]["in_reply_to"], plan)
        self.assertEqual(thread[peer_note]["in_reply_to"], plan)
        self.assertIn(ANNA_REPLY, thread[anna_reply]["content"])
        self.assertIn("anna", thread[anna_reply]["author"])
        self.assertIn("resident", thread[peer_note]["author"])
        self.assertIn("hi", thread[peer_note]["content"])
        self.assert_clean(thread[peer_note]["content"])

        # ... in the thread page served to browsers at the post's own URL ...
        html = self.page(town, plan)
        self.assertIn(PLAN, html)
        self.assertIn(ANNA_REPLY, html)
        self.assertIn(f"localhost:{buurt.port}", html, "anna's home server is shown")
        self.assertIn(f"127.0.0.1:{peer.port}", html, "the peer's home server is shown")
        self.assertIn("hi", html)
        self.assert_clean(html)

        # ... and in the replies collection of the post.
        replies = self.reply_ids(town, plan)
        self.assertIn(anna_reply, replies)
        self.assertIn(peer_note, replies)

        # 4. town answers the peer's reply; the peer receives the answer.
        answer = cli_post(town, "--as", "gemeente", "--reply-to", peer_note, TOWN_ANSWER)
        received = eventually(
            lambda: [n for n in peer.notes(in_reply_to=peer_note) if n["id"] == answer],
            "the peer receives town's answer")
        note = received[0]
        self.assertTrue(note["signature"] and note["signature"]["verified"], note)
        self.assertEqual(note["actor"], self.gemeente)
        self.assertEqual(note["attributedTo"], self.gemeente)
        self.assertIn(TOWN_ANSWER, note["content"])
        self.assertIn(peer.actor_url, note["to"] + note["cc"])
        self.assertIn(peer.actor_url, [t.get("href") for t in note["tag"]
                                       if t.get("type") == "Mention"])
        self.assertEqual(self.thread(town, plan)[answer]["in_reply_to"], peer_note)

        # 5. anna edits her reply; town follows.
        buurt.cli("post", "edit", anna_reply, ANNA_EDITED)
        eventually(lambda: ANNA_EDITED in self.thread(town, plan)[anna_reply]["content"],
                   "town shows anna's edited reply")
        self.assertIn(ANNA_EDITED, self.page(town, plan))

        # 6. The peer sends an Update of anna's reply (not its note): town changes nothing.
        forged = peer.update_foreign(anna_reply, FORGED, self.town_inbox(),
                                     recipient=self.gemeente)
        self.assertEqual(forged["attributedTo"], self.anna, "the forged note names anna")
        if not forged["accepted"]:
            self.assertTrue(400 <= forged["refused"]["status"] < 500, forged)
        # A barrier: the peer then edits its own reply, sent after the forgery; once town shows
        # that edit, and has finished any inbox row it kept for the forgery, the forgery had its
        # chance.
        peer.update(peer_note, PEER_EDITED)
        eventually(lambda: "hi again" in self.thread(town, plan)[peer_note]["content"],
                   "town shows the peer's edit of its own reply")
        eventually(lambda: self.forged_update_settled(forged["activity"]),
                   "town's inbox worker is done with the forgery")
        after = self.thread(town, plan)
        self.assertIn(ANNA_EDITED, after[anna_reply]["content"])
        self.assertNotIn("forged", after[anna_reply]["content"])
        self.assert_clean(after[peer_note]["content"])
        html = self.page(town, plan)
        self.assertNotIn("forged", html)
        self.assertIn(ANNA_EDITED, html)
        self.assert_clean(html)

        # 7. anna deletes her reply; town drops it.
        buurt.cli("post", "delete", anna_reply)
        eventually(lambda: anna_reply not in self.thread(town, plan),
                   "town's thread no longer lists anna's reply")
        self.assertEqual(buurt.get(self.path_of(buurt, anna_reply), headers=AS2_ACCEPT).status,
                         410)
        html = self.page(town, plan)
        self.assertNotIn(ANNA_REPLY, html)
        self.assertIn(f"127.0.0.1:{peer.port}", html, "the peer's reply is still shown")
        replies = self.reply_ids(town, plan)
        self.assertNotIn(anna_reply, replies)
        self.assertIn(peer_note, replies)

    def town_inbox(self):
        actor = self.as2(self.town, self.gemeente)
        return object_id(actor.get("endpoints", {}).get("sharedInbox")) or actor["inbox"]


if __name__ == "__main__":
    unittest.main()
