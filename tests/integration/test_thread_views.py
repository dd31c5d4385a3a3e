"""Thread views (issue 4 item 6) against a real civicpub process: `civicpub thread`, the thread
page, the account page and its Atom feed.

Replies from other servers need the inbox; here the reply is a second local post linked to the
first in the SQLite file, which is all the thread views read.
"""

import json
import sqlite3
import unittest
import xml.etree.ElementTree as ET

from harness import Instance

ATOM = "{http://www.w3.org/2005/Atom}"
BROWSER = {"Accept": "text/html"}


class ThreadViewsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.town = Instance("town")
        cls.town.init()
        cls.town.create_account("gemeente", type="organization", display_name="Gemeente")
        cls.root = cls.post("Plan for the park & the <square>")
        cls.reply = cls.post("Agreed, see you there")
        with sqlite3.connect(cls.town.data_dir / "civicpub.db") as conn:
            conn.execute("UPDATE posts SET in_reply_to = ?, thread_root = ? WHERE ap_id = ?",
                         (cls.root, cls.root, cls.reply))
            [(cls.root_page,)] = conn.execute("SELECT url FROM posts WHERE ap_id = ?",
                                              (cls.root,)).fetchall()
        cls.town.start()

    @classmethod
    def tearDownClass(cls):
        cls.town.cleanup()

    @classmethod
    def post(cls, text):
        result = cls.town.cli("post", "--as", "gemeente", text)
        return result.stdout.strip().splitlines()[-1]

    def test_thread_text_lists_the_parent_then_the_post(self):
        result = self.town.cli("thread", self.reply)
        lines = result.stdout.splitlines()
        self.assertEqual(len(lines), 2, result.stdout)
        handle = f"@gemeente@{self.town.host}"
        self.assertTrue(lines[0].startswith(f"  {handle}  "), lines[0])
        self.assertIn("public  Plan for the park & the <square>", lines[0])
        self.assertTrue(lines[1].startswith(f">   {handle}  "), lines[1])
        self.assertTrue(lines[1].endswith(self.reply), lines[1])

    def test_thread_json_by_page_url(self):
        result = self.town.cli("thread", "--json", self.root_page)
        items = json.loads(result.stdout)
        self.assertEqual([item["id"] for item in items], [self.root, self.reply])
        self.assertIsNone(items[0]["in_reply_to"])
        self.assertEqual(items[1]["in_reply_to"], self.root)
        self.assertEqual(items[0]["author"], f"{self.town.base_url}/users/gemeente")
        self.assertIn("&amp; the &lt;square&gt;", items[0]["content"])
        self.assertRegex(items[0]["published"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")

    def test_unknown_post_is_one_line_and_exit_1(self):
        # Not stored and not fetchable (nothing listens on port 9): one reason line, exit 1. The
        # harness logs at debug level, so the fetch's own log lines come before it.
        result = self.town.cli("thread", "https://127.0.0.1:9/nothing", check=False)
        self.assertEqual(result.returncode, 1)
        reasons = [l for l in result.stderr.splitlines() if l.startswith("thread: ")]
        self.assertEqual(len(reasons), 1, result.stderr)
        self.assertIn("https://127.0.0.1:9/nothing", reasons[0])
        self.assertIn("fetching it failed", reasons[0])

    def test_thread_page_shows_root_and_reply(self):
        res = self.town.get(self.reply.removeprefix(self.town.base_url), headers=BROWSER)
        self.assertEqual(res.status, 200)
        page = res.text
        self.assertIn("Plan for the park &amp; the &lt;square&gt;", page)
        self.assertIn("Agreed, see you there", page)
        self.assertLess(page.index("Plan for the park"), page.index('id="current"'))
        self.assertIn('<ol class="replies">', page)

    def test_atom_feed_is_well_formed_and_linked(self):
        res = self.town.get("/users/gemeente/feed.atom")
        self.assertEqual(res.status, 200)
        self.assertEqual(res.headers["content-type"], "application/atom+xml; charset=utf-8")
        feed = ET.fromstring(res.body)
        self.assertEqual(feed.tag, f"{ATOM}feed")
        entries = feed.findall(f"{ATOM}entry")
        self.assertEqual([e.findtext(f"{ATOM}id") for e in entries], [self.reply, self.root])
        content = entries[1].find(f"{ATOM}content")
        self.assertEqual(content.get("type"), "html")
        self.assertIn("&amp; the &lt;square&gt;", content.text)
        self.assertEqual(entries[1].findtext(f"{ATOM}title"), "Plan for the park & the <square>")
        for entry in entries:
            for name in ("published", "updated", "title"):
                self.assertTrue(entry.findtext(f"{ATOM}{name}"), name)
            self.assertTrue(entry.find(f"{ATOM}link").get("href").startswith(self.town.base_url))

        profile = self.town.get("/@gemeente", headers=BROWSER).text
        self.assertIn('<link rel="alternate" type="application/atom+xml" '
                      f'href="{self.town.base_url}/users/gemeente/feed.atom">', profile)


if __name__ == "__main__":
    unittest.main()
