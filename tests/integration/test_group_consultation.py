"""A consultation posted in a group (issue 14, `consultation create --group`): the Question is
addressed to the group with its `audience`, the group owns its context, and the group announces
it to its members like any thread started in it (FEP-1b12), so a member on another server sees
the poll. An unknown group is refused and nothing is published.
"""

import datetime
import unittest

from harness import Instance, wait_until
from remote_stub import AS_CONTEXT, RemoteServer
from test_group_changes import embedded_of
from test_groups import PUBLIC, announces_received, rows


class GroupConsultationTest(unittest.TestCase):
    def test_a_consultation_in_a_group_is_announced_to_its_members(self):
        peer = RemoteServer(host="127.0.0.3")
        piet = peer.add_actor("piet")
        with Instance("town", host="127.0.0.1") as town:
            town.init()
            town.create_account("gemeente", type="organization")
            town.cli("group", "create", "wijkraad", "--moderator", "gemeente")
            group = f"{town.base_url}/users/wijkraad"
            town.start()
            follow = {"@context": AS_CONTEXT, "id": f"{piet.id}/follows/1", "type": "Follow",
                      "actor": piet.id, "object": group}
            self.assertEqual(piet.signed_post(town, "/users/wijkraad/inbox", follow).status, 202)
            wait_until(lambda: rows(town, "SELECT count(*) FROM follows WHERE state = 'accepted'")
                       == [(1,)], timeout=60, message=f"piet joined; log:\n{town.log_tail()}")

            closes = (datetime.datetime.now(datetime.timezone.utc)
                      + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%SZ")
            args = ["consultation", "create", "--as", "gemeente", "--title", "Bankjes?",
                    "--body", "Waar moeten de bankjes komen?", "--option", "Plein",
                    "--option", "Park", "--closes", closes]
            refused = town.cli(*args, "--group", "nosuch", check=False)
            self.assertNotEqual(refused.returncode, 0)
            self.assertEqual(rows(town, "SELECT count(*) FROM posts"), [(0,)])

            question = town.cli(*args, "--group", "wijkraad").stdout.split()[-1]
            wait_until(lambda: embedded_of(peer, group, "Create", question), timeout=60,
                       message=f"the group announced the consultation; log:\n{town.log_tail()}")
            create = embedded_of(peer, group, "Create", question)[0]
            poll = create["object"]
            self.assertEqual(poll["type"], "Question")
            self.assertEqual(poll["audience"], group)
            self.assertIn(group, poll["to"])
            self.assertIn(PUBLIC, poll["to"])
            self.assertTrue(poll["context"].startswith(f"{group}/context/"), poll["context"])
            self.assertEqual([o["name"] for o in poll["oneOf"]], ["Plein", "Park"])
            # Mastodon members see the new thread as the group's boost of the Question.
            wait_until(lambda: any(a.get("object") == question
                                   for a in announces_received(peer, group)),
                       timeout=60, message="the Announce of the bare Question")
            page = town.get("/users/wijkraad", headers={"Accept": "text/html"}).text
            self.assertIn("Bankjes?", page)
        peer.close()


if __name__ == "__main__":
    unittest.main()
