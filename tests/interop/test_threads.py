"""Complete threads everywhere (issue 5, point 5): three civicpub instances and two Fedify peers.

    town   http://127.0.0.1:P   gemeente (organization), the thread owner
    buurt  http://localhost:Q   anna, a resident
    wijk   http://127.0.0.2:R   bram, a resident
    peer A http://127.0.0.3:S   a Fedify 2.3.6 actor following gemeente
    peer B http://127.0.0.4:T   a Fedify 2.3.6 actor following gemeente

Every participant has a host of its own, as real servers do. town posts a plan; anna replies
from buurt; bram replies to anna from wijk; peer A replies to bram, addressing only bram (public,
bram in cc, delivered to wijk alone: the fragment Mastodon's delivery rules leave behind); anna
deletes her reply. Nobody sends everything to everybody: each post reaches the others only
because the thread owner forwards what arrives about its thread (with the author's integrity
proof), because a server passes replies to its posts on to the owner, or by backfill.

Then every participant must have every remaining post (the plan, bram's reply, peer A's reply)
and not anna's deleted one. The completeness per participant (posts present / posts in the
thread) is printed and must be 100%; town's `context` collection lists the remaining posts in
order. Instances are measured from their database (read-only), so that measuring starts no
fetch; peers report what Fedify accepted (/control/posts).
"""

import json
import sqlite3
import sys
import unittest

from peers import FedifyPeer, wait_until
from world import AS2_ACCEPT, PUBLIC, PeerWorld, as_list, cli_post, object_id

SETTLE_TIMEOUT = 90.0  # forwarding is a second hop through two delivery queues
POLL = 0.5

PLAN = "Plan: a new playground in the Stationspark"
ANNA = "Could it have a shaded corner for the little ones?"
BRAM = "Agreed, and a water tap near the sandbox"
PEER_A = "A drinking fountain would help the whole park"


class CompleteThreads(PeerWorld):
    LOG_LINES = 150

    @classmethod
    def build(cls):
        from harness import Instance  # tests/integration is on PYTHONPATH (tests/CMakeLists.txt)

        cls.town = Instance("town")
        cls.buurt = Instance("buurt", host="localhost")
        cls.wijk = Instance("wijk", host="127.0.0.2")
        cls.peer_a = FedifyPeer("resident_a", host="127.0.0.3")
        cls.peer_b = FedifyPeer("resident_b", host="127.0.0.4")
        cls.instances = (cls.town, cls.buurt, cls.wijk)
        cls.peers = (cls.peer_a, cls.peer_b)
        cls.town.init()
        cls.gemeente = cls.town.create_account("gemeente", type="organization")
        cls.buurt.init()
        cls.anna = cls.buurt.create_account("anna", type="person")
        cls.wijk.init()
        cls.bram = cls.wijk.create_account("bram", type="person")

    # --- helpers -------------------------------------------------------------------------------

    def as2(self, instance, url):
        self.assertTrue(url.startswith(instance.base_url + "/"), f"{url} is not on {instance.name}")
        response = instance.get(url.removeprefix(instance.base_url), headers=AS2_ACCEPT)
        self.assertEqual(response.status, 200, f"GET {url}: {response}")
        return response.json()

    @staticmethod
    def instance_view(instance, ids):
        """{id: "present" | "deleted"} for the ids this instance stores (read-only database)."""
        db_path = instance.data_dir / "civicpub.db"
        marks = ",".join("?" * len(ids))
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10) as db:
            rows = db.execute(f"SELECT ap_id, deleted_at FROM posts WHERE ap_id IN ({marks})",
                              list(ids)).fetchall()
        return {ap_id: "deleted" if deleted_at is not None else "present"
                for ap_id, deleted_at in rows}

    @staticmethod
    def peer_view(peer, ids):
        return {p["id"]: "deleted" if p["deleted"] else "present"
                for p in peer.posts() if p["id"] in ids}

    def views(self, remaining, deleted):
        ids = set(remaining) | set(deleted)
        views = {f"civicpub {i.name}": self.instance_view(i, ids) for i in self.instances}
        views.update({f"fedify {p.name}": self.peer_view(p, ids) for p in self.peers})
        return views

    @staticmethod
    def complete(view, remaining, deleted):
        return (all(view.get(i) == "present" for i in remaining) and
                all(view.get(i) != "present" for i in deleted))

    def context_ids(self, instance, context_url):
        """Every item id of a context collection, in order, following first/next."""
        collection = self.as2(instance, context_url)
        self.assertIn(collection.get("type"), ("OrderedCollection", "Collection"), collection)
        ids = [object_id(i) for i in as_list(collection.get("orderedItems") or
                                             collection.get("items"))]
        page = collection.get("first")
        for _ in range(100):
            if page is None:
                break
            if not isinstance(page, dict):
                page = self.as2(instance, page)
            ids += [object_id(i) for i in as_list(page.get("orderedItems") or page.get("items"))]
            page = page.get("next")
        return ids

    # --- the scenario --------------------------------------------------------------------------

    def test_every_participant_has_the_whole_thread(self):
        town, buurt, wijk, peer_a, peer_b = (self.town, self.buurt, self.wijk, self.peer_a,
                                             self.peer_b)

        for peer in self.peers:
            peer.follow_handle(f"@gemeente@{town.host}")
        for peer in self.peers:
            wait_until(lambda: peer.following().get(self.gemeente, {}).get("state") == "accepted",
                       timeout=SETTLE_TIMEOUT, interval=POLL,
                       message=f"{peer.name}'s follow of gemeente is accepted")

        # town posts a plan; its followers (the two peers) get it by delivery.
        plan = cli_post(town, "--as", "gemeente", PLAN)
        context = object_id(self.as2(town, plan).get("context"))
        self.assertTrue(context, "a local thread root carries a context")

        # anna replies from buurt (buurt fetches the plan it has never seen).
        anna_reply = cli_post(buurt, "--as", "anna", "--reply-to", plan, ANNA)
        # bram replies to anna from wijk; wijk addresses anna and the thread's context owner.
        bram_reply = cli_post(wijk, "--as", "bram", "--reply-to", anna_reply, BRAM)
        bram_note = self.as2(wijk, bram_reply)
        self.assertEqual(bram_note["inReplyTo"], anna_reply)
        self.assertEqual(object_id(bram_note.get("context")), context,
                         "a reply copies its parent's context")

        # peer A replies to bram, addressing only bram and delivering only to wijk's inbox.
        wijk_inbox = self.as2(wijk, self.bram)["inbox"]
        a_sent = peer_a.reply(bram_reply, content=PEER_A, to=[PUBLIC], cc=[self.bram],
                              inbox=wijk_inbox)
        a_reply = a_sent["id"]

        # Everything written so far must reach everyone before anna deletes her reply, so that
        # the Delete is tested against copies that exist.
        written = [plan, anna_reply, bram_reply, a_reply]
        try:
            wait_until(lambda: all(self.complete(v, written, [])
                                   for v in self.views(written, []).values()),
                       timeout=SETTLE_TIMEOUT, interval=POLL,
                       message="every participant has all four posts")
        except AssertionError as error:
            names = {plan: "plan", anna_reply: "anna", bram_reply: "bram", a_reply: "peer A"}
            seen = {participant: {names[i]: state for i, state in view.items()}
                    for participant, view in self.views(written, []).items()}
            raise AssertionError(f"{error}\n{json.dumps(seen, indent=1)}") from None

        # anna deletes her reply.
        buurt.cli("post", "delete", anna_reply)
        remaining, deleted = [plan, bram_reply, a_reply], [anna_reply]

        def settled():
            views = self.views(remaining, deleted)
            return views if all(self.complete(v, remaining, deleted)
                                for v in views.values()) else None
        try:
            views = wait_until(settled, timeout=SETTLE_TIMEOUT, interval=POLL,
                               message="every participant has the remaining thread")
        finally:
            self.print_completeness(self.views(remaining, deleted), remaining, deleted)

        for name, view in views.items():
            present = sum(1 for i in remaining if view.get(i) == "present")
            self.assertEqual(present, len(remaining), f"{name}: {view}")
            self.assertNotEqual(view.get(anna_reply), "present", f"{name} still shows anna's reply")

        # town's context lists the remaining posts, in order, and not the deleted one.
        self.assertEqual(self.context_ids(town, context), remaining)

        # What a resident sees: `civicpub thread` on every instance lists the same posts.
        # anna's reply may stay as a placeholder that keeps the thread's shape (bram's reply hangs
        # below it), marked deleted and without its text.
        for instance in self.instances:
            entries = json.loads(instance.cli("thread", plan, "--json").stdout)
            shown = [e["id"] for e in entries if not e.get("deleted")]
            self.assertEqual(sorted(shown), sorted(remaining), f"civicpub thread on {instance.name}")
            for entry in entries:
                if entry["id"] == anna_reply:
                    self.assertTrue(entry.get("deleted"), entry)
                    self.assertNotIn(ANNA, entry.get("content") or "")

        # How the forwarded copies were believed: peer B got peer A's reply from town (whose
        # HTTP signature is not A's), which Fedify accepts only with A's integrity proof.
        b_copy = next(p for p in peer_b.posts() if p["id"] == a_reply)
        self.assertTrue(any(v["proof"] for v in b_copy["via"]), b_copy)
        self.assertTrue(all(v["signer"] is None or v["signer"].startswith(self.gemeente)
                            for v in b_copy["via"]), b_copy)
        # ... and civicpub authors' proofs: bram's reply reached peer B only through town.
        bram_copy = next(p for p in peer_b.posts() if p["id"] == bram_reply)
        self.assertTrue(bram_copy["via"] and all(v["proof"] and v["signer"].startswith(self.gemeente)
                                                 for v in bram_copy["via"]), bram_copy)
        # town believed peer A's reply, passed on by wijk, because A's (Fedify's) proof verified
        # here, not by refetching it.
        self.assertEqual(self.inbox_auth(town, a_sent["activity"]), "proof")

    @staticmethod
    def inbox_auth(instance, activity_id):
        db_path = instance.data_dir / "civicpub.db"
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10) as db:
            row = db.execute("SELECT auth FROM inbox_items WHERE activity_id = ?",
                             (activity_id,)).fetchone()
        return row[0] if row else None

    @staticmethod
    def print_completeness(views, remaining, deleted):
        lines = ["", "thread completeness (posts present / posts in the thread):"]
        for name, view in views.items():
            present = sum(1 for i in remaining if view.get(i) == "present")
            gone = all(view.get(i) != "present" for i in deleted)
            lines.append(f"  {name:<22} {present}/{len(remaining)} "
                         f"{100 * present // len(remaining):>3}%   deleted reply absent: "
                         f"{'yes' if gone else 'NO'}")
        print("\n".join(lines), file=sys.stderr, flush=True)


if __name__ == "__main__":
    unittest.main()
