"""A hostile fediverse server for integration tests: serves the documents a test gives it and
sends draft-cavage signed POSTs with a real RSA key. Standard library and the openssl command.

    HostilePeer(host="127.0.0.3")         listening on host (any 127.0.0.0/8 address)
        .base_url .host
        .actor(username, **fields) -> actor id   serves a Person with this key, fields merged in
        .serve(path, document)                   serves any other JSON document
        .post_signed(url, activity, key_id) -> (status, body)
        .close()                                 / context manager
"""

import base64
import email.utils
import hashlib
import http.client
import http.server
import json
import pathlib
import subprocess
import tempfile
import threading
import urllib.parse

from harness import free_port


class HostilePeer:
    def __init__(self, host="127.0.0.3"):
        self.host = host
        self.port = free_port(host)
        self.base_url = f"http://{host}:{self.port}"
        self.directory = tempfile.TemporaryDirectory(prefix="civicpub-hostile-")
        self.key_path = pathlib.Path(self.directory.name) / "key.pem"
        subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt",
                        "rsa_keygen_bits:2048", "-out", str(self.key_path)],
                       check=True, capture_output=True)
        self.public_key_pem = subprocess.run(
            ["openssl", "pkey", "-in", str(self.key_path), "-pubout"],
            check=True, capture_output=True, text=True).stdout
        self.documents = {}
        self.server = http.server.ThreadingHTTPServer((host, self.port), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def _handler(self):
        peer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the name http.server calls
                document = peer.documents.get(urllib.parse.urlsplit(self.path).path)
                body = json.dumps(document).encode() if document is not None else b"{}"
                self.send_response(200 if document is not None else 404)
                self.send_header("Content-Type", "application/activity+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler

    def serve(self, path, document):
        self.documents[path] = document

    def actor(self, username, **fields):
        actor_id = f"{self.base_url}/users/{username}"
        document = {
            "@context": ["https://www.w3.org/ns/activitystreams",
                         "https://w3id.org/security/v1"],
            "id": actor_id, "type": "Person", "preferredUsername": username,
            "inbox": f"{actor_id}/inbox", "outbox": f"{actor_id}/outbox",
            "followers": f"{actor_id}/followers",
            "publicKey": {"id": f"{actor_id}#main-key", "owner": actor_id,
                          "publicKeyPem": self.public_key_pem},
        }
        document.update(fields)
        self.serve(f"/users/{username}", document)
        return actor_id

    def sign(self, data):
        return subprocess.run(["openssl", "dgst", "-sha256", "-sign", str(self.key_path)],
                              input=data, check=True, capture_output=True).stdout

    def post_signed(self, url, activity, key_id, timeout=60):
        body = json.dumps(activity).encode()
        target = urllib.parse.urlsplit(url)
        headers = {
            "host": target.netloc,
            "date": email.utils.formatdate(usegmt=True),
            "digest": "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode(),
            "content-type": "application/activity+json",
        }
        lines = [f"(request-target): post {target.path}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        signature = base64.b64encode(self.sign("\n".join(lines).encode())).decode()
        headers["signature"] = (
            f'keyId="{key_id}",algorithm="rsa-sha256",'
            f'headers="(request-target) host date digest content-type",signature="{signature}"')
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=timeout)
        try:
            connection.request("POST", target.path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", errors="replace")
        finally:
            connection.close()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.directory.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
