"""Documents served again from the document cache (issue 15, server/http/document_cache.hpp)
are never older than the last commit, whoever made it: here the changes come from `civicpub`
commands, other processes writing the same database file while the server serves, and every
read right after them must already show the change (no waiting). The same holds for the HTML
pages of posts, threads and profiles, which the cache keeps for readers without a cookie."""

import json
import unittest
import urllib.parse

from harness import Instance

AS2 = "application/activity+json"


class DocumentCacheTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.instance = Instance("doccache")
        cls.instance.init()
        cls.instance.create_account("anna", display_name="Anna")
        cls.instance.start()

    @classmethod
    def tearDownClass(cls):
        code = cls.instance.stop()
        cls.instance.cleanup()
        assert code == 0, f"server exited with {code}"

    def keep_alive_gets(self, path, accept, count):
        """`count` GETs on one keep-alive connection: the first may build the answer, the
        others are served from the cache; each must be a whole, well-framed answer."""
        conn = self.instance.connection()
        try:
            answers = []
            for _ in range(count):
                conn.request("GET", path, headers={"Accept": accept})
                response = conn.getresponse()
                answers.append((response.status, response.getheader("Content-Type"),
                                response.getheader("Vary"), response.read()))
            return answers
        finally:
            conn.close()

    def actor(self):
        r = self.instance.get("/users/anna", headers={"Accept": AS2})
        self.assertEqual(r.status, 200)
        return r.json()

    def test_repeated_reads_are_identical_and_well_framed(self):
        answers = self.keep_alive_gets("/users/anna", AS2, 5)
        self.assertEqual(len(set(answers)), 1, answers)
        status, content_type, vary, body = answers[0]
        self.assertEqual(status, 200)
        self.assertTrue(content_type.startswith("application/activity+json"))
        self.assertIn("Accept", vary)
        self.assertEqual(json.loads(body)["preferredUsername"], "anna")
        resource = f"acct:anna@{self.instance.host}"
        finger = self.keep_alive_gets(f"/.well-known/webfinger?resource={resource}",
                                      "application/jrd+json", 3)
        self.assertEqual(len(set(finger)), 1, finger)
        self.assertEqual(finger[0][0], 200)

    def test_a_profile_change_by_the_cli_shows_at_once(self):
        self.assertEqual(self.actor()["name"], "Anna")
        self.actor()  # now from the cache
        self.instance.cli("account", "update", "--username", "anna", "--display-name",
                          "Anna de Vries")
        self.assertEqual(self.actor()["name"], "Anna de Vries")
        self.instance.cli("account", "update", "--username", "anna", "--display-name", "Anna")
        self.assertEqual(self.actor()["name"], "Anna")

    def test_an_edit_and_a_delete_by_the_cli_show_at_once(self):
        url = self.instance.cli("post", "--as", "anna", "First words.").stdout.split()[-1]
        path = urllib.parse.urlsplit(url).path
        for _ in range(3):
            r = self.instance.get(path, headers={"Accept": AS2})
            self.assertEqual(r.status, 200)
            self.assertIn("First words.", r.json()["content"])
        self.instance.cli("post", "edit", url, "Second thoughts.")
        r = self.instance.get(path, headers={"Accept": AS2})
        self.assertIn("Second thoughts.", r.json()["content"])
        self.instance.cli("post", "delete", url)
        r = self.instance.get(path, headers={"Accept": AS2})
        self.assertEqual(r.status, 410)
        self.assertEqual(r.json()["type"], "Tombstone")

    def test_the_html_twin_is_never_taken_from_the_json_answer(self):
        self.actor()
        self.actor()
        r = self.instance.get("/users/anna", headers={"Accept": "text/html"})
        self.assertEqual(r.status, 200)
        self.assertTrue(r.headers["content-type"].startswith("text/html"))
        self.assertIn(b"<html", r.body)

    def page(self, path):
        r = self.instance.get(path, headers={"Accept": "text/html"})
        self.assertEqual(r.status, 200)
        self.assertTrue(r.headers["content-type"].startswith("text/html"))
        self.assertIsNone(r.headers.get("set-cookie"))
        return r.body.decode()

    def test_a_thread_page_shows_a_new_reply_at_once(self):
        url = self.instance.cli("post", "--as", "anna", "Plan for the square.").stdout.split()[-1]
        path = urllib.parse.urlsplit(url).path
        pages = [path, "/@anna/" + path.rsplit("/", 1)[-1]]  # the note's URL and its short form
        for path in pages:
            answers = self.keep_alive_gets(path, "text/html", 3)  # built once, then cached
            self.assertEqual(len(set(answers)), 1)
            self.assertIn("Plan for the square.", self.page(path))
        self.instance.cli("post", "--as", "anna", "--reply-to", url, "Trees, please.")
        for path in pages:
            self.assertIn("Trees, please.", self.page(path))
        self.instance.cli("post", "delete", url)
        for path in pages:
            r = self.instance.get(path, headers={"Accept": "text/html"})
            self.assertEqual(r.status, 410)

    def test_a_profile_page_shows_a_new_name_at_once(self):
        self.page("/@anna")
        self.assertIn("Anna", self.page("/@anna"))
        self.instance.cli("account", "update", "--username", "anna", "--display-name",
                          "Anna Bakker")
        self.assertIn("Anna Bakker", self.page("/@anna"))
        self.instance.cli("account", "update", "--username", "anna", "--display-name", "Anna")
        self.assertNotIn("Anna Bakker", self.page("/@anna"))


if __name__ == "__main__":
    unittest.main()
