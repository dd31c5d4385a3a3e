"""Instance moderation against the real binary (issue 12, point 5).

Remote servers on loopback stand for other instances: `spam` on 127.0.0.3 (blocked as a bare
host, so every port of it), `port` and `peer` on two ports of 127.0.0.2 (one blocked by its
authority, the other left alone). Loopback has no DNS subdomains: `*.host` matching is covered by
the unit tests (tests/unit/federation/remote/domain_blocks_test.cpp). Every refusal is paired
with an accepted request, so the tests can fail.
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


def follow(actor, target, n=1):
    return {"@context": AS_CONTEXT, "id": f"{actor.id}/follows/{n}", "type": "Follow",
            "actor": actor.id, "object": target}


def reply(actor, parent, n, text):
    note_id = f"{actor.id}/statuses/{n}"
    note = {"id": note_id, "type": "Note", "attributedTo": actor.id, "content": f"<p>{text}</p>",
            "inReplyTo": parent, "published": "2026-01-01T00:00:00Z", "to": [PUBLIC], "cc": []}
    return {"@context": AS_CONTEXT, "id": f"{note_id}/activity", "type": "Create",
            "actor": actor.id, "to": [PUBLIC], "object": note}


def types_posted(server, path=None):
    out = []
    for p, body in server.posts_received():
        if path is None or p == path:
            try:
                out.append(json.loads(body))
            except ValueError:
                pass
    return out


class InstanceModerationTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.spam = RemoteServer("127.0.0.3")
        cls.port = RemoteServer("127.0.0.2")
        cls.peer = RemoteServer("127.0.0.2")
        cls.town = Instance("moderation")
        cls.town.init()
        cls.gemeente = cls.town.create_account("gemeente", type="organization")
        cls.town.start()
        cls.plan = cls.post("The plan for the square")

    @classmethod
    def tearDownClass(cls):
        code = cls.town.stop()
        cls.town.cleanup()
        for server in (cls.spam, cls.port, cls.peer):
            server.close()
        assert code == 0, f"server exited with {code}"

    @classmethod
    def post(cls, text):
        return cls.town.cli("post", "--as", "gemeente", text).stdout.strip().splitlines()[-1]

    def page(self, url):
        res = self.town.get(url.removeprefix(self.town.base_url), headers={"Accept": "text/html"})
        self.assertEqual(res.status, 200, res.text)
        return res.text

    def followers(self):
        return rows(self.town, "SELECT a.uri FROM follows f JOIN actors a ON a.id = f.follower_id "
                               "JOIN actors t ON t.id = f.target_id WHERE t.uri = ?", self.gemeente)

    def test_a_blocked_domain_is_refused_severed_and_never_delivered_to(self):
        eve = self.spam.add_actor("eve")
        ann = self.peer.add_actor("ann")
        for actor in (eve, ann):
            self.assertEqual(actor.signed_post(self.town, "/inbox", follow(actor, self.gemeente))
                             .status, 202)
        wait_until(lambda: {eve.id, ann.id} <= {u for (u,) in self.followers()},
                   message=f"both follow; log:\n{self.town.log_tail()}")
        self.town.cli("follow", "--as", "gemeente", eve.id)
        wait_until(lambda: any(a.get("type") == "Follow" for a in types_posted(self.spam)),
                   message="our Follow reached the spam server")

        out = self.town.cli("domain", "block", "127.0.0.3", "--reason", "spam wave").stdout
        self.assertIn("blocked 127.0.0.3", out)
        self.assertIn("2 follow(s) severed", out)
        listed = self.town.cli("domain", "list").stdout
        self.assertIn("127.0.0.3", listed)
        self.assertIn("spam wave", listed)
        # Both directions are gone, the other server's follow stays.
        self.assertEqual({u for (u,) in self.followers()}, {ann.id})
        self.assertEqual(rows(self.town, "SELECT count(*) FROM follows f JOIN actors a "
                                         "ON a.id = f.target_id WHERE a.uri = ?", eve.id), [(0,)])
        sent_before = len(self.spam.posts_received())

        # The running server picks the block up (within a second; eve's known key probes it) and
        # answers 403 with a reason, before fetching the key of an actor it never saw.
        wait_until(lambda: eve.signed_post(self.town, "/inbox", follow(eve, self.gemeente, 2))
                   .status == 403, message="the block took effect")
        mallory = self.spam.add_actor("mallory")
        body = reply(mallory, self.plan, 1, "Buy cheap watches")
        r = mallory.signed_post(self.town, "/inbox", body)
        self.assertEqual(r.status, 403)
        self.assertIn("domain blocked", r.json()["error"])
        self.assertNotIn("/users/mallory", self.spam.gets)
        self.assertEqual(rows(self.town, "SELECT count(*) FROM inbox_items WHERE actor_uri = ?",
                              mallory.id), [(0,)])
        self.assertEqual(rows(self.town, "SELECT count(*) FROM posts WHERE ap_id LIKE ?",
                              f"{self.spam.base_url}/%"), [(0,)])
        self.assertNotIn("cheap watches", self.page(self.plan))

        # No WebFinger lookup or fetch goes to the blocked server: following or mentioning one of
        # its accounts by handle fails here, while a handle on another server is looked up.
        gets_before = list(self.spam.gets)
        refused = self.town.cli("follow", "--as", "gemeente", f"@mallory@{self.spam.origin}",
                                check=False)
        self.assertNotEqual(refused.returncode, 0)
        self.town.cli("post", "--as", "gemeente", f"Hello @mallory@{self.spam.origin}")
        self.assertEqual(self.spam.gets, gets_before)
        self.town.cli("post", "--as", "gemeente", f"Hello @newcomer@{self.peer.origin}")
        self.assertIn(f"/.well-known/webfinger?resource=acct:newcomer@{self.peer.origin}",
                      self.peer.gets)

        # A new post goes to the remaining follower, and nothing goes to the blocked server.
        self.post("Works on the square start Monday")
        wait_until(lambda: any(a.get("type") == "Create" for a in types_posted(self.peer)),
                   timeout=30, message="the post reached the peer")
        self.assertEqual(len(self.spam.posts_received()), sent_before)

    def test_a_port_specific_block_leaves_another_port_of_the_host_alone(self):
        blocked = self.port.add_actor("blocked")
        other = self.peer.add_actor("other")
        self.town.cli("domain", "block", f"127.0.0.2:{self.port.port}")
        wait_until(lambda: blocked.signed_post(
            self.town, "/inbox", follow(blocked, self.gemeente)).status == 403,
            message="the port block took effect")
        self.assertEqual(other.signed_post(self.town, "/inbox", follow(other, self.gemeente))
                         .status, 202)
        self.town.cli("domain", "unblock", f"127.0.0.2:{self.port.port}")
        self.assertNotIn(f"127.0.0.2:{self.port.port}", self.town.cli("domain", "list").stdout)
        wait_until(lambda: blocked.signed_post(
            self.town, "/inbox", follow(blocked, self.gemeente, 2)).status == 202,
            message="the unblock took effect")

    def test_an_inbound_flag_is_listed(self):
        reporter = self.peer.add_actor("moderators")
        flag = {"@context": AS_CONTEXT, "id": f"{reporter.id}/flags/1", "type": "Flag",
                "actor": reporter.id, "content": "This post is misleading",
                "object": [self.gemeente, self.plan]}
        self.assertEqual(reporter.signed_post(self.town, "/inbox", flag).status, 202)

        def listed():
            return [l for l in self.town.cli("report", "list").stdout.splitlines()
                    if reporter.id in l]
        [line] = wait_until(listed, message=f"the report is listed; log:\n{self.town.log_tail()}")
        fields = line.split("\t")
        self.assertEqual(fields[1:3], ["received", "open"])
        self.assertEqual(fields[5], self.gemeente)
        shown = self.town.cli("report", "show", fields[0]).stdout
        self.assertIn("comment: This post is misleading", shown)
        self.assertIn(f"post: {self.plan}", shown)
        self.town.cli("report", "resolve", fields[0])
        self.assertNotIn(reporter.id, self.town.cli("report", "list").stdout)
        self.assertIn(reporter.id, self.town.cli("report", "list", "--all").stdout)

    def test_report_send_delivers_a_flag_in_mastodons_shape(self):
        troll = self.peer.add_actor("troll2")
        note_id = f"{troll.id}/statuses/7"
        note = {"@context": AS_CONTEXT, "id": note_id, "type": "Note", "attributedTo": troll.id,
                "content": "<p>nasty</p>", "published": "2026-01-01T00:00:00Z", "to": [PUBLIC]}
        self.peer.on_get["/users/troll2/statuses/7"] = (
            lambda handler: handler._send(200, json.dumps(note).encode()))
        out = self.town.cli("report", "send", note_id, "--reason", "Harassment").stdout
        self.assertIn("sent", out)

        def flags():
            return [a for a in types_posted(self.peer, "/users/troll2/inbox")
                    if a.get("type") == "Flag"]
        [flag] = wait_until(flags, timeout=30, message=f"the Flag arrived; {self.town.log_tail()}")
        self.assertEqual(flag["actor"], f"{self.town.base_url}/users/instance")
        self.assertEqual(flag["object"], [troll.id, note_id])
        self.assertEqual(flag["content"], "Harassment")
        self.assertTrue(flag["id"].startswith(f"{self.town.base_url}/reports/"), flag["id"])
        self.assertIn("https://www.w3.org/ns/activitystreams", json.dumps(flag["@context"]))
        self.assertIn("sent", self.town.cli("report", "list").stdout)

    def test_a_suspended_actors_post_disappears_and_its_activities_are_refused(self):
        troll = self.peer.add_actor("troll")
        self.assertEqual(troll.signed_post(
            self.town, "/inbox", reply(troll, self.plan, 1, "Loud nonsense")).status, 202)
        wait_until(lambda: "Loud nonsense" in self.page(self.plan),
                   message=f"the reply is shown; log:\n{self.town.log_tail()}")

        out = self.town.cli("actor", "suspend", troll.id).stdout
        self.assertIn(f"suspended {troll.id}", out)
        self.assertNotIn("Loud nonsense", self.page(self.plan))
        wait_until(lambda: troll.signed_post(self.town, "/inbox", follow(troll, self.gemeente))
                   .status == 403, message="the suspension took effect")
        r = troll.signed_post(self.town, "/inbox", reply(troll, self.plan, 2, "More nonsense"))
        self.assertEqual(r.status, 403)
        self.assertIn("actor suspended", r.json()["error"])
        # Another actor of the same server is still heard.
        friend = self.peer.add_actor("friend")
        self.assertEqual(friend.signed_post(
            self.town, "/inbox", reply(friend, self.plan, 1, "Constructive remark")).status, 202)

        self.town.cli("actor", "unsuspend", troll.id)
        wait_until(lambda: "Loud nonsense" in self.page(self.plan),
                   message="the reply is back after unsuspend")


if __name__ == "__main__":
    unittest.main()
