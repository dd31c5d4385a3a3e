"""Polls in the Mastodon client API (issue 14 point 3) against a real civicpub: Mastodon.py
from Debian (mastodon_py_polls.py, run by /usr/bin/python3) reads the poll entity of a
consultation of this server and of another server's Questions, votes on each (form body; a
JSON body through requests), and meets Mastodon's refusals: a second vote, a choice out of
range, an ended poll. The consultation counts the vote at once; the remote poll's server (a
signed stub on 127.0.0.2) receives the vote as Mastodon sends one.
"""

import datetime
import json
import os
import pathlib
import sqlite3
import subprocess
import unittest

from harness import Instance, wait_until
from remote_stub import RemoteServer

SYSTEM_PYTHON = "/usr/bin/python3"
HERE = pathlib.Path(__file__).resolve().parent
PASSWORD = "correct horse battery"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def rows(instance, sql, *params):
    with sqlite3.connect(instance.data_dir / "civicpub.db") as conn:
        return conn.execute(sql, params).fetchall()


def rfc3339(delta):
    at = datetime.datetime.now(datetime.timezone.utc) + delta
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def question(actor, n, to, end_time, counts, closed=False):
    """bob's poll as Mastodon writes it, addressed to `to`."""
    qid = f"{actor.id}/statuses/{n}"
    obj = {
        "id": qid, "type": "Question", "attributedTo": actor.id,
        "content": "<p>Which day for the repair café?</p>",
        "published": rfc3339(datetime.timedelta(minutes=-1)),
        "to": [PUBLIC], "cc": [to],
        "tag": [{"type": "Mention", "href": to}],
        "endTime": end_time, "votersCount": sum(counts),
        "oneOf": [{"type": "Note", "name": name, "replies": {"type": "Collection",
                                                              "totalItems": count}}
                  for name, count in zip(["Saturday", "Sunday"], counts)],
    }
    if closed:
        obj["closed"] = end_time
    return {"@context": "https://www.w3.org/ns/activitystreams", "id": qid + "/activity",
            "type": "Create", "actor": actor.id, "to": [PUBLIC], "cc": [to], "object": obj}


class PollApiTest(unittest.TestCase):
    def test_mastodon_py_votes_through_the_client_api(self):
        self.assertTrue(os.path.exists(SYSTEM_PYTHON), "python3-mastodon is a test package")
        remote = RemoteServer("127.0.0.2")
        self.addCleanup(remote.close)
        bob = remote.add_actor("bob")
        with Instance("pollapi") as town:
            town.init()
            town.create_account("gemeente", type="organization")
            town.cli("account", "create", "--username", "anna", "--email", "anna@town.example",
                     "--password-stdin", input=PASSWORD + "\n")
            anna = f"{town.base_url}/users/anna"
            closes = rfc3339(datetime.timedelta(hours=1))
            local = town.cli("consultation", "create", "--as", "gemeente", "--title", "Bench?",
                             "--body", "Where should the bench go?",
                             "--option", "By the pond", "--option", "Near the library",
                             "--closes", closes).stdout.strip().splitlines()[-1]
            multi = town.cli("consultation", "create", "--as", "gemeente", "--title", "Days?",
                             "--body", "Market days?", "--multiple", "--option", "Saturday",
                             "--option", "Sunday", "--option", "Wednesday",
                             "--closes", closes).stdout.strip().splitlines()[-1]
            town.start()

            open_poll = question(bob, 1, anna, rfc3339(datetime.timedelta(hours=1)), [3, 4])
            ended_poll = question(bob, 2, anna, rfc3339(datetime.timedelta(hours=-1)), [1, 0],
                                  closed=True)
            for create in (open_poll, ended_poll):
                self.assertEqual(bob.signed_post(town, "/users/anna/inbox", create).status, 202)

            def row_id(ap_id):
                found = rows(town, "SELECT id FROM posts WHERE ap_id = ?", ap_id)
                return str(found[0][0]) if found else None

            for create in (open_poll, ended_poll):
                wait_until(lambda c=create: row_id(c["object"]["id"]), timeout=30,
                           message="bob's poll stored")
            result = subprocess.run(
                [SYSTEM_PYTHON, str(HERE / "mastodon_py_polls.py"), town.base_url,
                 "anna@town.example", PASSWORD, row_id(local), row_id(multi),
                 row_id(open_poll["object"]["id"]), row_id(ended_poll["object"]["id"])],
                capture_output=True, text=True, timeout=120)
            print(result.stdout)
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
            self.assertIn("ALL OK", result.stdout)

            # The consultation counted anna's votes, as the CLI's `consultation vote` would.
            def counts(url):
                data = json.loads(town.get(url[len(town.base_url):] + "/export.json").text)
                return [o["total"] for o in data["options"]]

            self.assertEqual(counts(local), [1, 0])
            self.assertEqual(counts(multi), [1, 0, 1])

            # bob's server received one vote, as Mastodon sends it, and nothing more.
            def votes_at_bob():
                found = []
                for _, body in remote.posts_received():
                    activity = json.loads(body)
                    obj = activity.get("object", {})
                    if activity.get("type") == "Create" and obj.get("inReplyTo") == \
                            open_poll["object"]["id"]:
                        found.append(obj)
                return found

            wait_until(lambda: votes_at_bob(), timeout=30, message="the vote delivered to bob")
            [ballot] = votes_at_bob()
            self.assertEqual(ballot["name"], "Sunday")
            self.assertEqual(ballot["attributedTo"], anna)
            self.assertEqual(ballot["to"], [bob.id])
            self.assertNotIn("content", ballot)


if __name__ == "__main__":
    unittest.main()
