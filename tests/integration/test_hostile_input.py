"""Hostile input against the real server (issue 11, item 10): what an attacker sends is refused,
nothing of it is stored, memory stays bounded, and the server keeps answering.

- a flood of unsigned and of forged POSTs;
- bodies over the limit, deeply nested JSON and huge arrays, validly signed;
- keys on a name that resolves to loopback when loopback is not allowed;
- keys on a remote that answers with a 100 MB body or with a redirect loop.
"""

import concurrent.futures
import json
import sqlite3
import unittest

from harness import Instance, wait_until
from remote_stub import RemoteServer

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
# Growth of the resident set allowed over a flood; the flood itself sends far more than this.
RSS_GROWTH_LIMIT_KIB = 48 * 1024


def rss_kib(instance):
    with open(f"/proc/{instance.process.pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def count(instance, sql, args=()):
    path = instance.data_dir / "civicpub.db"
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30) as db:
        return db.execute(sql, args).fetchone()[0]


def note_create(actor, i, town):
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{actor.id}/activities/{i}",
        "type": "Create",
        "actor": actor.id,
        "to": [PUBLIC],
        "cc": [town],
        "object": {"id": f"{actor.id}/notes/{i}", "type": "Note", "attributedTo": actor.id,
                   "content": f"<p>{i}</p>", "to": [PUBLIC], "cc": [town]},
    }


class HostileInput(unittest.TestCase):
    def start(self, name, extra_toml=""):
        instance = Instance(name, extra_toml=extra_toml)
        self.addCleanup(instance.cleanup)
        instance.init()
        instance.create_account("town", type="organization")
        instance.start()
        return instance

    def assert_nothing_stored(self, instance, remote):
        self.assertEqual(count(instance, "SELECT count(*) FROM inbox_items"), 0)
        self.assertEqual(count(instance, "SELECT count(*) FROM posts WHERE ap_id LIKE ?",
                               (f"{remote.base_url}/%",)), 0)

    def test_flood_of_unsigned_and_forged_posts_is_refused_and_stores_nothing(self):
        instance = self.start("hostile-flood")
        remote = RemoteServer("127.0.0.2")
        self.addCleanup(remote.close)
        mallory = remote.add_actor("mallory")
        other = remote.add_actor("other")  # its key forges mallory's signature
        town = f"{instance.base_url}/users/town"
        body = json.dumps(note_create(mallory, 0, town)).encode()

        # Warm up (first key fetch, first allocations) before measuring.
        self.assertEqual(mallory.signed_post(instance, "/inbox", note_create(mallory, 0, town),
                                             key_path=other.key_path).status, 401)
        before = rss_kib(instance)

        def unsigned(i):
            return instance.request("POST", "/inbox", body=body,
                                    headers={"Content-Type": "application/activity+json"}).status

        def forged(i):
            return mallory.signed_post(instance, "/inbox", note_create(mallory, i, town),
                                       key_path=other.key_path).status

        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            unsigned_statuses = list(pool.map(unsigned, range(600)))
            forged_statuses = list(pool.map(forged, range(150)))

        self.assertEqual(set(unsigned_statuses), {401}, "unsigned POSTs are refused")
        self.assertEqual(set(forged_statuses), {401}, "forged POSTs are refused")
        self.assert_nothing_stored(instance, remote)
        self.assertLess(rss_kib(instance) - before, RSS_GROWTH_LIMIT_KIB, "memory stays bounded")
        self.assertEqual(instance.get("/healthz").status, 200)

    def test_oversized_nested_and_huge_array_bodies_are_refused(self):
        instance = self.start("hostile-json")
        remote = RemoteServer("127.0.0.2")
        self.addCleanup(remote.close)
        actor = remote.add_actor("resident")
        town = f"{instance.base_url}/users/town"

        oversized = json.dumps(note_create(actor, 1, town)).encode()
        oversized = oversized[:-1] + b', "padding": "' + b"x" * (1024 * 1024) + b'"}'
        response = actor.signed_post(instance, "/inbox", oversized)
        self.assertEqual(response.status, 413, response)

        nested = b'{"type": "Create", "actor": "' + actor.id.encode() + b'", "object": ' + \
            b"[" * 50000 + b"]" * 50000 + b"}"
        response = actor.signed_post(instance, "/inbox", nested)
        self.assertEqual(response.status, 400, response)
        self.assertIn("deep", response.text)

        huge = note_create(actor, 2, town)
        huge["cc"] = [f"{remote.base_url}/users/x{i}" for i in range(20000)]
        response = actor.signed_post(instance, "/inbox", huge)
        self.assertIn(response.status, (400, 413), response)

        many_members = note_create(actor, 3, town)
        many_members["object"].update({f"k{i}": i for i in range(50000)})
        response = actor.signed_post(instance, "/inbox", many_members)
        self.assertEqual(response.status, 400, response)
        self.assertIn("members", response.text)

        self.assert_nothing_stored(instance, remote)
        self.assertEqual(instance.get("/healthz").status, 200)

    def test_key_on_a_name_that_resolves_to_loopback_is_not_fetched(self):
        instance = self.start("hostile-loopback",
                              extra_toml='[federation]\nallow_private_addresses = []\n')
        for remote in (RemoteServer("127.0.0.1", name="localhost"), RemoteServer("127.0.0.2")):
            self.addCleanup(remote.close)
            actor = remote.add_actor("sneaky")
            town = f"{instance.base_url}/users/town"
            response = actor.signed_post(instance, "/inbox", note_create(actor, 1, town))
            self.assertEqual(response.status, 401, response)
            self.assertEqual(remote.gets, [], "no request reached the loopback address")
            self.assert_nothing_stored(instance, remote)

    def test_key_behind_huge_body_or_redirect_loop_is_refused(self):
        instance = self.start("hostile-remote")
        remote = RemoteServer("127.0.0.2")
        self.addCleanup(remote.close)
        town = f"{instance.base_url}/users/town"

        def huge_body(handler):
            handler.send_response(200)
            handler.send_header("Content-Type", "application/activity+json")
            handler.send_header("Content-Length", str(100 * 1024 * 1024))
            handler.end_headers()
            chunk = b" " * (1024 * 1024)
            for _ in range(100):
                handler.wfile.write(chunk)

        def redirect_loop(handler):
            handler.send_response(302)
            handler.send_header("Location", handler.path)
            handler.send_header("Content-Length", "0")
            handler.end_headers()

        big = remote.add_actor("big")
        loop = remote.add_actor("loop")
        remote.on_get["/users/big"] = huge_body
        remote.on_get["/users/loop"] = redirect_loop
        before = rss_kib(instance)
        for actor in (big, loop):
            response = actor.signed_post(instance, "/inbox", note_create(actor, 1, town))
            self.assertEqual(response.status, 401, response)
        self.assertLess(remote.gets.count("/users/loop"), 10, "redirects are bounded")
        self.assertLess(rss_kib(instance) - before, RSS_GROWTH_LIMIT_KIB,
                        "the 100 MB body was not buffered")
        self.assert_nothing_stored(instance, remote)
        wait_until(lambda: instance.get("/healthz").status == 200, message="still answering")


if __name__ == "__main__":
    unittest.main()
