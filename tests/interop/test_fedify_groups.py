"""A civic group against Fedify 2.3.6 (issue 12, point 7): two civicpub instances and a Fedify peer.

    town   http://127.0.0.1:P   the group `wijkraad`, moderated by gemeente
    buurt  http://127.0.0.3:Q   anna, a resident
    peer   http://127.0.0.1:S   a Fedify 2.3.6 actor (fedify_peer.mjs + fedify_peer_groups.mjs)

anna (from buurt) and the peer join the group by following it. anna starts a thread by
mentioning the group; the group announces her Create, embedded unchanged, and the peer receives
the Announce (Fedify verified the group's HTTP signature, and anna's integrity proof on the
embedded Create). The peer replies addressing only anna (lemmy#2218: not the group), delivered to
the group's server alone; the group announces the reply and buurt takes it from that Announce.
town reports the peer's reply (`report send`): Fedify receives the Flag. A moderator removes the
thread (`group remove`): the group announces the Delete, Fedify receives it and its member view
drops the thread; buurt drops the peer's reply and hides anna's own post as removed by the
group's moderator (as Lemmy does on the author's instance, see FEDERATION.md "Groups").
Last, town blocks the peer's authority (`domain block 127.0.0.1:S`): the peer's next post to the
group is refused with 403 and stored nowhere, and the group's next Announce goes to buurt only.

Every wait polls with a deadline; nothing sleeps a fixed time.
"""

import json
import sqlite3
import unittest
import uuid

from peers import FedifyPeer, wait_until
from world import AS2, AS2_ACCEPT, PUBLIC, PeerWorld, as_list, cli_post, object_id

DELIVERY_TIMEOUT = 60.0  # deliveries leave from civicpub's worker; the machine is shared
POLL = 0.5

THREAD = "Vergadering over de Dorpsstraat, dinsdag om acht uur"
REPLY = "Ik kom ook, met de plannen van de fietsersbond"
REASON = "Dubbel onderwerp"
SECOND = "Verslag van de vergadering staat online"


def eventually(predicate, message):
    return wait_until(predicate, timeout=DELIVERY_TIMEOUT, interval=POLL, message=message)


def rows(instance, sql, *params):
    db_path = instance.data_dir / "civicpub.db"
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10) as db:
        return db.execute(sql, params).fetchall()


class GroupWithFedify(PeerWorld):
    LOG_LINES = 150

    @classmethod
    def build(cls):
        from harness import Instance  # tests/integration is on PYTHONPATH (tests/CMakeLists.txt)

        cls.town = Instance("town")
        cls.buurt = Instance("buurt", host="127.0.0.3")
        cls.peer = FedifyPeer("resident")
        cls.instances, cls.peers = (cls.town, cls.buurt), (cls.peer,)
        cls.town.init()
        cls.gemeente = cls.town.create_account("gemeente", type="organization")
        cls.town.cli("group", "create", "wijkraad", "--display-name", "Wijkraad Centrum",
                     "--moderator", "gemeente")
        cls.group = f"{cls.town.base_url}/users/wijkraad"
        cls.handle = f"@wijkraad@{cls.town.host}"
        cls.buurt.init()
        cls.anna = cls.buurt.create_account("anna", type="person")

    # --- helpers -------------------------------------------------------------------------------

    def group_actor(self):
        response = self.town.get("/users/wijkraad", headers=AS2_ACCEPT)
        self.assertEqual(response.status, 200, response)
        return response.json()

    def members(self):
        return self.town.cli("group", "members", "wijkraad").stdout

    def buurt_post(self, ap_id):
        """(in_reply_to, deleted) of a post stored on buurt, or None."""
        found = rows(self.buurt, "SELECT in_reply_to, deleted_at IS NOT NULL FROM posts"
                                 " WHERE ap_id = ?", ap_id)
        return found[0] if found else None

    def peer_member_view(self, post_id):
        return next((p for p in self.peer.group_posts(self.group)["posts"] if p["id"] == post_id),
                    None)

    def announced_by_group(self, inner_type, inner_object):
        """The peer's received Announces by the group of an embedded inner_type whose object
        (by id) is inner_object."""
        def matches(record):
            inner = record["activity"].get("object")
            return (record["actor"] == self.group and isinstance(inner, dict)
                    and inner.get("type") == inner_type
                    and object_id(inner.get("object")) == inner_object)
        return [r for r in self.peer.received("Announce") if matches(r)]

    def assert_signed_by_group(self, record):
        signature = record["signature"]
        self.assertTrue(signature and signature["verified"], f"unverified: {record}")
        self.assertEqual(signature["keyId"], f"{self.group}#main-key")

    # --- the scenario --------------------------------------------------------------------------

    def test_group_thread_with_fedify_member(self):
        self.join()
        thread = self.start_thread()
        reply = self.reply_to_author_only(thread)
        self.report(reply)
        self.remove_thread(thread, reply)
        self.block_the_peer()

    def join(self):
        buurt, peer, group = self.buurt, self.peer, self.group
        # 1. Both join by following: anna from buurt, the peer by handle (WebFinger, Follow).
        buurt.cli("follow", "--as", "anna", self.handle)
        peer.follow_handle(self.handle)
        eventually(lambda: peer.following().get(group, {}).get("state") == "accepted",
                   "the group accepted the peer's Follow")
        eventually(lambda: rows(buurt, "SELECT state FROM follows") == [("accepted",)],
                   "buurt saw the group's Accept of anna")
        members = self.members()
        self.assertIn(self.anna, members)
        self.assertIn(peer.actor_url, members)
        self.assertEqual(self.group_actor()["type"], "Group")

    def start_thread(self):
        buurt = self.buurt
        # 2. anna starts a thread by mentioning the group; the peer receives the group's Announce
        #    of her Create, embedded unchanged with her proof, HTTP-signed by the group.
        thread = cli_post(buurt, "--as", "anna", f"{self.handle} {THREAD}")
        announce = eventually(lambda: self.announced_by_group("Create", thread),
                              "the peer receives the group's Announce of anna's Create")[0]
        self.assert_signed_by_group(announce)
        embedded = announce["activity"]["object"]
        self.assertEqual(embedded["actor"], self.anna)
        self.assertIn("proof", embedded, "anna's integrity proof travels unchanged")
        self.assertIn(THREAD, embedded["object"]["content"])
        self.assertIn(PUBLIC, as_list(announce["activity"].get("to")))
        seen = eventually(lambda: self.peer_member_view(thread), "the peer's member view")
        self.assertTrue(seen["proofVerified"], f"Fedify verified anna's proof: {seen}")
        self.assertEqual(seen["attributedTo"], self.anna)
        # A new thread root is also announced bare, the way Mastodon followers see it.
        eventually(lambda: self.peer_member_view(thread)["boosted"],
                   "the Announce of the bare post")
        return thread

    def reply_to_author_only(self, thread):
        town, buurt, peer, group = self.town, self.buurt, self.peer, self.group
        # 3. The peer replies addressing only anna (to Public, cc anna, a Mention of anna), and
        #    delivers it to the group's server alone. The group takes it as a reply in its
        #    thread, announces it, and buurt takes it from that Announce.
        sent = peer.reply(thread, content=REPLY, to=[PUBLIC], cc=[self.anna],
                          inbox=f"{town.base_url}/inbox")
        reply = sent["id"]
        self.assertEqual(sent["mentioned"], self.anna)
        reply_announce = eventually(lambda: self.announced_by_group("Create", reply),
                                    "the group announces the peer's reply")[0]
        self.assert_signed_by_group(reply_announce)
        # Fedify's Create lists data-integrity/v1; the group's Announce around it must list the
        # same (v1 and v2 are both @protected: mixing them is invalid JSON-LD, refused with 400).
        inner_context = as_list(reply_announce["activity"]["object"].get("@context"))
        integrity = [c for c in inner_context if isinstance(c, str) and "data-integrity" in c]
        self.assertTrue(integrity, inner_context)
        self.assertIn(integrity[0], as_list(reply_announce["activity"].get("@context")))
        self.assertNotIn(group, as_list(reply_announce["activity"]["object"]["object"].get("to"))
                         + as_list(reply_announce["activity"]["object"]["object"].get("cc")),
                         "the reply did not address the group")
        eventually(lambda: self.buurt_post(reply) == (thread, 0),
                   "buurt stores the peer's reply to anna's thread")
        self.assertEqual(rows(buurt, "SELECT count(*) FROM inbox_items WHERE activity_id = ?",
                              sent["activity"]), [(0,)],
                         "buurt got the reply only through the group")
        entries = json.loads(buurt.cli("thread", thread, "--json").stdout)
        self.assertIn(reply, [e["id"] for e in entries if not e.get("deleted")])
        return reply

    def report(self, reply):
        town, peer = self.town, self.peer
        # 4. town reports the peer's reply to the peer's server: Fedify receives the Flag.
        out = town.cli("report", "send", reply, "--reason", "Reclame").stdout
        self.assertIn("sent", out)
        instance_actor = f"{town.base_url}/users/instance"
        flag = peer.wait_received("Flag", lambda r: r["actor"] == instance_actor,
                                  timeout=DELIVERY_TIMEOUT)
        self.assertTrue(flag["signature"] and flag["signature"]["verified"], flag)
        self.assertTrue(flag["signature"]["keyId"].startswith(instance_actor), flag)
        self.assertEqual(as_list(flag["activity"]["object"]), [peer.actor_url, reply])
        self.assertEqual(flag["activity"]["content"], "Reclame")

    def remove_thread(self, thread, reply):
        town, buurt, peer, group = self.town, self.buurt, self.peer, self.group
        # 5. The moderator removes the thread: the group announces the Delete to both members.
        removed = town.cli("group", "remove", "wijkraad", thread, "--reason", REASON).stdout
        self.assertIn("post(s) removed", removed)
        delete = eventually(lambda: self.announced_by_group("Delete", thread),
                            "the peer receives the group's Announce of the Delete")[0]
        self.assert_signed_by_group(delete)
        self.assertEqual(delete["activity"]["object"]["actor"], self.gemeente)
        self.assertEqual(delete["activity"]["object"]["summary"], REASON)
        # Mastodon saw the thread as the group's boost: the peer also gets the Undo of it.
        def boost_undone(record):
            inner = record["activity"].get("object")
            return (record["actor"] == group and isinstance(inner, dict)
                    and inner.get("type") == "Announce" and object_id(inner.get("object")) == thread)
        undo = peer.wait_received("Undo", boost_undone, timeout=DELIVERY_TIMEOUT)
        self.assert_signed_by_group(undo)
        # The peer, as a member, drops the thread and the reply in it.
        for post_id in (thread, reply):
            view = self.peer_member_view(post_id)
            self.assertTrue(view["removed"], view)
            self.assertEqual(view["removedBy"], self.gemeente)
        # buurt drops the peer's reply it had from the group, and hides anna's own post as
        # removed by the group's moderator (Lemmy marks it removed on the author's instance
        # too); buurt still stores it for anna.
        eventually(lambda: self.buurt_post(reply) == (thread, 1),
                   "buurt drops the peer's reply in the removed thread")
        eventually(lambda: self.buurt_post(thread)[1] == 1,
                   "buurt hides anna's own post the group removed")
        self.assertEqual(rows(buurt, "SELECT moderated FROM posts WHERE ap_id = ?", thread),
                         [(1,)])
        entries = json.loads(buurt.cli("thread", thread, "--json").stdout)
        self.assertEqual([e["id"] for e in entries if not e.get("deleted")], [])
        self.assertIn(thread, [e["id"] for e in entries if e.get("removed")])
        # Not served as live any more.
        self.assertIn(buurt.get(thread[len(buurt.base_url):], headers=AS2_ACCEPT).status,
                      (404, 410))
        # town no longer lists the thread.
        outbox = town.get("/users/wijkraad/outbox?page=1", headers=AS2_ACCEPT).json()
        self.assertNotIn(thread, json.dumps(outbox))

    def block_the_peer(self):
        town, buurt, peer, group = self.town, self.buurt, self.peer, self.group
        # 6. town blocks the peer's authority: its next post to the group is refused with 403.
        authority = f"127.0.0.1:{peer.port}"
        town.cli("domain", "block", authority, "--reason", "Reclame")
        self.assertNotIn(peer.actor_url, self.members(), "the peer's membership is severed")
        note_id = f"{peer.actor_url}/notes/{uuid.uuid4()}"
        blocked_post = {
            "@context": AS2, "id": f"{note_id}#create", "type": "Create",
            "actor": peer.actor_url, "to": [PUBLIC, group], "cc": [],
            "object": {"id": note_id, "type": "Note", "attributedTo": peer.actor_url,
                       "content": "<p>Nog een onderwerp</p>", "to": [PUBLIC, group],
                       "audience": group}}
        # The running server picks the block up within a second: probe with a harmless Delete
        # of a post town never had until it is refused, then send the post.
        def refused():
            probe = {"@context": AS2, "id": f"{peer.actor_url}/deletes/{uuid.uuid4()}",
                     "type": "Delete", "actor": peer.actor_url,
                     "object": f"{peer.actor_url}/notes/{uuid.uuid4()}"}
            return peer.post_raw(self.group_actor()["inbox"], probe)["status"] == 403
        eventually(refused, "the domain block took effect")
        answer = peer.post_raw(self.group_actor()["inbox"], blocked_post)
        self.assertEqual(answer["status"], 403, answer)
        self.assertIn("domain blocked", answer["body"])
        self.assertEqual(rows(town, "SELECT count(*) FROM posts WHERE ap_id = ?", note_id),
                         [(0,)])
        self.assertEqual(rows(town, "SELECT count(*) FROM inbox_items WHERE activity_id = ?",
                              blocked_post["id"]), [(0,)])

        # Nothing more is delivered to it: anna's next thread is announced to buurt only. The
        # group queues an Announce for all its members at once, so once buurt's rows exist, a
        # row for the peer would too.
        second = cli_post(buurt, "--as", "anna", f"{self.handle} {SECOND}")

        def deliveries_to(base_url):
            return rows(town, "SELECT d.state FROM deliveries d JOIN delivery_bodies b"
                        " ON b.id = d.body_id WHERE d.inbox_url LIKE ? AND b.body LIKE ?",
                        f"{base_url}/%", f"%{second}%")
        eventually(lambda: deliveries_to(buurt.base_url) and
                   all(state == "done" for (state,) in deliveries_to(buurt.base_url)),
                   "the group announced anna's second thread to buurt")
        self.assertEqual(deliveries_to(peer.base_url), [])
        self.assertFalse(self.announced_by_group("Create", second))

if __name__ == "__main__":
    unittest.main()
