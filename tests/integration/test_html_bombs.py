"""HTML bombs against the real server (issue 11, item 1).

A hostile server (hostile_peer.py on 127.0.0.3) serves an actor whose `summary` is markup that
makes an HTML5 parser build millions of elements from 37 KB: 2,047 unclosed <b>s with distinct
attributes inside a paragraph, then 2,047 "<p>a" (each re-opens every <b>). It sends four signed
Creates at once whose content is the same markup. Unbounded, one parse took 11.7 s and 2.3 GB.
The server must refuse the markup (keeping its text), stay small, and keep answering /healthz.
"""

import os
import sqlite3
import threading
import unittest
import uuid

from harness import Instance, wait_until
from hostile_peer import HostilePeer

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
# The server's peak resident memory after the attack. Unbounded, one bomb took 2.3 GB. Under
# the sanitizer build (CIVICPUB_SANITIZE=1 scripts/test) ASan's shadow memory and redzones add to
# every allocation (its documentation says about 3x memory): there the bound is twice as high;
# the Debug run checks the real one.
MAX_PEAK_KB = 400 * 1024 * (2 if os.environ.get("CIVICPUB_SANITIZE") == "1" else 1)


def bomb(n=2047):
    return "<p>" + "".join(f"<b x=1 y{k}=1>" for k in range(n)) + "<p>a" * n


class HealthPoller:
    """Asks /healthz over and over until stopped, remembering every failure."""

    def __init__(self, instance):
        self.instance = instance
        self.answers = 0
        self.failures = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        while not self.stopped.is_set():
            try:
                status = self.instance.request("GET", "/healthz", timeout=30).status
                if status == 200:
                    self.answers += 1
                else:
                    self.failures.append(status)
            except Exception as e:  # noqa: BLE001 - a refused or timed-out request is a failure
                self.failures.append(repr(e))

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join(timeout=60)


class HtmlBombs(unittest.TestCase):
    def setUp(self):
        self.town = Instance("town")
        self.addCleanup(self.town.cleanup)
        self.addCleanup(self.town.stop)
        self.town.init()
        self.gemeente = self.town.create_account("gemeente", type="organization")
        self.town.start()
        self.peer = HostilePeer("127.0.0.3")
        self.addCleanup(self.peer.close)

    def rows(self, query, *args):
        db_path = self.town.data_dir / "civicpub.db"
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10) as db:
            return db.execute(query, args).fetchall()

    def peak_kb(self):
        with open(f"/proc/{self.town.process.pid}/status", encoding="ascii") as f:
            status = f.read()
        return int(next(line for line in status.splitlines()
                        if line.startswith("VmHWM:")).split()[1])

    def create(self, actor, content):
        note_id = f"{self.peer.base_url}/notes/{uuid.uuid4()}"
        activity = {
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": f"{note_id}/activity", "type": "Create", "actor": actor,
            "to": [self.gemeente], "cc": [PUBLIC],
            "object": {"id": note_id, "type": "Note", "attributedTo": actor,
                       "to": [self.gemeente], "cc": [PUBLIC], "content": content,
                       "published": "2026-01-01T00:00:00Z"},
        }
        return note_id, activity

    def test_bomb_as_actor_summary_and_post_content_is_refused_while_serving(self):
        markup = bomb()
        actor = self.peer.actor("evil", summary=markup)
        creates = [self.create(actor, markup) for _ in range(4)]
        answers = []

        def send(activity):
            answers.append(self.peer.post_signed(
                f"{self.town.base_url}/users/gemeente/inbox", activity, f"{actor}#main-key"))

        with HealthPoller(self.town) as health:
            senders = [threading.Thread(target=send, args=(a,)) for _, a in creates]
            for s in senders:
                s.start()
            for s in senders:
                s.join(timeout=120)
            self.assertEqual(sorted(status for status, _ in answers), [202] * 4, answers)
            ids = {note_id for note_id, _ in creates}
            stored = wait_until(
                lambda: (rows := self.rows("SELECT ap_id, content_html FROM posts WHERE local = 0"))
                and {r[0] for r in rows} == ids and rows,
                timeout=120, message="the four posts stored")
            health.stopped.set()

        self.assertEqual(health.failures, [], "/healthz failed during the attack")
        self.assertGreater(health.answers, 0)
        for _, content in stored:
            self.assertNotIn("<b", content)  # refused markup: its text only
            self.assertEqual(content.count("a"), 2047)
        [(summary,)] = self.rows("SELECT summary_html FROM actors WHERE uri = ?", actor)
        self.assertNotIn("<b", summary)
        self.assertEqual(summary.count("a"), 2047)
        peak = self.peak_kb()
        print(f"peak memory {peak} kB, /healthz answered {health.answers} times", flush=True)
        self.assertLess(peak, MAX_PEAK_KB)
        self.assertTrue(self.town.running)


if __name__ == "__main__":
    unittest.main()
