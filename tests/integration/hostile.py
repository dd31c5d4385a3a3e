"""Loopback peers for the hardening tests (issue 11): a signing peer that serves its actor, and a
tarpit that accepts TCP connections and never answers. Distinct 127.0.0.x addresses are distinct
hosts to civicpub.
"""

import base64
import email.utils
import hashlib
import http.client
import http.server
import json
import socket
import threading

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from harness import free_port


class Tarpit:
    """Accepts connections on `address` and never sends a byte; holds every socket open."""

    def __init__(self, address="127.0.0.3"):
        self.address = address
        self.port = free_port(address)
        self.origin = f"http://{address}:{self.port}"
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind((address, self.port))
        self.listener.listen(512)
        self.accepted = []
        self.closed = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self.closed:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self):
        self.closed = True
        self.listener.close()
        for conn in self.accepted:
            conn.close()


class Peer:
    """A remote server with one actor: serves the actor document, records inbox POSTs, and signs
    POSTs (draft-cavage rsa-sha256 over (request-target) host date digest content-type)."""

    def __init__(self, address="127.0.0.2", username="anna"):
        self.address = address
        self.port = free_port(address)
        self.origin = f"http://{address}:{self.port}"
        self.actor = f"{self.origin}/users/{username}"
        self.key_id = f"{self.actor}#main-key"
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.public_pem = self.key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
        self.received = []
        peer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path.split("?")[0] == f"/users/{username}":
                    body = json.dumps(peer.actor_document()).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/activity+json")
                else:
                    body = b"{}"
                    self.send_response(404)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                peer.received.append(json.loads(self.rfile.read(length) or b"{}"))
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = http.server.ThreadingHTTPServer((address, self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def actor_document(self):
        return {
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": self.actor, "type": "Person", "preferredUsername": "anna",
            "inbox": f"{self.actor}/inbox", "outbox": f"{self.actor}/outbox",
            "followers": f"{self.actor}/followers",
            "publicKey": {"id": self.key_id, "owner": self.actor, "publicKeyPem": self.public_pem},
        }

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def signed_headers(key, key_id, host, path, body):
    """Draft-cavage headers for POST `path` to `host` with `body` (bytes), signed with `key`."""
    date = email.utils.formatdate(usegmt=True)
    digest = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
    content_type = "application/activity+json"
    signing = (f"(request-target): post {path}\nhost: {host}\ndate: {date}\n"
               f"digest: {digest}\ncontent-type: {content_type}")
    signature = base64.b64encode(
        key.sign(signing.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()
    return {
        "Host": host, "Date": date, "Digest": digest, "Content-Type": content_type,
        "Signature": (f'keyId="{key_id}",algorithm="rsa-sha256",'
                      f'headers="(request-target) host date digest content-type",'
                      f'signature="{signature}"'),
    }


def post_from(source_address, instance, path, body, headers, timeout=60):
    """POSTs from the loopback address `source_address`; returns (status, body text)."""
    conn = http.client.HTTPConnection(instance.address, instance.port, timeout=timeout,
                                      source_address=(source_address, 0))
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        conn.close()


def town_beside_peer_and_tarpit(test, federation_toml):
    """Starts the world of the stall tests for `test` (a unittest.TestCase), cleaned up with it:
    test.town (an instance with account gemeente and `federation_toml` under [federation]),
    test.peer (a signing peer on 127.0.0.2) and test.tarpit (on 127.0.0.3)."""
    from harness import Instance

    test.town = Instance("town", extra_toml="[federation]\n" + federation_toml)
    test.addCleanup(test.town.cleanup)
    test.town.init()
    test.town.create_account("gemeente", type="organization")
    test.tarpit = Tarpit("127.0.0.3")
    test.addCleanup(test.tarpit.close)
    test.peer = Peer("127.0.0.2")
    test.addCleanup(test.peer.close)
    test.town.start()
    test.addCleanup(test.town.stop)
