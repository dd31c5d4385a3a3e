"""The Mastodon client API (issue 13) against a real civicpub process.

Mastodon.py from Debian (python3-mastodon, run by /usr/bin/python3: scripts/lib/common.sh lists
it in TEST_PACKAGES) registers an app, logs in with the password grant, posts, replies, reads
timelines and a thread's context, deletes, and meets a wrong password, a revoked token and a
token without the write scope. toot (Debian's 0.34) logs in, posts, replies, reads timelines and
a thread, and deletes. The rest talks HTTP directly: the authorization code flow with
PKCE through the consent form, throttled logins, and the CLI that gives people passwords.
"""

import base64
import concurrent.futures
import hashlib
import json
import html.parser
import os
import pathlib
import shutil
import subprocess
import tempfile
import threading
import unittest
import urllib.parse

from harness import Instance, wait_until
from remote_stub import RemoteServer

SYSTEM_PYTHON = "/usr/bin/python3"
HERE = pathlib.Path(__file__).resolve().parent
PASSWORD = "correct horse battery"


def form(fields):
    return urllib.parse.urlencode(fields)


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class HiddenFields(html.parser.HTMLParser):
    """The first form's hidden inputs, as a browser would send them back."""

    def __init__(self):
        super().__init__()
        self.fields = {}
        self.forms = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms += 1
        if tag == "input" and attrs.get("type") == "hidden" and self.forms == 1:
            self.fields[attrs["name"]] = attrs.get("value", "")


class ClientApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.town = Instance("clientapi")
        cls.town.init()
        cls.town.cli("account", "create", "--username", "clerk", "--email", "clerk@town.example",
                     "--password-stdin", input=PASSWORD + "\n")
        cls.town.cli("account", "create", "--username", "mayor", "--type", "person")
        cls.town.start()

    @classmethod
    def tearDownClass(cls):
        cls.town.stop()
        cls.town.cleanup()

    def app(self, scopes="read write", redirect="urn:ietf:wg:oauth:2.0:oob"):
        res = self.town.request("POST", "/api/v1/apps", form(
            {"client_name": "it", "redirect_uris": redirect, "scopes": scopes}), FORM)
        self.assertEqual(res.status, 200, res)
        return res.json()

    def token(self, app, username, password, address_note=""):
        return self.town.request("POST", "/oauth/token", form({
            "grant_type": "password", "username": username, "password": password,
            "client_id": app["client_id"], "client_secret": app["client_secret"],
            "scope": "read write"}), FORM)

    def test_mastodon_py_flow(self):
        if not os.path.exists(SYSTEM_PYTHON):
            self.fail("/usr/bin/python3 is missing (Debian python3-mastodon is a test package)")
        check = subprocess.run([SYSTEM_PYTHON, "-c", "import mastodon"], capture_output=True)
        self.assertEqual(check.returncode, 0,
                         "python3-mastodon is not installed: " + check.stderr.decode())
        result = subprocess.run(
            [SYSTEM_PYTHON, str(HERE / "mastodon_py_flow.py"), self.town.base_url,
             "clerk@town.example", PASSWORD],
            capture_output=True, text=True, timeout=120)
        print(result.stdout)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("ALL OK", result.stdout)

    def test_mastodon_py_social_flow_with_a_remote_peer(self):
        """Mastodon.py follows a remote peer (a signed stub on 127.0.0.2) that followed us, sees
        the relationship, favourites a post, and reads the notification of the peer's reply."""
        with Instance("clientsocial") as town:
            town.init()
            town.cli("account", "create", "--username", "clerk", "--email", "clerk@town.example",
                     "--password-stdin", input=PASSWORD + "\n")
            town.start()
            peer_server = RemoteServer("127.0.0.2")
            self.addCleanup(peer_server.close)
            peer = peer_server.add_actor("anna")
            clerk = f"{town.base_url}/users/clerk"
            follow = {"@context": "https://www.w3.org/ns/activitystreams",
                      "id": f"{peer.id}#follows/1", "type": "Follow", "actor": peer.id,
                      "object": clerk}
            self.assertEqual(peer.signed_post(town, "/users/clerk/inbox", follow).status, 202)

            def social(*args):
                result = subprocess.run(
                    [SYSTEM_PYTHON, str(HERE / "mastodon_py_social.py"), town.base_url,
                     "clerk@town.example", PASSWORD, *args],
                    capture_output=True, text=True, timeout=120)
                print(result.stdout)
                self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
                self.assertIn("ALL OK", result.stdout)
                return result.stdout

            out = social("follow")
            status_id, status_uri = next(
                line.split()[1:] for line in out.splitlines() if line.startswith("STATUS "))
            # The Follow went out to the peer, as `civicpub follow` sends it.
            wait_until(lambda: any(b"\"Follow\"" in body for _, body in
                                   peer_server.posts_received()),
                       message="the Follow reached the peer")
            reply = {"@context": "https://www.w3.org/ns/activitystreams",
                     "id": f"{peer.id}/activities/1", "type": "Create", "actor": peer.id,
                     "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [clerk],
                     "object": {"id": f"{peer.id}/notes/1", "type": "Note",
                                "attributedTo": peer.id, "inReplyTo": status_uri,
                                "content": "<p>Will there be a cycle lane?</p>",
                                "published": "2026-12-06T10:00:00Z",
                                "to": ["https://www.w3.org/ns/activitystreams#Public"],
                                "cc": [clerk]}}
            self.assertEqual(peer.signed_post(town, "/users/clerk/inbox", reply).status, 202)
            social("reply", status_id)

    def test_toot_flow(self):
        """toot 0.34 from Debian: login_cli (password on stdin), whoami, post, reply, timelines,
        thread, delete."""
        self.assertTrue(os.path.exists("/usr/bin/toot"), "toot is a test package")
        home = tempfile.mkdtemp(prefix="civicpub-toot-")
        self.addCleanup(shutil.rmtree, home, True)
        env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=home + "/config")

        def toot(*args, input=None):
            result = subprocess.run(["/usr/bin/toot", *args], input=input, capture_output=True,
                                    text=True, env=env, timeout=60)
            self.assertEqual(result.returncode, 0,
                             f"toot {' '.join(args)}: {result.stdout}{result.stderr}")
            return result.stdout

        out = toot("login_cli", "--instance", self.town.host, "--email", "clerk@town.example",
                   "--disable-https", input=PASSWORD + "\n")
        self.assertIn("Successfully logged in", out)
        self.assertIn("4.2.0 (compatible; civicpub", out)
        self.assertIn("@clerk", toot("whoami"))
        posted = toot("post", "Hello from toot, the bins go out on Tuesday")
        url = posted.strip().split()[-1]
        self.assertTrue(url.startswith(self.town.base_url + "/users/clerk/statuses/"), posted)
        token = json.loads(pathlib.Path(home, "config/toot/config.json").read_text())["users"]
        bearer = {"Authorization": "Bearer " + next(iter(token.values()))["access_token"]}
        home_timeline = self.town.get("/api/v1/timelines/home", headers=bearer).json()
        status_id = next(s["id"] for s in home_timeline if s["uri"] == url)
        toot("post", "--reply-to", status_id, "And the paper on Thursday")
        self.assertIn("bins go out on Tuesday", toot("timeline"))
        self.assertIn("bins go out on Tuesday", toot("timeline", "--public"))
        thread = toot("thread", status_id)
        self.assertIn("paper on Thursday", thread)
        toot("delete", status_id)
        self.assertEqual(self.town.get(f"/api/v1/statuses/{status_id}").status, 404)

    def test_password_cli_sets_and_replaces_a_password(self):
        app = self.app()
        self.assertEqual(self.token(app, "mayor", "anything at all").status, 400)
        short = self.town.cli("account", "password", "mayor", input="short\n", check=False)
        self.assertEqual(short.returncode, 1)
        self.assertIn("at least 8", short.stderr)
        self.town.cli("account", "password", "mayor", input="first password\n")
        self.assertEqual(self.token(app, "mayor", "first password").status, 200)
        self.town.cli("account", "password", "mayor", input="second password\n")
        self.assertEqual(self.token(app, "mayor", "first password").status, 400)
        self.assertEqual(self.token(app, "mayor", "second password").status, 200)
        missing = self.town.cli("account", "password", "nobody", input="whatever123\n",
                                check=False)
        self.assertEqual(missing.returncode, 1)

    def test_concurrent_posts_with_one_idempotency_key_post_once(self):
        token = self.token(self.app(), "clerk", PASSWORD).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        text = "posted once however often it is sent"
        barrier = threading.Barrier(6)

        def send(key):
            barrier.wait(timeout=60)
            return self.town.request("POST", "/api/v1/statuses", form({"status": text}),
                                     dict(FORM, **auth, **{"Idempotency-Key": key}), timeout=60)

        with concurrent.futures.ThreadPoolExecutor(6) as pool:
            answers = list(pool.map(send, ["race-1"] * 6))
        self.assertEqual([a.status for a in answers], [200] * 6, answers)
        self.assertEqual(len({a.json()["id"] for a in answers}), 1)
        me = self.town.get("/api/v1/accounts/verify_credentials", auth).json()["id"]
        statuses = self.town.get(f"/api/v1/accounts/{me}/statuses?limit=40", auth).json()
        self.assertEqual(sum(text in s["content"] for s in statuses), 1)
        # Another key is another post (the key decides, not the text).
        barrier = threading.Barrier(1)
        again = send("race-2")
        self.assertEqual(again.status, 200, again)
        self.assertNotEqual(again.json()["id"], answers[0].json()["id"])

    def test_logins_are_throttled(self):
        self.town.cli("account", "create", "--username", "target", "--email", "t@town.example",
                      "--password-stdin", input="the real one\n")
        app = self.app()
        for _ in range(5):
            self.assertEqual(self.token(app, "t@town.example", "guess").status, 400)
        throttled = self.token(app, "t@town.example", "the real one")
        self.assertEqual(throttled.status, 429, throttled)
        self.assertIn("error", throttled.json())

    def test_authorization_code_flow_with_pkce(self):
        redirect = "http://127.0.0.1:9/callback"
        app = self.app(redirect=redirect)
        verifier = base64.urlsafe_b64encode(os.urandom(40)).rstrip(b"=").decode()
        challenge = base64.urlsafe_b64encode(
            hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        query = form({"client_id": app["client_id"], "redirect_uri": redirect,
                      "response_type": "code", "scope": "read write", "state": "xyz",
                      "code_challenge": challenge, "code_challenge_method": "S256"})
        page = self.town.get("/oauth/authorize?" + query)
        self.assertEqual(page.status, 200, page)
        self.assertIn("text/html", page.headers["content-type"])
        self.assertIn("frame-ancestors 'none'", page.headers["content-security-policy"])
        parser = HiddenFields()
        parser.feed(page.text)
        fields = dict(parser.fields, login="clerk", password="wrong password")
        wrong = self.town.request("POST", "/oauth/authorize", form(fields), FORM)
        self.assertEqual(wrong.status, 401)
        self.assertIn("Wrong", wrong.text)
        fields["password"] = PASSWORD
        fields["decision"] = "allow"
        answer = self.town.request("POST", "/oauth/authorize", form(fields), FORM)
        self.assertEqual(answer.status, 302, answer)
        location = urllib.parse.urlsplit(answer.headers["location"])
        self.assertEqual(f"{location.scheme}://{location.netloc}{location.path}", redirect)
        params = urllib.parse.parse_qs(location.query)
        self.assertEqual(params["state"], ["xyz"])
        code = params["code"][0]
        exchange = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect,
                    "client_id": app["client_id"], "client_secret": app["client_secret"]}
        bad = self.town.request("POST", "/oauth/token",
                                form(dict(exchange, code_verifier="x" * 43)), FORM)
        self.assertEqual(bad.status, 400)  # and the code is spent
        self.assertEqual(
            self.town.request("POST", "/oauth/token",
                              form(dict(exchange, code_verifier=verifier)), FORM).status, 400)
        # A fresh code with the right verifier.
        answer = self.town.request("POST", "/oauth/authorize", form(fields), FORM)
        code = urllib.parse.parse_qs(
            urllib.parse.urlsplit(answer.headers["location"]).query)["code"][0]
        good = self.town.request("POST", "/oauth/token", form(
            dict(exchange, code=code, code_verifier=verifier)), FORM)
        self.assertEqual(good.status, 200, good)
        token = good.json()["access_token"]
        me = self.town.get("/api/v1/accounts/verify_credentials",
                           headers={"Authorization": f"Bearer {token}"})
        self.assertEqual(me.status, 200, me)
        self.assertEqual(me.json()["username"], "clerk")

    def test_out_of_band_code_is_shown(self):
        app = self.app()
        query = form({"client_id": app["client_id"], "redirect_uri": "urn:ietf:wg:oauth:2.0:oob",
                      "response_type": "code", "scope": "read"})
        parser = HiddenFields()
        parser.feed(self.town.get("/oauth/authorize?" + query).text)
        shown = self.town.request("POST", "/oauth/authorize", form(
            dict(parser.fields, login="clerk@town.example", password=PASSWORD)), FORM)
        self.assertEqual(shown.status, 200, shown)
        self.assertIn('id="code"', shown.text)

    def test_unregistered_redirect_is_refused_without_redirecting(self):
        app = self.app(redirect="http://127.0.0.1:9/callback")
        query = form({"client_id": app["client_id"], "redirect_uri": "http://evil.example/",
                      "response_type": "code"})
        res = self.town.get("/oauth/authorize?" + query)
        self.assertEqual(res.status, 400)
        self.assertNotIn("location", res.headers)

    def consent(self, app, login, password, act_as="", scope="read write"):
        query = form({"client_id": app["client_id"], "redirect_uri": "urn:ietf:wg:oauth:2.0:oob",
                      "response_type": "code", "scope": scope})
        parser = HiddenFields()
        parser.feed(self.town.get("/oauth/authorize?" + query).text)
        return self.town.request("POST", "/oauth/authorize", form(
            dict(parser.fields, login=login, password=password, act_as=act_as)), FORM)

    def test_staff_post_as_the_organisation_and_show_in_audit(self):
        self.town.cli("account", "create", "--username", "gemeente", "--type", "organization")
        self.town.cli("account", "create", "--username", "comms", "--email", "comms@town.example",
                      "--password-stdin", input="comms password\n")
        app = self.app()
        # Without a grant: refused (403), no code.
        refused = self.consent(app, "comms", "comms password", act_as="gemeente")
        self.assertEqual(refused.status, 403, refused)
        self.assertNotIn('id="code"', refused.text)
        self.town.cli("account", "grant", "--staff", "comms", "--account", "gemeente")
        shown = self.consent(app, "comms", "comms password", act_as="gemeente")
        self.assertEqual(shown.status, 200, shown)
        code = shown.text.split('<code id="code">')[1].split("</code>")[0]
        token = self.town.request("POST", "/oauth/token", form({
            "grant_type": "authorization_code", "code": code,
            "redirect_uri": "urn:ietf:wg:oauth:2.0:oob", "client_id": app["client_id"],
            "client_secret": app["client_secret"]}), FORM)
        self.assertEqual(token.status, 200, token)
        bearer = {"Authorization": "Bearer " + token.json()["access_token"]}
        me = self.town.get("/api/v1/accounts/verify_credentials", headers=bearer).json()
        self.assertEqual(me["username"], "gemeente")
        posted = self.town.request("POST", "/api/v1/statuses", {"status": "Council meets tonight"},
                                   bearer)
        self.assertEqual(posted.status, 200, posted)
        status = posted.json()
        self.assertEqual(status["account"]["username"], "gemeente")
        # Nothing about the staff member in what federation sees.
        note = self.town.get(urllib.parse.urlsplit(status["uri"]).path,
                             headers={"Accept": "application/activity+json"})
        self.assertEqual(note.status, 200, note)
        self.assertNotIn("comms", note.text)
        audit = self.town.cli("audit", "--account", "gemeente").stdout.splitlines()
        self.assertEqual(len(audit), 1, audit)
        fields = audit[0].split("\t")
        self.assertEqual(fields[1:5], ["@gemeente", "@comms", "post", status["uri"]])
        # The grant taken away: the token stops working.
        self.town.cli("account", "revoke", "--staff", "comms", "--account", "gemeente")
        self.assertEqual(
            self.town.get("/api/v1/accounts/verify_credentials", headers=bearer).status, 401)

    def test_metadata_and_startup_endpoints(self):
        meta = self.town.get("/.well-known/oauth-authorization-server").json()
        self.assertEqual(meta["token_endpoint"], self.town.base_url + "/oauth/token")
        self.assertIn("S256", meta["code_challenge_methods_supported"])
        for path in ("/api/v1/custom_emojis", "/api/v1/announcements", "/api/v1/trends/tags"):
            res = self.town.get(path)
            self.assertEqual((res.status, res.json()), (200, []), path)
        self.assertEqual(self.town.get("/api/v1/lists").status, 401)
        avatar = self.town.get("/avatars/original/missing.png")
        self.assertEqual(avatar.headers["content-type"], "image/png")


if __name__ == "__main__":
    unittest.main()
