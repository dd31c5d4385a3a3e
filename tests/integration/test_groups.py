"""Civic groups across servers (issue 12; FEP-1b12): a group on one civicpub, a member on a
second civicpub and a member on a plain remote server (remote_stub), all on loopback.

The buurt resident joins the town's group by following it and starts a thread by mentioning the
group; the group announces the resident's Create, embedded unchanged, to its members (the remote
member's inbox receives it, and the delivery to the buurt server is answered 202). The remote
member then replies addressing only the thread's author (lemmy#2218): the group announces that
reply too, and the buurt server, which follows the group, takes the reply from the group's
Announce (refetched from the remote member's server).
"""

import json
import sqlite3
import unittest

from harness import Instance, wait_until
from remote_stub import AS_CONTEXT, RemoteServer

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def rows(instance, sql, *params):
    with sqlite3.connect(instance.data_dir / "civicpub.db") as conn:
        return conn.execute(sql, params).fetchall()


def announces_received(peer, group):
    """The Announces by `group` the remote server received, parsed."""
    out = []
    for _path, body in peer.posts_received():
        try:
            doc = json.loads(body)
        except ValueError:
            continue
        if doc.get("type") == "Announce" and doc.get("actor") == group:
            out.append(doc)
    return out


class GroupsAcrossServersTest(unittest.TestCase):
    def test_member_posts_reach_the_members_through_the_group(self):
        peer = RemoteServer(host="127.0.0.3")
        piet = peer.add_actor("piet")
        with Instance("town", host="127.0.0.1") as town, \
                Instance("buurt", host="127.0.0.2") as buurt:
            town.init()
            town.create_account("gemeente", type="organization")
            created = town.cli("group", "create", "wijkraad", "--display-name", "Wijkraad Centrum",
                               "--moderator", "gemeente")
            self.assertIn("@wijkraad@", created.stdout)
            group = f"{town.base_url}/users/wijkraad"
            town.start()
            buurt.init()
            alice = buurt.create_account("alice")
            buurt.start()

            # The group is an actor like any account: WebFinger finds it, its document is a Group.
            jrd = town.get(f"/.well-known/webfinger?resource=acct:wijkraad@{town.host}").json()
            self.assertEqual(jrd["links"][0]["href"], group)
            actor = town.get("/users/wijkraad",
                             headers={"Accept": "application/activity+json"}).json()
            self.assertEqual(actor["type"], "Group")
            self.assertEqual(actor["attributedTo"], f"{group}/moderators")

            # Joining is following: the buurt resident from her server, piet from his.
            buurt.cli("follow", "--as", "alice", f"@wijkraad@{town.host}")
            follow = {"@context": AS_CONTEXT, "id": f"{piet.id}/follows/1", "type": "Follow",
                      "actor": piet.id, "object": group}
            self.assertEqual(piet.signed_post(town, "/users/wijkraad/inbox", follow).status, 202)

            def members():
                return rows(town, "SELECT a.uri FROM follows f JOIN actors a ON a.id = f.follower_id"
                                  " JOIN actors g ON g.id = f.target_id"
                                  " WHERE g.uri = ? AND f.state = 'accepted'", group)
            wait_until(lambda: len(members()) == 2, timeout=60,
                       message=f"both members accepted; town log:\n{town.log_tail()}")
            wait_until(lambda: rows(buurt, "SELECT state FROM follows") == [("accepted",)],
                       timeout=60, message="buurt saw the group's Accept")
            members_out = town.cli("group", "members", "wijkraad").stdout
            self.assertIn(alice, members_out)
            self.assertIn(piet.id, members_out)

            # The resident starts a thread by mentioning the group.
            posted = buurt.cli("post", "--as", "alice",
                               f"@wijkraad@{town.host} Vergadering dinsdag om acht uur")
            post_id = posted.stdout.split()[-1]
            create_id = f"{post_id}/activity"

            def announced_create():
                return [a for a in announces_received(peer, group)
                        if isinstance(a.get("object"), dict) and a["object"].get("id") == create_id]
            wait_until(lambda: announced_create(), timeout=60,
                       message=f"the group's Announce reached piet; town log:\n{town.log_tail()}")
            [announce] = announced_create()
            embedded = announce["object"]
            self.assertEqual(embedded["type"], "Create")
            self.assertEqual(embedded["actor"], alice)
            self.assertEqual(embedded["object"]["id"], post_id)
            self.assertIn("proof", embedded)  # alice's integrity proof travels unchanged
            self.assertIn(PUBLIC, announce["to"])
            # A new thread: the bare post is announced too (Mastodon followers see it).
            wait_until(lambda: any(a.get("object") == post_id
                                   for a in announces_received(peer, group)),
                       timeout=60, message="the Announce of the bare post")
            # The other member's server took the Announce (answered 2xx).
            wait_until(lambda: rows(town, "SELECT state FROM deliveries WHERE activity_id = ?"
                                          " AND inbox_url LIKE ?", announce["id"],
                                    f"{buurt.base_url}/%") == [("done",)],
                       timeout=60, message=f"delivered to buurt; town log:\n{town.log_tail()}")
            outbox = town.get("/users/wijkraad/outbox?page=1",
                              headers={"Accept": "application/activity+json"}).json()
            self.assertEqual([a["id"] for a in outbox["orderedItems"]], [announce["id"]])

            # piet replies addressing only the thread's author (lemmy#2218): still the group's.
            reply_id = f"{peer.base_url}/users/piet/statuses/1"
            reply = {"@context": AS_CONTEXT, "id": f"{reply_id}/activity", "type": "Create",
                     "actor": piet.id, "to": [PUBLIC], "cc": [alice],
                     "object": {"id": reply_id, "type": "Note", "attributedTo": piet.id,
                                "content": "<p>Ik kom ook</p>", "inReplyTo": post_id,
                                "published": "2026-01-01T00:00:00Z",
                                "to": [PUBLIC], "cc": [alice]}}
            # piet's server serves the reply at its id (the buurt server refetches it from there).
            def serve_reply(handler):
                handler._send(200, json.dumps({"@context": AS_CONTEXT, **reply["object"]}).encode())
            peer.on_get["/users/piet/statuses/1"] = serve_reply
            self.assertEqual(piet.signed_post(town, "/inbox", reply).status, 202)
            wait_until(lambda: any(isinstance(a.get("object"), dict)
                                   and a["object"].get("id") == f"{reply_id}/activity"
                                   for a in announces_received(peer, group)),
                       timeout=60, message=f"the reply was announced; town log:\n{town.log_tail()}")
            self.assertEqual(rows(town, "SELECT count(*) FROM group_posts"), [(2,)])
            # The buurt resident gets the reply through the group, though piet never sent it there.
            wait_until(lambda: rows(buurt, "SELECT in_reply_to FROM posts WHERE ap_id = ?",
                                    reply_id) == [(post_id,)],
                       timeout=60, message=f"buurt took the reply; buurt log:\n{buurt.log_tail()}")
        peer.close()


if __name__ == "__main__":
    unittest.main()
