"""Deliveries survive kill -9 (issue 3, item 6), shown with a Fedify 2.3.6 follower.

A post made while civicpub is down (its process killed with SIGKILL) is only a row in SQLite; the
next start delivers it. After another SIGKILL and start, the already delivered Create is not
sent again, while a new post still goes out (so the worker did run after the restart).
"""

import signal
import sqlite3
import unittest

from peers import FedifyPeer, wait_until
from world import object_id

DELIVERY_TIMEOUT = 60.0


class DeliveriesSurviveKill(unittest.TestCase):
    def setUp(self):
        from harness import Instance  # tests/integration is on PYTHONPATH (tests/CMakeLists.txt)

        self.instance = Instance("restart")
        self.peer = FedifyPeer("follower")
        self.addCleanup(self.instance.cleanup)
        self.addCleanup(self.instance.stop)
        self.addCleanup(self.peer.close)
        self.instance.init()
        self.town = self.instance.create_account("town", type="organization")
        self.instance.start()
        self.peer.start()
        self.peer.follow_handle(f"@town@127.0.0.1:{self.instance.port}")
        wait_until(lambda: self.peer.following().get(self.town, {}).get("state") == "accepted",
                   timeout=DELIVERY_TIMEOUT, message="the peer's follow is accepted")

    def deliveries(self, activity_id):
        db_path = self.instance.data_dir / "civicpub.db"
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10) as db:
            return db.execute("SELECT state, attempts FROM deliveries WHERE activity_id = ?",
                              (activity_id,)).fetchall()

    def post(self, text):
        return self.instance.cli("post", "--as", "town", text).stdout.strip().splitlines()[-1]

    def creates_of(self, url):
        return [r for r in self.peer.received("Create")
                if object_id(r["activity"]["object"]) == url]

    def test_pending_delivery_resumes_after_kill_and_is_not_resent(self):
        self.instance.stop(signal.SIGKILL)

        url = self.post("Written while the server was down")
        create_id = url + "/activity"
        self.assertEqual(self.deliveries(create_id), [("pending", 0)],
                         "the Create waits in the database while the server is down")

        self.instance.start()
        wait_until(lambda: len(self.creates_of(url)) == 1, timeout=DELIVERY_TIMEOUT,
                   message="the Create queued while down reaches the peer after the restart")
        wait_until(lambda: self.deliveries(create_id) == [("done", 1)],
                   message="the delivery is recorded as done")

        self.instance.stop(signal.SIGKILL)
        self.instance.start()
        marker = self.post("Written after the second restart")
        wait_until(lambda: len(self.creates_of(marker)) == 1, timeout=DELIVERY_TIMEOUT,
                   message="the worker delivers again after the second restart")
        self.assertEqual(len(self.creates_of(url)), 1, "a delivered Create is not sent again")
        self.assertEqual(self.deliveries(create_id), [("done", 1)])


if __name__ == "__main__":
    unittest.main()
