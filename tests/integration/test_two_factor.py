"""The TOTP second factor of a login (issue 13) against a real civicpub process.

`civicpub account 2fa enable NAME` prints an otpauth:// URI and the key; the codes here are
computed independently of liboath (RFC 6238 with the standard library). With a second factor the
password grant is refused with invalid_grant (Mastodon's answer), the consent page asks for the
code, refuses a missing, wrong or replayed code, accepts the previous step's code (clock drift),
throttles wrong codes like wrong passwords, and `account 2fa disable` turns it off again.
"""

import base64
import hashlib
import hmac
import html.parser
import struct
import time
import unittest
import urllib.parse

from harness import Instance, wait_until

PASSWORD = "correct horse battery"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def totp(secret_base32, step):
    """RFC 6238 (RFC 4226 truncation), SHA-1, 6 digits, for time step `step`."""
    key = base64.b32decode(secret_base32 + "=" * (-len(secret_base32) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def settled_step():
    """The current time step, once at least 3 s remain before the next (so a code computed now
    is still the server's current one when it arrives)."""
    wait_until(lambda: time.time() % 30 < 27, timeout=60, interval=0.2,
               message="a time step with 3 s left")
    return int(time.time()) // 30


class HiddenFields(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields, self.forms, self.inputs = {}, 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms += 1
        if tag == "input" and self.forms == 1:
            self.inputs.append(attrs.get("name"))
            if attrs.get("type") == "hidden":
                self.fields[attrs["name"]] = attrs.get("value", "")


class TwoFactorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.town = Instance("twofactor")
        cls.town.init()
        for name in ("clerk", "guard", "plain"):
            cls.town.cli("account", "create", "--username", name, "--email",
                         f"{name}@town.example", "--password-stdin", input=PASSWORD + "\n")
        cls.town.start()
        res = cls.town.request("POST", "/api/v1/apps", urllib.parse.urlencode({
            "client_name": "2fa-test", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
            "scopes": "read write"}), FORM)
        assert res.status == 200, res
        cls.app = res.json()

    @classmethod
    def tearDownClass(cls):
        cls.town.stop()
        cls.town.cleanup()

    def enable(self, name):
        out = self.town.cli("account", "2fa", "enable", name).stdout
        uri = next(line.split(": ", 1)[1] for line in out.splitlines()
                   if line.startswith("otpauth URI: "))
        secret = next(line.split(": ", 1)[1] for line in out.splitlines()
                      if line.startswith("secret: "))
        parsed = urllib.parse.urlsplit(uri)
        self.assertEqual((parsed.scheme, parsed.netloc), ("otpauth", "totp"))
        query = urllib.parse.parse_qs(parsed.query)
        self.assertEqual(query["secret"], [secret])
        self.assertEqual(query["digits"], ["6"])
        self.assertEqual(query["period"], ["30"])
        self.assertTrue(urllib.parse.unquote(parsed.path).endswith(":" + name), uri)
        self.assertGreaterEqual(len(base64.b32decode(secret + "=" * (-len(secret) % 8))), 20)
        return secret

    def password_grant(self, name):
        return self.town.request("POST", "/oauth/token", urllib.parse.urlencode({
            "grant_type": "password", "username": f"{name}@town.example", "password": PASSWORD,
            "client_id": self.app["client_id"], "client_secret": self.app["client_secret"],
            "scope": "read"}), FORM)

    def consent(self, name, otp=None):
        query = urllib.parse.urlencode({
            "client_id": self.app["client_id"], "redirect_uri": "urn:ietf:wg:oauth:2.0:oob",
            "response_type": "code", "scope": "read"})
        page = self.town.get("/oauth/authorize?" + query)
        parser = HiddenFields()
        parser.feed(page.text)
        self.assertIn("otp", parser.inputs)  # the page asks for the code
        fields = dict(parser.fields, login=name, password=PASSWORD, decision="allow")
        if otp is not None:
            fields["otp"] = otp
        return self.town.request("POST", "/oauth/authorize", urllib.parse.urlencode(fields), FORM)

    def test_password_grant_is_refused_and_the_consent_page_needs_a_fresh_code(self):
        self.assertEqual(self.password_grant("clerk").status, 200)
        secret = self.enable("clerk")
        refused = self.password_grant("clerk")
        self.assertEqual(refused.status, 400, refused)
        self.assertEqual(refused.json()["error"], "invalid_grant")
        self.assertEqual(self.password_grant("plain").status, 200)  # others are unaffected

        missing = self.consent("clerk")
        self.assertEqual(missing.status, 401, missing)
        self.assertIn("Enter the code", missing.text)
        self.assertNotIn('id="code"', missing.text)
        # The previous step's code is accepted (clocks drift by a step), once.
        step = settled_step()
        earlier = self.consent("clerk", totp(secret, step - 1))
        self.assertEqual(earlier.status, 200, earlier)
        self.assertIn('id="code"', earlier.text)
        current = totp(secret, settled_step())
        accepted = self.consent("clerk", current)
        self.assertEqual(accepted.status, 200, accepted)
        self.assertIn('id="code"', accepted.text)
        replayed = self.consent("clerk", current)
        self.assertEqual(replayed.status, 401, replayed)
        self.assertIn("already used", replayed.text)
        # A step before the last accepted one never works again.
        self.assertEqual(self.consent("clerk", totp(secret, step - 1)).status, 401)

        self.town.cli("account", "2fa", "disable", "clerk")
        self.assertEqual(self.password_grant("clerk").status, 200)
        again = self.town.cli("account", "2fa", "disable", "clerk", check=False)
        self.assertEqual(again.returncode, 1)
        self.assertEqual(self.town.cli("account", "2fa", "enable", "nobody",
                                       check=False).returncode, 1)

    def test_wrong_codes_are_throttled_like_passwords(self):
        secret = self.enable("guard")
        step = settled_step()
        good = {totp(secret, s) for s in range(step - 1, step + 4)}
        wrong = next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in good)
        for _ in range(5):
            self.assertEqual(self.consent("guard", wrong).status, 401)
        throttled = self.consent("guard", totp(secret, settled_step()))
        self.assertEqual(throttled.status, 429, throttled)
        self.assertIn("Too many", throttled.text)


if __name__ == "__main__":
    unittest.main()
