"""Documents served again from the document cache (issue 15, server/http/document_cache.hpp)
are never older than the last commit, whoever made it. A change through the server itself (the
client API) shows on the very next read. The other changes here come from `civicpub` commands,
other processes writing the same database file while the server serves: those show within a
millisecond (storage/change_watch.hpp; tests/unit/storage/change_watch_test.cpp holds that bound
to a clock of its own), so these reads wait for them, with a deadline. The same holds for the
HTML pages of posts, threads and profiles, which the cache keeps for readers without a cookie."""

import json
import socket
import unittest
import urllib.parse

from harness import Instance, wait_until

AS2 = "application/activity+json"
PASSWORD = "correct horse battery staple 42"


class DocumentCacheTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.instance = Instance("doccache")
        cls.instance.init()
        cls.instance.create_account("anna", display_name="Anna")
        cls.instance.cli("account", "create", "--username", "clerk", "--email",
                         "clerk@town.example", "--password-stdin", input=PASSWORD + "\n")
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

    def eventually(self, read, expected, message):
        """Waits until `read()` equals `expected` (another process's commit, seen within a
        millisecond), and answers the last value read."""
        wait_until(lambda: read() == expected, timeout=20, message=message)
        return read()

    def test_an_edit_through_the_api_shows_on_the_very_next_read(self):
        auth = self.instance.bearer("clerk@town.example", PASSWORD, client_name="cache-test")
        res = self.instance.request("POST", "/api/v1/statuses",
                                    {"status": "Opening hours: nine to five."}, auth)
        self.assertEqual(res.status, 200, res)
        status = res.json()
        path = urllib.parse.urlsplit(status["uri"]).path
        for _ in range(3):  # built once, then from the cache
            self.assertIn("nine to five", self.keep_alive_gets(path, AS2, 1)[0][3].decode())
        for text in ("Opening hours: ten to four.", "Opening hours: eight to six."):
            res = self.instance.request("PUT", f"/api/v1/statuses/{status['id']}",
                                        {"status": text}, auth)
            self.assertEqual(res.status, 200, res)
            r = self.instance.get(path, headers={"Accept": AS2})
            self.assertIn(text, r.json()["content"])  # no wait: the server made the change

    def raw_get(self, request):
        """The whole answer to one raw request, read until the server closes the connection."""
        with socket.create_connection((self.instance.address, self.instance.port), 10) as s:
            s.sendall(request)
            chunks = []
            while chunk := s.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks)

    def test_http_1_0_and_closing_readers_get_whole_answers_from_the_cache_too(self):
        body = self.keep_alive_gets("/users/anna", AS2, 2)[1][3]  # the second from the cache
        host = self.instance.host
        for request in (f"GET /users/anna HTTP/1.0\r\nHost: {host}\r\nAccept: {AS2}\r\n\r\n",
                        f"GET /users/anna HTTP/1.1\r\nHost: {host}\r\nAccept: {AS2}\r\n"
                        "Connection: close\r\n\r\n"):
            answer = self.raw_get(request.encode())
            head, _, got = answer.partition(b"\r\n\r\n")
            self.assertTrue(head.startswith(request.split("\r\n")[0][-8:].encode() + b" 200"),
                            head)
            self.assertIn(f"content-length: {len(body)}".encode(), head.lower())
            self.assertEqual(got, body)

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

    def name(self):
        return self.actor()["name"]

    def test_a_profile_change_by_the_cli_shows(self):
        self.assertEqual(self.actor()["name"], "Anna")
        self.actor()  # now from the cache
        self.instance.cli("account", "update", "--username", "anna", "--display-name",
                          "Anna de Vries")
        self.eventually(self.name, "Anna de Vries", "the new name")
        self.instance.cli("account", "update", "--username", "anna", "--display-name", "Anna")
        self.eventually(self.name, "Anna", "the old name again")

    def test_an_edit_and_a_delete_by_the_cli_show(self):
        url = self.instance.cli("post", "--as", "anna", "First words.").stdout.split()[-1]
        path = urllib.parse.urlsplit(url).path
        for _ in range(3):
            r = self.instance.get(path, headers={"Accept": AS2})
            self.assertEqual(r.status, 200)
            self.assertIn("First words.", r.json()["content"])
        self.instance.cli("post", "edit", url, "Second thoughts.")

        def content():
            return "Second thoughts." in self.instance.get(path, headers={"Accept": AS2}).text
        self.eventually(content, True, "the edit")
        self.instance.cli("post", "delete", url)

        def status():
            return self.instance.get(path, headers={"Accept": AS2}).status
        self.eventually(status, 410, "the delete")
        r = self.instance.get(path, headers={"Accept": AS2})
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

    def page_shows(self, path, text):
        self.eventually(lambda: text in self.page(path), True, f"{text!r} on {path}")

    def test_a_thread_page_shows_a_new_reply(self):
        url = self.instance.cli("post", "--as", "anna", "Plan for the square.").stdout.split()[-1]
        path = urllib.parse.urlsplit(url).path
        pages = [path, "/@anna/" + path.rsplit("/", 1)[-1]]  # the note's URL and its short form
        for path in pages:
            answers = self.keep_alive_gets(path, "text/html", 3)  # built once, then cached
            self.assertEqual(len(set(answers)), 1)
            self.assertIn("Plan for the square.", self.page(path))
        self.instance.cli("post", "--as", "anna", "--reply-to", url, "Trees, please.")
        for path in pages:
            self.page_shows(path, "Trees, please.")
        self.instance.cli("post", "delete", url)
        for path in pages:
            self.eventually(lambda p=path: self.instance.get(
                p, headers={"Accept": "text/html"}).status, 410, f"{path} gone")

    def test_a_profile_page_shows_a_new_name(self):
        self.page("/@anna")
        self.assertIn("Anna", self.page("/@anna"))
        self.instance.cli("account", "update", "--username", "anna", "--display-name",
                          "Anna Bakker")
        self.page_shows("/@anna", "Anna Bakker")
        self.instance.cli("account", "update", "--username", "anna", "--display-name", "Anna")
        self.eventually(lambda: "Anna Bakker" in self.page("/@anna"), False, "the old name")


if __name__ == "__main__":
    unittest.main()
