"""civicpub's OAuth sign-in and consent page in a real browser (issue 13, point 6): Debian's
Chromium driven by the pinned playwright-core (consent_browser.mjs; never a downloaded browser),
with the pinned axe-core finding no WCAG 2.1 A/AA violation on the page as an app opens it, on
the same page with a wrong-password error, and on the out-of-band code page. A staff member
signs in, acts for the town's account, and the app redeems the code with its PKCE verifier: the
token then acts as the town."""

import base64
import hashlib
import json
import os
import pathlib
import shutil
import subprocess
import unittest
import urllib.parse

from harness import Instance

HERE = pathlib.Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
OOB = "urn:ietf:wg:oauth:2.0:oob"


class ConsentPageInBrowserTest(unittest.TestCase):
    def setUp(self):
        self.assertTrue(os.path.exists(CHROMIUM), "chromium is a test package (scripts/lib/common.sh)")
        self.assertTrue((HERE / "node_modules" / "playwright-core").is_dir(),
                        "run `npm ci` in tests/interop (scripts/test does)")
        self.town = Instance("consent-browser")
        self.addCleanup(self.town.cleanup)
        self.town.init()
        self.town.cli("account", "create", "--username", "gemeente", "--type", "organization")
        self.town.cli("account", "create", "--username", "comms", "--email", "comms@town.example",
                      "--password-stdin", input="comms password\n")
        self.town.cli("account", "grant", "--staff", "comms", "--account", "gemeente")
        self.town.start()

    def test_sign_in_act_as_and_code_page_are_accessible_and_work(self):
        app = self.town.request("POST", "/api/v1/apps", urllib.parse.urlencode({
            "client_name": "Browser test", "redirect_uris": OOB, "scopes": "read write"}),
            FORM).json()
        verifier = base64.urlsafe_b64encode(os.urandom(40)).rstrip(b"=").decode()
        challenge = base64.urlsafe_b64encode(
            hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        url = self.town.base_url + "/oauth/authorize?" + urllib.parse.urlencode({
            "client_id": app["client_id"], "redirect_uri": OOB, "response_type": "code",
            "scope": "read write", "code_challenge": challenge,
            "code_challenge_method": "S256"})
        env = dict(os.environ, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD="1")
        run = subprocess.run(
            [shutil.which("node") or "node", str(HERE / "consent_browser.mjs"), url,
             "comms@town.example", "comms password", "gemeente"],
            cwd=HERE, env=env, capture_output=True, text=True, timeout=240)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        result = json.loads(run.stdout.strip().splitlines()[-1])
        self.assertEqual(set(result["pages"]),
                         {"login_and_consent", "login_error", "out_of_band_code"})
        for page, violations in result["pages"].items():
            self.assertEqual(violations, [], f"WCAG 2.1 AA violations on {page}")

        token = self.town.request("POST", "/oauth/token", urllib.parse.urlencode({
            "grant_type": "authorization_code", "code": result["code"], "redirect_uri": OOB,
            "client_id": app["client_id"], "client_secret": app["client_secret"],
            "code_verifier": verifier}), FORM)
        self.assertEqual(token.status, 200, token)
        me = self.town.get("/api/v1/accounts/verify_credentials", headers={
            "Authorization": "Bearer " + token.json()["access_token"]})
        self.assertEqual(me.json()["username"], "gemeente")


if __name__ == "__main__":
    unittest.main()
