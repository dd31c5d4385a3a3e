"""An author's edit or deletion of a group post reaches the members through the group (issue 12;
FEP-1b12): the group announces the author's Update and Delete, embedded unchanged, as it
announced the Create.

piet (remote) starts a thread in the town's group, then edits it and deletes it: frank, a member
on the same remote server, receives Announce{Update} and Announce{Delete} from the group. A Delete
of piet's post sent by frank (neither author nor moderator) is not announced. gemeente (local)
posts with `post --group`, edits and deletes with `post edit|delete`: the group announces those
too, with gemeente's integrity proof intact.
"""

import json
import unittest

from harness import Instance, wait_until
from remote_stub import AS_CONTEXT, RemoteServer
from test_groups import PUBLIC, announces_received, rows


def embedded_of(peer, group, type_, object_id):
    """The activities of `type_` about `object_id` the group announced to `peer`."""
    out = []
    for a in announces_received(peer, group):
        inner = a.get("object")
        if not isinstance(inner, dict) or inner.get("type") != type_:
            continue
        target = inner.get("object")
        target_id = target.get("id") if isinstance(target, dict) else target
        if target_id == object_id:
            out.append(inner)
    return out


class GroupChangesTest(unittest.TestCase):
    def test_updates_and_deletes_of_group_posts_are_announced(self):
        peer = RemoteServer(host="127.0.0.3")
        piet = peer.add_actor("piet")
        frank = peer.add_actor("frank")
        with Instance("town", host="127.0.0.1") as town:
            town.init()
            town.create_account("gemeente", type="organization")
            town.cli("group", "create", "wijkraad", "--moderator", "gemeente")
            group = f"{town.base_url}/users/wijkraad"
            town.start()
            for who in (piet, frank):
                follow = {"@context": AS_CONTEXT, "id": f"{who.id}/follows/1", "type": "Follow",
                          "actor": who.id, "object": group}
                self.assertEqual(who.signed_post(town, "/users/wijkraad/inbox", follow).status,
                                 202)
            wait_until(lambda: rows(town, "SELECT count(*) FROM follows WHERE state = 'accepted'")
                       == [(2,)], timeout=60, message=f"members; log:\n{town.log_tail()}")

            post_id = f"{piet.id}/statuses/1"
            note = {"id": post_id, "type": "Note", "attributedTo": piet.id,
                    "content": "<p>Eerste versie</p>", "published": "2026-01-01T00:00:00Z",
                    "to": [PUBLIC], "cc": [group], "audience": group}
            create = {"@context": AS_CONTEXT, "id": f"{post_id}/activity", "type": "Create",
                      "actor": piet.id, "to": [PUBLIC], "cc": [group], "object": note}
            self.assertEqual(piet.signed_post(town, "/users/wijkraad/inbox", create).status, 202)
            wait_until(lambda: embedded_of(peer, group, "Create", post_id), timeout=60,
                       message=f"the Create was announced; log:\n{town.log_tail()}")

            edited = dict(note, content="<p>Tweede versie</p>", updated="2026-01-02T00:00:00Z")
            update = {"@context": AS_CONTEXT, "id": f"{post_id}/edit/1", "type": "Update",
                      "actor": piet.id, "to": [PUBLIC], "cc": [group], "object": edited}
            self.assertEqual(piet.signed_post(town, "/users/wijkraad/inbox", update).status, 202)
            wait_until(lambda: embedded_of(peer, group, "Update", post_id), timeout=60,
                       message=f"the Update was announced; log:\n{town.log_tail()}")
            inner = embedded_of(peer, group, "Update", post_id)[0]  # piet and frank each
            self.assertEqual(inner["object"]["content"], "<p>Tweede versie</p>")  # unchanged
            self.assertEqual(rows(town, "SELECT content_html FROM posts WHERE ap_id = ?", post_id),
                             [("<p>Tweede versie</p>",)])

            # Not the author's: refused by the Delete handler, never announced.
            forged = {"@context": AS_CONTEXT, "id": f"{frank.id}/deletes/1", "type": "Delete",
                      "actor": frank.id, "to": [PUBLIC], "object": post_id}
            self.assertEqual(frank.signed_post(town, "/users/wijkraad/inbox", forged).status, 202)
            delete = {"@context": AS_CONTEXT, "id": f"{post_id}/delete", "type": "Delete",
                      "actor": piet.id, "to": [PUBLIC], "cc": [group],
                      "object": {"id": post_id, "type": "Tombstone"}}
            self.assertEqual(piet.signed_post(town, "/users/wijkraad/inbox", delete).status, 202)
            wait_until(lambda: embedded_of(peer, group, "Delete", post_id), timeout=60,
                       message=f"the Delete was announced; log:\n{town.log_tail()}")
            self.assertEqual({d["actor"] for d in embedded_of(peer, group, "Delete", post_id)},
                             {piet.id})
            self.assertEqual(rows(town, "SELECT deleted_at IS NOT NULL FROM posts WHERE ap_id = ?",
                                  post_id), [(1,)])

            # A local member's post: post edit and post delete go through the group as well.
            local = town.cli("post", "--as", "gemeente", "--group", "wijkraad",
                             "Vergadering dinsdag").stdout.split()[-1]
            wait_until(lambda: embedded_of(peer, group, "Create", local), timeout=60,
                       message="the local Create was announced")
            town.cli("post", "edit", local, "Vergadering woensdag")
            wait_until(lambda: embedded_of(peer, group, "Update", local), timeout=60,
                       message=f"the local Update was announced; log:\n{town.log_tail()}")
            inner = embedded_of(peer, group, "Update", local)[0]
            self.assertIn("woensdag", inner["object"]["content"])
            self.assertEqual(inner["object"].get("audience"), group)
            self.assertIn("proof", inner)  # gemeente's integrity proof travels with it
            town.cli("post", "delete", local)
            wait_until(lambda: embedded_of(peer, group, "Delete", local), timeout=60,
                       message=f"the local Delete was announced; log:\n{town.log_tail()}")
        peer.close()


if __name__ == "__main__":
    unittest.main()
