"""update_credentials and status history (issue 13) against a real civicpub process.

PATCH /api/v1/accounts/update_credentials sets display_name, note, locked, bot, discoverable,
profile fields and the posting defaults of `source`; verify_credentials reflects them, the actor
document federates the fields (PropertyValue) and the bot type (Service), and bad values are
refused with 422 without changing anything. GET /api/v1/statuses/:id/history lists every version
of an edited status, oldest first.
"""

import json
import unittest
import urllib.parse

from harness import Instance

PASSWORD = "correct horse battery"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class ProfileApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.town = Instance("profileapi")
        cls.town.init()
        cls.town.cli("account", "create", "--username", "clerk", "--email", "clerk@town.example",
                     "--password-stdin", input=PASSWORD + "\n")
        cls.town.start()
        cls.auth = cls.town.bearer("clerk", PASSWORD, client_name="profile-test")

    @classmethod
    def tearDownClass(cls):
        cls.town.stop()
        cls.town.cleanup()

    def patch(self, fields):
        return self.town.request("PATCH", "/api/v1/accounts/update_credentials",
                                 urllib.parse.urlencode(fields), dict(FORM, **self.auth))

    def me(self):
        res = self.town.get("/api/v1/accounts/verify_credentials", self.auth)
        self.assertEqual(res.status, 200, res)
        return res.json()

    def preferences(self):
        res = self.town.get("/api/v1/preferences", self.auth)
        self.assertEqual(res.status, 200, res)
        return res.json()

    def test_update_credentials_round_trip(self):
        defaults = self.preferences()
        self.assertEqual((defaults["posting:default:visibility"],
                          defaults["posting:default:sensitive"],
                          defaults["posting:default:language"]), ("public", False, None))
        res = self.patch({
            "display_name": "Town clerk", "note": "Ask me about permits", "locked": "true",
            "bot": "true", "discoverable": "false",
            "fields_attributes[0][name]": "Website",
            "fields_attributes[0][value]": "https://town.example/permits",
            "fields_attributes[1][name]": "Office", "fields_attributes[1][value]": "Town hall",
            "source[privacy]": "unlisted", "source[sensitive]": "true",
            "source[language]": "nl"})
        self.assertEqual(res.status, 200, res)
        for account in (res.json(), self.me()):
            self.assertEqual(account["display_name"], "Town clerk")
            self.assertEqual((account["locked"], account["bot"], account["discoverable"]),
                             (True, True, False))
            self.assertEqual([f["name"] for f in account["fields"]], ["Website", "Office"])
            self.assertIn('href="https://town.example/permits"', account["fields"][0]["value"])
            self.assertIsNone(account["fields"][0]["verified_at"])
            source = account["source"]
            self.assertEqual((source["privacy"], source["sensitive"], source["language"]),
                             ("unlisted", True, "nl"))
            self.assertEqual(source["note"], "Ask me about permits")
            self.assertEqual(source["fields"][0],
                             {"name": "Website", "value": "https://town.example/permits"})
        # A status without a visibility or language gets the defaults; one with them keeps its own.
        plain = self.town.request("POST", "/api/v1/statuses", {"status": "by default"}, self.auth)
        self.assertEqual((plain.json()["visibility"], plain.json()["language"]), ("unlisted", "nl"))
        chosen = self.town.request("POST", "/api/v1/statuses", {
            "status": "on purpose", "visibility": "public", "language": "en"}, self.auth)
        self.assertEqual((chosen.json()["visibility"], chosen.json()["language"]),
                         ("public", "en"))
        preferences = self.preferences()
        self.assertEqual((preferences["posting:default:visibility"],
                          preferences["posting:default:sensitive"],
                          preferences["posting:default:language"]), ("unlisted", True, "nl"))
        actor = self.town.get("/users/clerk", {"Accept": "application/activity+json"}).json()
        self.assertEqual(actor["type"], "Service")
        self.assertEqual([(a["type"], a["name"]) for a in actor.get("attachment", [])],
                         [("PropertyValue", "Website"), ("PropertyValue", "Office")])

        # Refusals change nothing.
        for bad in ({"source[privacy]": "secret"}, {"source[language]": "not a language"},
                    {"fields_attributes[0][name]": "x" * 256},
                    {"display_name": "y" * 31}):
            refused = self.patch(dict(bad, note="never stored"))
            self.assertEqual(refused.status, 422, (bad, refused))
            self.assertIn("error", refused.json())
        after = self.me()
        self.assertEqual(after["source"]["privacy"], "unlisted")
        self.assertEqual(after["source"]["note"], "Ask me about permits")
        self.assertEqual(len(after["fields"]), 2)

        # Only what is sent changes; bot=false makes the Service a Person again; an empty
        # fields_attributes clears the fields.
        res = self.patch({"bot": "false", "source[sensitive]": "false", "fields_attributes": ""})
        self.assertEqual(res.status, 200, res)
        account = self.me()
        self.assertEqual((account["bot"], account["fields"], account["source"]["fields"]),
                         (False, [], []))
        self.assertEqual((account["source"]["privacy"], account["source"]["sensitive"]),
                         ("unlisted", False))
        self.assertEqual(account["display_name"], "Town clerk")
        actor = self.town.get("/users/clerk", {"Accept": "application/activity+json"}).json()
        self.assertEqual(actor["type"], "Person")

    def test_history_lists_every_version(self):
        res = self.town.request("POST", "/api/v1/statuses", {"status": "first words"}, self.auth)
        self.assertEqual(res.status, 200, res)
        status = res.json()
        history = self.town.get(f"/api/v1/statuses/{status['id']}/history", self.auth).json()
        self.assertEqual(len(history), 1)
        for text in ("second words", "third words"):
            res = self.town.request("PUT", f"/api/v1/statuses/{status['id']}", {"status": text},
                                    self.auth)
            self.assertEqual(res.status, 200, res)
        history = self.town.get(f"/api/v1/statuses/{status['id']}/history", self.auth).json()
        contents = [h["content"] for h in history]
        self.assertEqual(len(contents), 3, contents)
        for content, text in zip(contents, ("first words", "second words", "third words")):
            self.assertIn(text, content)
        stamps = [h["created_at"] for h in history]
        self.assertEqual(stamps, sorted(stamps))
        self.assertTrue(all(h["account"]["username"] == "clerk" for h in history))
        # Anyone who may see the status may read its history; an unknown one is 404.
        self.assertEqual(self.town.get(f"/api/v1/statuses/{status['id']}/history").status, 200)
        self.assertEqual(self.town.get("/api/v1/statuses/999999/history", self.auth).status, 404)


if __name__ == "__main__":
    unittest.main()
