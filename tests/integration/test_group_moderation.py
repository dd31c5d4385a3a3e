"""Moderation that travels (issue 12, point 4): a group on one civicpub, a member on a second
civicpub (buurt) and two actors on a plain remote server (remote_stub), all on loopback.

piet (remote) starts threads in the town's group; buurt takes them from the group's Announces.
A local moderator removes one with `civicpub group remove`, a remote moderator (frank) removes
another with Lemmy's Delete (tests/fixtures/activities/lemmy_remove_page.json): each time the
group announces the Delete, buurt drops the post and the group's outbox no longer lists it. Then
`group feature` fills the featured collection, `group lock` makes a reply get a Reject, and
`group block` makes piet's next thread get a Reject.
"""

import json
import pathlib
import unittest

from harness import Instance, wait_until
from remote_stub import AS_CONTEXT, RemoteServer
from test_groups import PUBLIC, announces_received, rows

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "activities"
AS2 = {"Accept": "application/activity+json"}


def received_of_type(peer, type_):
    out = []
    for _path, body in peer.posts_received():
        try:
            doc = json.loads(body)
        except ValueError:
            continue
        if doc.get("type") == type_:
            out.append(doc)
    return out


class GroupModerationTest(unittest.TestCase):
    def test_removals_reach_the_members_and_locks_blocks_refuse(self):
        peer = RemoteServer(host="127.0.0.3")
        piet = peer.add_actor("piet")
        frank = peer.add_actor("frank")
        with Instance("town", host="127.0.0.1") as town, \
                Instance("buurt", host="127.0.0.2") as buurt:
            town.init()
            town.create_account("gemeente", type="organization")
            town.cli("group", "create", "wijkraad", "--moderator", "gemeente")
            group = f"{town.base_url}/users/wijkraad"
            town.start()
            buurt.init()
            buurt.create_account("alice")
            buurt.start()

            buurt.cli("follow", "--as", "alice", f"@wijkraad@{town.host}")
            for n, who in enumerate((piet, frank)):
                follow = {"@context": AS_CONTEXT, "id": f"{who.id}/follows/{n}", "type": "Follow",
                          "actor": who.id, "object": group}
                self.assertEqual(who.signed_post(town, "/users/wijkraad/inbox", follow).status, 202)
            wait_until(lambda: rows(town, "SELECT count(*) FROM follows f JOIN actors g"
                                          " ON g.id = f.target_id WHERE g.uri = ?"
                                          " AND f.state = 'accepted'", group) == [(3,)],
                       timeout=60, message=f"three members; town log:\n{town.log_tail()}")
            wait_until(lambda: rows(buurt, "SELECT state FROM follows") == [("accepted",)],
                       timeout=60, message="buurt saw the group's Accept")

            def note(n, in_reply_to=None):
                post_id = f"{piet.id}/statuses/{n}"
                doc = {"@context": AS_CONTEXT, "id": post_id, "type": "Note",
                       "attributedTo": piet.id, "content": f"<p>Punt {n}</p>",
                       "published": "2026-01-01T00:00:00Z", "to": [PUBLIC], "cc": [group],
                       "audience": group, "inReplyTo": in_reply_to}

                def serve(handler):
                    handler._send(200, json.dumps(doc).encode())
                peer.on_get[f"/users/piet/statuses/{n}"] = serve
                create = {"@context": AS_CONTEXT, "id": f"{post_id}/activity", "type": "Create",
                          "actor": piet.id, "to": [PUBLIC], "cc": [group], "object": doc}
                self.assertEqual(piet.signed_post(town, "/users/wijkraad/inbox", create).status,
                                 202)
                return post_id

            def buurt_state(post_id):
                return rows(buurt, "SELECT deleted_at IS NOT NULL FROM posts WHERE ap_id = ?",
                            post_id)

            def thread(n):
                post_id = note(n)
                wait_until(lambda: buurt_state(post_id) == [(0,)], timeout=60,
                           message=f"buurt took thread {n}; buurt log:\n{buurt.log_tail()}")
                return post_id

            def delete_announced(post_id):
                return [a for a in announces_received(peer, group)
                        if isinstance(a.get("object"), dict)
                        and a["object"].get("type") == "Delete"
                        and a["object"].get("object") == post_id]

            # A local moderator removes the first thread.
            first = thread(1)
            removed = town.cli("group", "remove", "wijkraad", first, "--reason", "Reclame")
            self.assertIn("1 post(s) removed", removed.stdout)
            wait_until(lambda: buurt_state(first) == [(1,)], timeout=60,
                       message=f"buurt dropped thread 1; buurt log:\n{buurt.log_tail()}")
            wait_until(lambda: delete_announced(first), timeout=60,
                       message="piet's server heard of the removal")
            announce = delete_announced(first)[0]  # piet and frank share a server
            self.assertEqual(announce["object"]["summary"], "Reclame")
            self.assertEqual(announce["object"]["audience"], group)
            outbox = town.get("/users/wijkraad/outbox?page=1", headers=AS2).json()
            self.assertNotIn(first, json.dumps(outbox))

            # A remote moderator removes the second with Lemmy's Delete.
            town.cli("group", "update", "wijkraad", "--moderator", frank.id)
            second = thread(2)
            removal = json.loads((FIXTURES / "lemmy_remove_page.json").read_text())
            removal.update({"id": f"{frank.id}/activities/delete/1", "actor": frank.id,
                            "object": second, "cc": [group], "audience": group})
            self.assertEqual(frank.signed_post(town, "/users/wijkraad/inbox", removal).status,
                             202)
            wait_until(lambda: buurt_state(second) == [(1,)], timeout=60,
                       message=f"buurt dropped thread 2; town log:\n{town.log_tail()}")
            wait_until(lambda: [a for a in delete_announced(second)
                                if a["object"]["id"] == removal["id"]],
                       timeout=60, message="the Lemmy Delete was announced unchanged")

            # Feature and lock the third; a reply in it is refused.
            third = thread(3)
            town.cli("group", "feature", "wijkraad", third)
            featured = town.get("/users/wijkraad/featured?page=1", headers=AS2).json()
            self.assertEqual(featured["orderedItems"], [third])
            town.cli("group", "lock", "wijkraad", third)
            reply = note(4, in_reply_to=third)

            def rejected(activity_id):
                return any(r.get("actor") == group and r.get("object") == activity_id
                           for r in received_of_type(peer, "Reject"))
            wait_until(lambda: rejected(f"{reply}/activity"), timeout=60,
                       message=f"the reply in the locked thread was refused; {town.log_tail()}")

            # Blocked from the group: piet's next thread is refused and not announced.
            town.cli("group", "block", "wijkraad", piet.id, "--reason", "Reclame")
            fifth = note(5)
            wait_until(lambda: rejected(f"{fifth}/activity"), timeout=60,
                       message=f"the blocked author's thread was refused; {town.log_tail()}")
            self.assertEqual(rows(town, "SELECT count(*) FROM group_posts WHERE post_uri IN"
                                        " (?, ?)", reply, fifth), [(0,)])
        peer.close()


if __name__ == "__main__":
    unittest.main()
