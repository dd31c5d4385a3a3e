"""Lemmy's shapes over the wire (issue 12, point 7): a stub Lemmy server on loopback
(remote_stub) serves a community and its users as Lemmy 0.19 writes them and signs Lemmy's real
activities (tests/fixtures/activities/lemmy_*.json, their host rewritten to the stub) to a
civicpub instance.

(a) ria, a local account, follows the community; its Announce of a member's Create(Page) and of
    a comment Note bring both here (and a comment in Lemmy 1.0's shape, with its own `context`),
    and the remote thread's HTML page has the Page's `name` as its heading and the comments
    under it.
(b) The community announces removals (Lemmy's moderator removal: a Delete with a `summary` by a
    moderator): one by someone who is no moderator, and one of a post of another community,
    change nothing; the moderator's removes the post and its comment, and the page is gone.
(c) A Lemmy user's Create(Page) addressed to a civicpub group (audience = the group) is taken
    and announced by the group to its members.
"""

import json
import pathlib
import unittest

from harness import Instance, wait_until
from remote_stub import RemoteServer
from test_groups import announces_received, rows

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "activities"
LEMMY_CONTEXT = ["https://join-lemmy.org/context.json", "https://www.w3.org/ns/activitystreams"]
HTML = {"Accept": "text/html"}


def fixture(name, base_url, replace=()):
    """A Lemmy fixture with lemmy.example turned into the stub's origin, then `replace` pairs."""
    text = (FIXTURES / name).read_text().replace("https://lemmy.example", base_url)
    for old, new in replace:
        text = text.replace(old, new)
    return json.loads(text)


class LemmyServer:
    """A RemoteServer whose actors live at Lemmy's paths (/c/NAME, /u/NAME) with Lemmy's
    documents; objects are served from `objects` (path -> document)."""

    def __init__(self, host):
        self.stub = RemoteServer(host=host)
        self.base_url = self.stub.base_url

    def actor(self, path, document):
        name = path.rsplit("/", 1)[-1]
        actor = self.stub.add_actor(name)
        del self.stub.actors[f"/users/{name}"]
        actor.id = f"{self.base_url}{path}"
        actor.key_id = f"{actor.id}#main-key"
        actor.inbox = f"{actor.id}/inbox"
        public_pem = actor.document["publicKey"]["publicKeyPem"]
        actor.document = {
            "@context": LEMMY_CONTEXT, "id": actor.id, "preferredUsername": name,
            "inbox": actor.inbox, "outbox": f"{actor.id}/outbox",
            "endpoints": {"sharedInbox": f"{self.base_url}/inbox"},
            "publicKey": {"id": actor.key_id, "owner": actor.id, "publicKeyPem": public_pem},
            "published": "2025-03-01T09:12:44.102938Z", **document}
        self.stub.actors[path] = actor
        return actor

    def person(self, name):
        return self.actor(f"/u/{name}", {"type": "Person", "name": name.capitalize()})

    def community(self, name, moderators):
        """A Group as Lemmy 0.19 writes it (objects/group.json), its moderators collection at
        <community>/moderators (collections/group_moderators.json)."""
        url = f"{self.base_url}/c/{name}"
        community = self.actor(f"/c/{name}", {
            "type": "Group", "name": name.capitalize(),
            "summary": "<p>Plans for the town</p>\n",
            "source": {"content": "Plans for the town", "mediaType": "text/markdown"},
            "sensitive": False, "featured": f"{url}/featured", "followers": f"{url}/followers",
            "attributedTo": f"{url}/moderators", "postingRestrictedToMods": False,
            "language": [{"identifier": "en", "name": "English"}]})
        self.serve(f"/c/{name}/moderators", {
            "type": "OrderedCollection", "id": f"{url}/moderators",
            "orderedItems": [m.id for m in moderators]})
        return community

    def serve(self, path, document):
        body = json.dumps({"@context": LEMMY_CONTEXT, **document}).encode()
        self.stub.on_get[path] = lambda handler: handler._send(200, body)

    def received(self, type_):
        out = []
        for _path, body in self.stub.posts_received():
            try:
                doc = json.loads(body)
            except ValueError:
                continue
            if doc.get("type") == type_:
                out.append(doc)
        return out


def announce(community, activity, n):
    """The community's Announce of `activity` (embedded without its @context), as Lemmy's
    community/announce.rs writes it."""
    inner = {k: v for k, v in activity.items() if k != "@context"}
    return {"@context": LEMMY_CONTEXT, "actor": community.id,
            "to": ["https://www.w3.org/ns/activitystreams#Public"], "object": inner,
            "cc": [f"{community.id}/followers"], "type": "Announce",
            "id": f"{community.server.base_url}/activities/announce/{inner['type'].lower()}/{n}"}


class LemmyShapesTest(unittest.TestCase):
    def setUp(self):
        self.lemmy = LemmyServer("127.0.0.4")
        self.addCleanup(self.lemmy.stub.close)

    def processed(self, town, activity_id):
        return rows(town, "SELECT state FROM inbox_items WHERE activity_id = ?",
                    activity_id) == [("done",)]

    def post_state(self, town, ap_id):
        """(row id, deleted) of a stored post, or None."""
        found = rows(town, "SELECT id, deleted_at IS NOT NULL FROM posts WHERE ap_id = ?", ap_id)
        return (found[0][0], bool(found[0][1])) if found else None

    def follow_community(self, town, ria, community):
        town.cli("follow", "--as", "ria", community.id)
        wait_until(lambda: any(f.get("object") == community.id
                               for f in self.lemmy.received("Follow")),
                   timeout=60, message=f"ria's Follow reached {community.id}; "
                                       f"town log:\n{town.log_tail()}")
        [follow] = [f for f in self.lemmy.received("Follow") if f.get("object") == community.id]
        accept = {"@context": LEMMY_CONTEXT, "actor": community.id, "to": [ria],
                  "object": {k: follow[k] for k in ("actor", "to", "object", "type", "id")
                             if k in follow},
                  "type": "Accept",
                  "id": f"{self.lemmy.base_url}/activities/accept/{community.name}"}
        self.assertEqual(community.signed_post(town, "/inbox", accept).status, 202)
        wait_until(lambda: rows(town, "SELECT f.state FROM follows f JOIN actors a"
                                      " ON a.id = f.target_id WHERE a.uri = ?",
                                community.id) == [("accepted",)],
                   timeout=60, message=f"the community's Accept; town log:\n{town.log_tail()}")

    def test_lemmy_community_posts_comments_removals_and_posts_to_a_group(self):
        lemmy = self.lemmy
        dana, erin = lemmy.person("dana"), lemmy.person("erin")
        frank, gus = lemmy.person("frank"), lemmy.person("gus")
        planning = lemmy.community("townplanning", moderators=[frank])
        other = lemmy.community("other", moderators=[gus])
        base = lemmy.base_url
        with Instance("town", host="127.0.0.1") as town:
            town.init()
            ria = town.create_account("ria")
            town.create_account("gemeente", type="organization")
            town.cli("group", "create", "wijkraad", "--moderator", "gemeente")
            group = f"{town.base_url}/users/wijkraad"
            town.start()
            self.follow_community(town, ria, planning)
            self.follow_community(town, ria, other)

            # (a) The community announces dana's Create(Page); civicpub refetches the Page from
            # its id, where Lemmy serves it.
            create_page = fixture("lemmy_create_page.json", base)
            page = create_page["object"]
            lemmy.serve("/post/3141", page)
            self.assertEqual(planning.signed_post(town, "/inbox",
                                                  announce(planning, create_page, 1)).status, 202)
            wait_until(lambda: self.post_state(town, page["id"]) is not None, timeout=60,
                       message=f"the Page was stored; town log:\n{town.log_tail()}")
            create_comment = fixture("lemmy_create_comment_note.json", base)
            comment = create_comment["object"]
            lemmy.serve("/comment/2718", comment)
            self.assertEqual(planning.signed_post(town, "/inbox",
                                                  announce(planning, create_comment, 2)).status,
                             202)
            wait_until(lambda: self.post_state(town, comment["id"]) is not None, timeout=60,
                       message=f"the comment was stored; town log:\n{town.log_tail()}")
            # Lemmy 1.0 (beta) writes a comment with its own `context` (<comment>/context, not
            # the post's), `to: [community, Public]` and the community mentioned: it still joins
            # the Page's thread by its inReplyTo.
            newer = fixture("lemmy_create_comment_note.json", base, [
                ("/comment/2718", "/comment/2719"),
                ("/activities/create/0d9c", "/activities/create/2719"),
                ("Please keep the bus stop", "Lemmy 1.0 says: keep the bus stop")])
            note = newer["object"]
            note["to"] = [planning.id, "https://www.w3.org/ns/activitystreams#Public"]
            note["cc"] = [dana.id]
            note["context"] = f"{note['id']}/context"
            note["tag"].append({"href": planning.id, "type": "Mention",
                                "name": f"@townplanning@{planning.server.origin}"})
            lemmy.serve("/comment/2719", note)
            self.assertEqual(planning.signed_post(town, "/inbox",
                                                  announce(planning, newer, 6)).status, 202)
            wait_until(lambda: self.post_state(town, note["id"]) is not None, timeout=60,
                       message=f"the 1.0 comment was stored; town log:\n{town.log_tail()}")
            self.assertEqual(rows(town, "SELECT thread_root FROM posts WHERE ap_id = ?",
                                  note["id"]), [(page["id"],)])
            page_row, deleted = self.post_state(town, page["id"])
            self.assertFalse(deleted)
            self.assertEqual(rows(town, "SELECT in_reply_to, thread_root FROM posts"
                                        " WHERE ap_id = ?", comment["id"]),
                             [(page["id"], page["id"])])
            shown = town.get(f"/remote/{page_row}", headers=HTML)
            self.assertEqual(shown.status, 200, shown.text)
            html = shown.text
            self.assertIn("<h1>New cycle lane on Station Road: feedback thread</h1>", html)
            self.assertIn("<title>New cycle lane on Station Road: feedback thread", html)
            self.assertIn("<strong>December 1</strong>", html)
            self.assertIn("Please keep the bus stop where it is.", html)
            self.assertIn("Lemmy 1.0 says: keep the bus stop", html)
            self.assertLess(html.index("December 1"), html.index("Please keep the bus stop"))

            # (b) Not removals: gus is no moderator of townplanning; a post of the other
            # community is not townplanning's to remove.
            create_other = fixture("lemmy_create_page.json", base, [
                ("/c/townplanning", "/c/other"), ("/post/3141", "/post/2000"),
                ("/activities/create/6f0e", "/activities/create/2000")])
            lemmy.serve("/post/2000", create_other["object"])
            self.assertEqual(other.signed_post(town, "/inbox",
                                               announce(other, create_other, 3)).status, 202)
            wait_until(lambda: self.post_state(town, f"{base}/post/2000") is not None,
                       timeout=60, message=f"the other Page; town log:\n{town.log_tail()}")
            removal = fixture("lemmy_remove_page.json", base)
            by_gus = fixture("lemmy_remove_page.json", base, [
                ("/u/frank", "/u/gus"), ("/activities/delete/5b2f", "/activities/delete/9999")])
            outside = fixture("lemmy_remove_page.json", base, [
                ("/post/3141", "/post/2000"),
                ("/activities/delete/5b2f", "/activities/delete/2000")])
            for n, activity in ((4, by_gus), (5, outside)):
                wrapped = announce(planning, activity, n)
                self.assertEqual(planning.signed_post(town, "/inbox", wrapped).status, 202)
                wait_until(lambda: self.processed(town, wrapped["id"]), timeout=60,
                           message=f"{wrapped['id']} processed; town log:\n{town.log_tail()}")
            self.assertFalse(self.post_state(town, page["id"])[1])
            self.assertFalse(self.post_state(town, comment["id"])[1])
            self.assertFalse(self.post_state(town, f"{base}/post/2000")[1])
            self.assertEqual(town.get(f"/remote/{page_row}", headers=HTML).status, 200)

            # The moderator's removal, announced as the fixture has it: the Page and its comment
            # go, and the page with them.
            announced_removal = fixture("lemmy_announce_remove_page.json", base)
            self.assertEqual(announced_removal["object"], {k: v for k, v in removal.items()
                                                           if k != "@context"})
            self.assertEqual(planning.signed_post(town, "/inbox", announced_removal).status, 202)
            wait_until(lambda: self.post_state(town, page["id"])[1], timeout=60,
                       message=f"the Page was removed; town log:\n{town.log_tail()}")
            self.assertTrue(self.post_state(town, comment["id"])[1])
            self.assertTrue(self.post_state(town, note["id"])[1])
            self.assertIn(town.get(f"/remote/{page_row}", headers=HTML).status, (404, 410))
            self.assertFalse(self.post_state(town, f"{base}/post/2000")[1])

            # (c) erin joins the civicpub group; dana posts a Page to it, Lemmy-style (the
            # group in the Page's `to`, the Create's `cc` and `audience`).
            join = {"@context": LEMMY_CONTEXT, "actor": erin.id, "to": [group], "object": group,
                    "type": "Follow", "id": f"{base}/activities/follow/erin"}
            self.assertEqual(erin.signed_post(town, "/users/wijkraad/inbox", join).status, 202)
            def accepted(a):
                o = a.get("object")
                return (o.get("id") if isinstance(o, dict) else o) == join["id"]
            wait_until(lambda: any(accepted(a) for a in lemmy.received("Accept")),
                       timeout=60, message=f"the group accepted erin; town log:\n{town.log_tail()}")
            to_group = fixture("lemmy_create_page.json", base, [
                (f"{base}/c/townplanning", group), ("/post/3141", "/post/4000"),
                ("/activities/create/6f0e", "/activities/create/4000")])
            self.assertEqual(to_group["object"]["audience"], group)
            self.assertEqual(dana.signed_post(town, "/users/wijkraad/inbox", to_group).status, 202)

            def announced():
                return [a for a in announces_received(lemmy.stub, group)
                        if isinstance(a.get("object"), dict)
                        and a["object"].get("id") == to_group["id"]]
            wait_until(announced, timeout=60,
                       message=f"the group announced dana's Page; town log:\n{town.log_tail()}")
            [wrapped] = announced()
            self.assertEqual(wrapped["object"]["object"]["name"], page["name"])
            self.assertEqual(wrapped["cc"], [f"{group}/followers"])
            self.assertEqual(rows(town, "SELECT count(*) FROM group_posts WHERE post_uri = ?",
                                  f"{base}/post/4000"), [(1,)])


if __name__ == "__main__":
    unittest.main()
