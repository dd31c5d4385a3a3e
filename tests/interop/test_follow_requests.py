"""Manual approval of followers (issue 3, item 4) with a Fedify 2.3.6 peer.

An account set to approve followers by hand keeps the peer's Follow pending (no Accept sent); the
admin sees it with `account requests`, approves it with `account approve`, and the peer receives
an Accept embedding its Follow. A second peer's request is rejected and it receives a Reject.
"""

import unittest

from peers import FedifyPeer, wait_until
from world import AS2_ACCEPT, object_id

DELIVERY_TIMEOUT = 60.0


class ManualApproval(unittest.TestCase):
    def setUp(self):
        from harness import Instance  # tests/integration is on PYTHONPATH (tests/CMakeLists.txt)

        self.instance = Instance("approval")
        self.addCleanup(self.instance.cleanup)
        self.addCleanup(self.instance.stop)
        self.instance.init()
        self.town = self.instance.create_account("town", type="organization")
        self.instance.cli("account", "update", "--username", "town", "--manual-approval", "yes")
        self.instance.start()
        self.resident = FedifyPeer("resident")
        self.addCleanup(self.resident.close)
        self.stranger = FedifyPeer("stranger")
        self.addCleanup(self.stranger.close)
        self.resident.start()
        self.stranger.start()

    def followers_total(self):
        return self.instance.get("/users/town/followers", headers=AS2_ACCEPT).json()["totalItems"]

    def requests(self):
        out = self.instance.cli("account", "requests", "--username", "town").stdout
        return [line.split("\t")[1] for line in out.splitlines() if "\t" in line]

    def test_requests_wait_until_approved_or_rejected(self):
        handle = f"@town@127.0.0.1:{self.instance.port}"
        followed = self.resident.follow_handle(handle)
        self.stranger.follow_handle(handle)
        wait_until(lambda: sorted(self.requests()) ==
                   sorted([self.resident.actor_url, self.stranger.actor_url]),
                   timeout=DELIVERY_TIMEOUT, message="both follows wait for approval")
        self.assertEqual(self.followers_total(), 0)
        self.assertEqual(self.resident.received("Accept"), [], "nothing accepted yet")

        self.instance.cli("account", "approve", "--username", "town", self.resident.actor_url)
        accept = self.resident.wait_received("Accept", timeout=DELIVERY_TIMEOUT)
        self.assertEqual(accept["actor"], self.town)
        self.assertEqual(object_id(accept["activity"]["object"]), followed["followId"])
        self.assertEqual(self.followers_total(), 1)

        self.instance.cli("account", "reject", "--username", "town", self.stranger.handle)
        reject = self.stranger.wait_received("Reject", timeout=DELIVERY_TIMEOUT)
        self.assertEqual(reject["actor"], self.town)
        self.assertEqual(self.requests(), [])
        self.assertEqual(self.followers_total(), 1)

        unknown = self.instance.cli("account", "approve", "--username", "town",
                                    "@nobody@127.0.0.1:9", check=False)
        self.assertEqual(unknown.returncode, 1)
        self.assertIn("no pending follow request", unknown.stderr)


if __name__ == "__main__":
    unittest.main()
