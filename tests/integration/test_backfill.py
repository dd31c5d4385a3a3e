"""Backfill (issue 5, point 4): opening a remote thread reads its context collection.

town (http://127.0.0.1:P) has a thread: gemeente's plan and two replies by other town accounts,
one a reply to the other. buurt (http://localhost:Q) follows nobody on town and was sent none of
it. `civicpub thread <plan>` on buurt fetches the plan, reads town's `context` collection and
fetches every reply it lists; the whole thread is then stored on buurt. Opening it again within
the cooldown fetches nothing new.
"""

import json
import sqlite3
import unittest

from harness import Instance, wait_until

PLAN = "Plan: the market moves to the Kerkplein on Saturdays"
FIRST = "Will the parking stay free?"
SECOND = "Yes, the first two hours"


class Backfill(unittest.TestCase):
    def setUp(self):
        self.town = Instance("town")
        # buurt's backfill timer is off unless a test turns it on: what it would fetch must not be
        # mistaken for what the trigger under test fetched.
        self.buurt = Instance("buurt", host="localhost",
                              extra_toml="[federation]\nbackfill_interval_minutes = 0\n")
        self.addCleanup(self.cleanup)
        self.town.init()
        self.town.create_account("gemeente", type="organization")
        self.town.create_account("marja", type="person")
        self.town.create_account("kees", type="person")
        self.buurt.init()
        self.town.start()
        self.buurt.start()

    def cleanup(self):
        for instance in (self.town, self.buurt):
            try:
                instance.stop()
            finally:
                instance.cleanup()

    def post(self, *args):
        return self.town.cli("post", *args).stdout.strip().splitlines()[-1].strip()

    def stored_on_buurt(self):
        db_path = self.buurt.data_dir / "civicpub.db"
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10) as db:
            return {row[0] for row in db.execute("SELECT ap_id FROM posts WHERE local = 0")}

    def test_opening_a_remote_thread_backfills_it_from_its_context(self):
        plan = self.post("--as", "gemeente", PLAN)
        first = self.post("--as", "marja", "--reply-to", plan, FIRST)
        second = self.post("--as", "kees", "--reply-to", first, SECOND)
        self.assertEqual(self.stored_on_buurt(), set())

        entries = json.loads(self.buurt.cli("thread", plan, "--json").stdout)
        shown = {e["id"]: e for e in entries}
        self.assertEqual(set(shown), {plan, first, second}, entries)
        self.assertEqual(shown[second]["in_reply_to"], first)
        self.assertIn(SECOND, shown[second]["content"])
        self.assertEqual(self.stored_on_buurt(), {plan, first, second})

        # town served its context collection (read by buurt, signed by buurt's instance actor).
        self.assertIn("/context", self.town.log_text())

        # A reply posted after that is picked up by the next opening once the thread's backfill
        # cooldown has passed; within it, opening the thread reads nothing again.
        third = self.post("--as", "marja", "--reply-to", second, "And after that?")
        again = json.loads(self.buurt.cli("thread", plan, "--json").stdout)
        self.assertNotIn(third, {e["id"] for e in again}, "within the cooldown nothing is read")


    def buurt_rows(self, query, *args):
        db_path = self.buurt.data_dir / "civicpub.db"
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10) as db:
            return db.execute(query, args).fetchall()

    def test_opening_a_remote_thread_page_backfills_it_in_the_background(self):
        # anna on buurt follows gemeente, so buurt gets the plan by delivery (no backfill).
        gemeente = f"{self.town.base_url}/users/gemeente"
        self.buurt.create_account("anna", type="person")
        self.buurt.cli("follow", "--as", "anna", gemeente)
        wait_until(lambda: self.buurt_rows(
            "SELECT 1 FROM follows f JOIN actors a ON a.id = f.target_id "
            "WHERE a.uri = ? AND f.state = 'accepted'", gemeente), timeout=30,
            message="gemeente accepts anna's follow")
        plan = self.post("--as", "gemeente", PLAN)
        rows = wait_until(lambda: self.buurt_rows("SELECT id FROM posts WHERE ap_id = ?", plan),
                          timeout=30, message="buurt receives the plan")
        # marja's reply on town is sent to nobody on buurt.
        first = self.post("--as", "marja", "--reply-to", plan, FIRST)
        self.assertEqual(self.buurt_rows("SELECT 1 FROM posts WHERE ap_id = ?", first), [])

        page = self.buurt.get(f"/remote/{rows[0][0]}", headers={"Accept": "text/html"})
        self.assertEqual(page.status, 200, page)
        self.assertIn(PLAN, page.text)
        # The page answered at once; the backfill it started stores marja's reply.
        wait_until(lambda: self.buurt_rows("SELECT 1 FROM posts WHERE ap_id = ?", first),
                   timeout=30, message="buurt backfilled marja's reply after the page opened")

    def test_the_server_backfills_active_threads_soon_after_start(self):
        gemeente = f"{self.town.base_url}/users/gemeente"
        self.buurt.create_account("anna", type="person")
        self.buurt.cli("follow", "--as", "anna", gemeente)
        wait_until(lambda: self.buurt_rows(
            "SELECT 1 FROM follows f JOIN actors a ON a.id = f.target_id "
            "WHERE a.uri = ? AND f.state = 'accepted'", gemeente), timeout=30,
            message="gemeente accepts anna's follow")
        plan = self.post("--as", "gemeente", PLAN)
        wait_until(lambda: self.buurt_rows("SELECT 1 FROM posts WHERE ap_id = ?", plan),
                   timeout=30, message="buurt receives the plan")
        first = self.post("--as", "marja", "--reply-to", plan, FIRST)
        self.assertEqual(self.buurt_rows("SELECT 1 FROM posts WHERE ap_id = ?", first), [])
        # Nobody opens anything: buurt restarts, and its backfill timer's first round (five
        # seconds after start, then every backfill_interval_minutes) completes the active thread.
        self.buurt.stop()
        config = self.buurt.config_path.read_text()
        turned_on = config.replace("backfill_interval_minutes = 0", "backfill_interval_minutes = 60")
        self.assertNotEqual(turned_on, config)
        self.buurt.config_path.write_text(turned_on)
        self.buurt.start()
        wait_until(lambda: self.buurt_rows("SELECT 1 FROM posts WHERE ap_id = ?", first),
                   timeout=40, message="buurt's timer backfilled marja's reply")
        # The round logs its count after it stored the post: wait for the line too.
        wait_until(lambda: "backfill: 1 post(s) fetched" in self.buurt.log_text(), timeout=40,
                   message="buurt's backfill round logged the post it fetched")


if __name__ == "__main__":
    unittest.main()
