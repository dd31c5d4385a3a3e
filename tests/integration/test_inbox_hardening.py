"""Inbox hardening against the real binary (issue 11 items 2, 4, 6, 8).

A fake remote server on another loopback address (another host) serves an actor document and
records every request it gets, so "refused before any key fetch" is observed, not assumed. Each
attack is paired with a valid request that passes, so the tests can fail.
"""

import base64
import email.utils
import hashlib
import http.server
import json
import threading
import time
import unittest

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from harness import Instance, free_port, wait_until

REMOTE_HOST = "127.0.0.2"


class FakeRemote:
    """Serves actors at http://127.0.0.2:PORT/users/NAME (one RSA key) and records requests.

    Each attack signs as a new name, so its key is not cached and a fetch would be seen.
    """

    def __init__(self):
        self.port = free_port(REMOTE_HOST)
        self.origin = f"http://{REMOTE_HOST}:{self.port}"
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.requests = []
        remote = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                remote.requests.append(self.path)
                name = self.path.split("?")[0].removeprefix("/users/")
                if not self.path.startswith("/users/") or "/" in name:
                    self.send_response(404)
                    self.end_headers()
                    return
                body = json.dumps(remote.actor_document(remote.actor(name))).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/activity+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer((REMOTE_HOST, self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def actor(self, name):
        return f"{self.origin}/users/{name}"

    def fetches(self, name):
        return sum(1 for path in self.requests if path.startswith(f"/users/{name}"))

    def actor_document(self, actor):
        pem = self.key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
        return {
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": actor, "type": "Person", "preferredUsername": actor.rsplit("/", 1)[-1],
            "inbox": f"{actor}/inbox", "endpoints": {"sharedInbox": f"{self.origin}/inbox"},
            "publicKey": {"id": f"{actor}#main-key", "owner": actor,
                          "publicKeyPem": pem},
        }

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def sign(self, name, target, host, body, covered="(request-target) host date digest",
             date=None, digest=None):
        """Headers for a POST of `body` to `target`, signed (draft-cavage) for `host`."""
        date = date or email.utils.formatdate(usegmt=True)
        digest = digest or "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
        values = {"(request-target)": f"post {target}", "host": host, "date": date,
                  "digest": digest, "content-type": "application/activity+json"}
        signing_string = "\n".join(f"{name}: {values[name]}" for name in covered.split())
        signature = base64.b64encode(self.key.sign(
            signing_string.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()
        return {
            "Host": host, "Date": date, "Digest": digest,
            "Content-Type": "application/activity+json",
            "Signature": f'keyId="{self.actor(name)}#main-key",algorithm="rsa-sha256",'
                         f'headers="{covered}",signature="{signature}"',
        }


class InboxHardeningTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.remote = FakeRemote()
        cls.instance = Instance("inbox")
        cls.instance.init()
        cls.town = cls.instance.create_account("gemeente")
        cls.instance.start()

    @classmethod
    def tearDownClass(cls):
        code = cls.instance.stop()
        cls.instance.cleanup()
        cls.remote.close()
        assert code == 0, f"server exited with {code}"

    def follow(self, name, activity_id=None, extra=""):
        actor = self.remote.actor(name)
        activity_id = activity_id or f"{actor}/follows/1"
        return (f'{{"@context":"https://www.w3.org/ns/activitystreams","id":"{activity_id}",'
                f'"type":"Follow","actor":"{actor}","object":"{self.town}"{extra}}}').encode()

    def post(self, body, headers):
        return self.instance.request("POST", "/inbox", body=body, headers=headers)

    def signed(self, name, body, **kwargs):
        return self.remote.sign(name, "/inbox", kwargs.pop("host", self.instance.host), body,
                                **kwargs)

    def assert_refused_without_fetch(self, name, body, headers, status=401, reason=None):
        r = self.post(body, headers)
        self.assertEqual(r.status, status, r.text)
        if reason:
            self.assertIn(reason, r.json()["error"])
        self.assertEqual(self.remote.fetches(name), 0, f"the key of {name} was fetched")

    def test_a_valid_post_fetches_the_key_and_is_accepted(self):
        body = self.follow("valid")
        r = self.post(body, self.signed("valid", body))
        self.assertEqual(r.status, 202, r.text)
        self.assertGreaterEqual(self.remote.fetches("valid"), 1)

    def test_too_little_signed_is_refused_before_any_key_fetch(self):
        for n, covered in enumerate(("(request-target)", "(request-target) host date",
                                     "(request-target) date digest")):
            with self.subTest(covered=covered):
                name = f"weak{n}"
                body = self.follow(name)
                self.assert_refused_without_fetch(
                    name, body, self.signed(name, body, covered=covered),
                    reason="required header not signed")

    def test_stale_date_and_wrong_digest_are_refused_before_any_key_fetch(self):
        body = self.follow("stale")
        stale = email.utils.formatdate(time.time() - 3 * 3600, usegmt=True)
        self.assert_refused_without_fetch("stale", body, self.signed("stale", body, date=stale),
                                          reason="too old")
        body = self.follow("digest")
        wrong = "SHA-256=" + base64.b64encode(hashlib.sha256(b"other").digest()).decode()
        self.assert_refused_without_fetch("digest", body,
                                          self.signed("digest", body, digest=wrong),
                                          reason="digest mismatch")

    def test_a_post_signed_for_another_servers_host_is_refused_before_any_key_fetch(self):
        body = self.follow("replayed")
        self.assert_refused_without_fetch(
            "replayed", body, self.signed("replayed", body, host="other.example"),
            reason="another host")

    def test_an_activity_id_on_another_origin_than_its_actor_is_refused(self):
        # The id of a future activity of the town, or one on another port of mallory's host.
        for n, claimed in enumerate((f"{self.instance.base_url}/users/gemeente/statuses/1#delete",
                                     f"http://{REMOTE_HOST}:{self.remote.port + 1}/x")):
            with self.subTest(claimed=claimed):
                name = f"claimer{n}"
                body = self.follow(name, activity_id=claimed)
                r = self.post(body, self.signed(name, body))
                self.assertEqual(r.status, 400, r.text)
                self.assertIn("not on its actor's origin", r.json()["error"])

    def test_duplicate_json_keys_are_refused(self):
        body = self.follow("twice", extra=f',"object":"{self.instance.base_url}/actor"')
        r = self.post(body, self.signed("twice", body))
        self.assertEqual(r.status, 400, r.text)
        self.assertIn("duplicate", r.json()["error"])


if __name__ == "__main__":
    unittest.main()
