"""Bounded fetching against the real server (issue 11, item 4; docs/security.md "Remote fetches").

A tarpit host (127.0.0.3) accepts TCP connections and never answers. A flood of signed POSTs from
127.0.0.4 names keys on the tarpit. Each fetch's per-step read deadline is long (60 s), so without
the per-fetch deadline, the per-host cap and the host backoff every flood request would hold its
connection for a minute. With them, each flood request is answered within seconds (401 or 503),
and meanwhile /healthz and a validly signed POST from another host (127.0.0.2) are served.
"""

import concurrent.futures
import json
import time
import unittest

from harness import wait_until
from hostile import post_from, signed_headers, town_beside_peer_and_tarpit

FLOOD = 24
FETCH_TIMEOUT = 2


class BoundedFetching(unittest.TestCase):
    def setUp(self):
        town_beside_peer_and_tarpit(self, "read_timeout_seconds = 60\n"
                                    f"fetch_timeout_seconds = {FETCH_TIMEOUT}\n"
                                    "fetches_per_host = 2\n")

    def flood_post(self, i):
        """A POST signed with a key that lives on the tarpit; returns (status, seconds)."""
        actor = f"{self.tarpit.origin}/users/u{i}"
        body = json.dumps({"@context": "https://www.w3.org/ns/activitystreams",
                           "id": f"{actor}/follows/1", "type": "Follow", "actor": actor,
                           "object": f"{self.town.base_url}/users/gemeente"}).encode()
        headers = signed_headers(self.peer.key, f"{actor}#main-key", self.town.host, "/inbox", body)
        started = time.monotonic()
        status, _ = post_from("127.0.0.4", self.town, "/inbox", body, headers, timeout=120)
        return status, time.monotonic() - started

    def test_a_flood_of_keys_on_a_tarpit_is_answered_quickly_and_others_are_served(self):
        with concurrent.futures.ThreadPoolExecutor(max_workers=FLOOD) as pool:
            flood = [pool.submit(self.flood_post, i) for i in range(FLOOD)]
            # While the flood is in flight (the tarpit holds connections from the server)...
            wait_until(lambda: len(self.tarpit.accepted) >= 1, timeout=30,
                       message="the server never reached the tarpit")
            health = self.town.get("/healthz")
            self.assertEqual(health.status, 200)
            # ...a validly signed POST from another host is verified and queued.
            body = json.dumps({"@context": "https://www.w3.org/ns/activitystreams",
                               "id": f"{self.peer.actor}/follows/1", "type": "Follow",
                               "actor": self.peer.actor,
                               "object": f"{self.town.base_url}/users/gemeente"}).encode()
            headers = signed_headers(self.peer.key, self.peer.key_id, self.town.host, "/inbox",
                                     body)
            status, text = post_from("127.0.0.2", self.town, "/inbox", body, headers)
            self.assertEqual(status, 202, text)
            results = [f.result(timeout=180) for f in flood]

        for status, seconds in results:
            self.assertIn(status, (401, 429, 503), results)
            # The deadline is 2 s; a minute would mean the flood held its connections.
            self.assertLess(seconds, 20, results)
        # The per-host cap: the server never had more than a few fetches open at the tarpit.
        self.assertLessEqual(len(self.tarpit.accepted), 4 + 2, len(self.tarpit.accepted))
        log = self.town.log_text()
        self.assertTrue("host failed repeatedly" in log or "too many fetches" in log
                        or "deadline passed" in log, self.town.log_tail())


if __name__ == "__main__":
    unittest.main()
