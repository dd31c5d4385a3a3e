"""A group's pages and feeds against the real binary (issue 12, point 6, and what moderation
hides from them).

gemeente starts a thread in the town's group with `post --group`; piet, on a plain remote server,
replies in it and starts a thread of his own by addressing the group. The group page (HTML at the
actor's URL, the Group document for `application/activity+json`) lists both threads with their
reply counts, featured first; the thread page is served at the thread's context URL (HTML for
browsers, the collection for servers); the Atom feeds list the threads and the thread's posts.
Then a moderator removes piet's thread and the instance suspends troll, a member who replied in
the first thread: neither shows on the pages, the feeds or the collections any more, and troll no
longer counts as a member.
"""

import json
import unittest

from harness import Instance, wait_until
from remote_stub import AS_CONTEXT, RemoteServer
from test_groups import PUBLIC, rows

AS2 = {"Accept": "application/activity+json"}
HTML = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}


def note(actor, n, text, group, in_reply_to=None):
    post_id = f"{actor.id}/statuses/{n}"
    doc = {"id": post_id, "type": "Note", "attributedTo": actor.id, "content": f"<p>{text}</p>",
           "published": "2026-01-01T00:00:00Z", "to": [PUBLIC], "cc": [group],
           "audience": group, "inReplyTo": in_reply_to}
    return {"@context": AS_CONTEXT, "id": f"{post_id}/activity", "type": "Create",
            "actor": actor.id, "to": [PUBLIC], "cc": [group], "object": doc}


class GroupPagesTest(unittest.TestCase):
    def test_group_and_thread_pages_and_feeds_hide_what_moderation_removed(self):
        peer = RemoteServer(host="127.0.0.3")
        piet = peer.add_actor("piet")
        troll = peer.add_actor("troll")
        with Instance("town", host="127.0.0.1") as town:
            town.init()
            town.create_account("gemeente", type="organization")
            town.cli("group", "create", "wijkraad", "--display-name", "Wijkraad Centrum",
                     "--moderator", "gemeente")
            group = f"{town.base_url}/users/wijkraad"
            town.start()
            for who in (piet, troll):
                follow = {"@context": AS_CONTEXT, "id": f"{who.id}/follows/1", "type": "Follow",
                          "actor": who.id, "object": group}
                self.assertEqual(who.signed_post(town, "/users/wijkraad/inbox", follow).status,
                                 202)
            wait_until(lambda: rows(town, "SELECT count(*) FROM follows WHERE state = 'accepted'")
                       == [(2,)], timeout=60, message=f"both joined; log:\n{town.log_tail()}")

            root = town.cli("post", "--as", "gemeente", "--group", "wijkraad",
                            "Bankjes op het plein").stdout.split()[-1]
            own = note(piet, 1, "Fietsenstalling bij het station", group)
            self.assertEqual(piet.signed_post(town, "/users/wijkraad/inbox", own).status, 202)
            for who, n, text in ((piet, 2, "Graag bij de fontein"), (troll, 1, "Luide onzin")):
                reply = note(who, n, text, group, in_reply_to=root)
                self.assertEqual(who.signed_post(town, "/users/wijkraad/inbox", reply).status, 202)
            wait_until(lambda: rows(town, "SELECT count(*) FROM group_posts") == [(4,)],
                       timeout=60, message=f"four posts announced; log:\n{town.log_tail()}")
            town.cli("group", "feature", "wijkraad", own["object"]["id"])

            # The group page: both threads, the featured one first, counts, moderators, joining.
            page = town.get("/users/wijkraad", headers=HTML)
            self.assertEqual(page.status, 200, page.text)
            self.assertIn("text/html", page.headers["content-type"])
            html = page.text
            self.assertIn("<html lang=\"en\"", html)
            self.assertIn("<h1>Wijkraad Centrum</h1>", html)
            self.assertIn("<strong>2</strong> members</li>", html)
            self.assertIn("<strong>2</strong> threads</li>", html)
            self.assertIn(f"!wijkraad@{town.host}", html)
            self.assertIn("@gemeente@", html)
            self.assertLess(html.index("Fietsenstalling"), html.index("Bankjes op het plein"))
            self.assertIn("2 replies", html)
            self.assertEqual(town.get("/@wijkraad", headers=HTML).text.count("How to join"), 1)
            self.assertEqual(town.get("/users/wijkraad", headers=AS2).json()["type"], "Group")

            # The thread page at the context's URL; the collection for servers.
            context = rows(town, "SELECT context FROM posts WHERE ap_id = ?", root)[0][0]
            self.assertTrue(context.startswith(f"{group}/context/"), context)
            path = context.removeprefix(town.base_url)
            self.assertIn(f"href=\"{context}\"", html)
            thread = town.get(path, headers=HTML)
            self.assertEqual(thread.status, 200, thread.text)
            self.assertIn("Graag bij de fontein", thread.text)
            self.assertIn("Luide onzin", thread.text)
            collection = town.get(path + "?page=1", headers=AS2).json()
            self.assertIn(troll.id + "/statuses/1", collection["orderedItems"])

            # The feeds.
            feed = town.get("/users/wijkraad/feed.atom")
            self.assertEqual(feed.status, 200)
            self.assertIn("application/atom+xml", feed.headers["content-type"])
            self.assertIn(f"<id>{root}</id>", feed.text)
            self.assertIn(f"<id>{own['object']['id']}</id>", feed.text)
            thread_feed = town.get(path + "/feed.atom").text
            self.assertIn(f"<id>{piet.id}/statuses/2</id>", thread_feed)
            self.assertIn(f"<id>{troll.id}/statuses/1</id>", thread_feed)

            # Moderation: piet's thread removed from the group, troll suspended.
            town.cli("group", "remove", "wijkraad", own["object"]["id"], "--reason", "Dubbel")
            town.cli("actor", "suspend", troll.id)
            html = town.get("/users/wijkraad", headers=HTML).text
            self.assertNotIn("Fietsenstalling", html)
            self.assertIn("<strong>1</strong> thread</li>", html)
            self.assertIn("1 reply", html)  # troll's reply no longer counts
            self.assertIn("<strong>1</strong> member</li>", html)  # nor troll as a member
            members = town.get("/users/wijkraad/followers?page=1", headers=AS2).json()
            self.assertEqual(members["orderedItems"], [piet.id])
            thread = town.get(path, headers=HTML).text
            self.assertIn("Graag bij de fontein", thread)
            self.assertNotIn("Luide onzin", thread)
            self.assertNotIn(own["object"]["id"], town.get("/users/wijkraad/feed.atom").text)
            thread_feed = town.get(path + "/feed.atom").text
            self.assertNotIn("Luide onzin", thread_feed)
            self.assertNotIn(troll.id, thread_feed)
            collection = town.get(path + "?page=1", headers=AS2).json()
            self.assertNotIn(troll.id + "/statuses/1", collection["orderedItems"])
            self.assertIn(f"{piet.id}/statuses/2", collection["orderedItems"])
            replies = town.get(root.removeprefix(town.base_url) + "/replies?page=1",
                               headers=AS2).json()
            self.assertNotIn(troll.id, json.dumps(replies))
            # The removed thread's own page (here: its post's page) is gone.
            removed_row = rows(town, "SELECT id FROM posts WHERE ap_id = ?", own["object"]["id"])
            removed_page = town.get(f"/remote/{removed_row[0][0]}", headers=HTML)
            self.assertIn(removed_page.status, (404, 410))
        peer.close()


if __name__ == "__main__":
    unittest.main()
