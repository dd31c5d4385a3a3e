"""Remote servers on loopback for integration tests: actors with real keys, and inbox sinks.

Standard library plus the openssl command (a test package): keys are made and requests signed with
`openssl`, so the tests need no Python crypto package.

    RemoteServer(host="127.0.0.2") -> a threaded HTTP server on host:ephemeral port
        .base_url .origin
        .add_actor(name) -> RemoteActor, served at {base_url}/users/{name}
        .posts_received() -> list of (path, body bytes) of every POST, in arrival order
        .gets -> list of the paths of every GET
        .on_get[path] = fn(handler): answer GET path with fn (a hostile remote: huge bodies,
            redirect loops); handler is the BaseHTTPRequestHandler
        .hold_after(n) / .release(): answer the first n POSTs at once, hold later ones until
            release() (a remote that stops answering at a chosen moment)
        .close()
    RemoteActor
        .id .key_id .inbox
        .signed_post(instance, path, activity, key_path=None) -> harness.Response (draft-cavage, rsa-sha256 over
            (request-target) host date digest content-type, as Mastodon signs)
"""

import base64
import email.utils
import hashlib
import http.server
import json
import pathlib
import subprocess
import tempfile
import threading

from harness import free_port

AS_CONTEXT = ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"]


def make_rsa_key(directory, name):
    """An RSA-2048 key pair made by openssl; returns (private key path, public key PEM)."""
    key = pathlib.Path(directory) / f"{name}.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                    "-out", str(key)], check=True, capture_output=True, timeout=60)
    public = subprocess.run(["openssl", "pkey", "-in", str(key), "-pubout"], check=True,
                            capture_output=True, timeout=60).stdout.decode()
    return key, public


def rsa_sha256_sign(key_path, data: bytes) -> str:
    signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", str(key_path)], input=data,
                               check=True, capture_output=True, timeout=60).stdout
    return base64.b64encode(signature).decode()


class RemoteActor:
    def __init__(self, server, name, key_path, public_pem):
        self.server = server
        self.name = name
        self.id = f"{server.base_url}/users/{name}"
        self.key_id = f"{self.id}#main-key"
        self.inbox = f"{self.id}/inbox"
        self.key_path = key_path
        self.document = {
            "@context": AS_CONTEXT,
            "id": self.id,
            "type": "Person",
            "preferredUsername": name,
            "inbox": self.inbox,
            "outbox": f"{self.id}/outbox",
            "followers": f"{self.id}/followers",
            "publicKey": {"id": self.key_id, "owner": self.id, "publicKeyPem": public_pem},
        }

    def signed_post(self, instance, path, activity, timeout=30, key_path=None):
        """activity: a dict, or the body's bytes; key_path: sign with another key (a forgery)."""
        body = activity if isinstance(activity, bytes) else json.dumps(activity).encode()
        digest = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
        date = email.utils.formatdate(usegmt=True)
        content_type = "application/activity+json"
        signed = (f"(request-target): post {path}\nhost: {instance.host}\ndate: {date}\n"
                  f"digest: {digest}\ncontent-type: {content_type}")
        signature = rsa_sha256_sign(key_path or self.key_path, signed.encode())
        headers = {
            "Host": instance.host,
            "Date": date,
            "Digest": digest,
            "Content-Type": content_type,
            "Signature": (f'keyId="{self.key_id}",algorithm="rsa-sha256",'
                          f'headers="(request-target) host date digest content-type",'
                          f'signature="{signature}"'),
        }
        return instance.request("POST", path, body=body, headers=headers, timeout=timeout)


class RemoteServer:
    def __init__(self, host="127.0.0.2", name=None):
        """host: the loopback address to listen on; name: the host name in URLs (default host)."""
        self.host = host
        self.port = free_port(host)
        self.base_url = f"http://{name or host}:{self.port}"
        self.origin = f"{name or host}:{self.port}"
        self.actors = {}
        self.received = []
        self.gets = []
        self.on_get = {}
        self._lock = threading.Lock()
        self._hold_after = None
        self._gate = threading.Event()
        self._gate.set()
        self._dir = tempfile.TemporaryDirectory(prefix="civicpub-remote-")
        self._server = http.server.ThreadingHTTPServer((host, self.port), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def add_actor(self, name):
        key, public = make_rsa_key(self._dir.name, name)
        actor = RemoteActor(self, name, key, public)
        self.actors[f"/users/{name}"] = actor
        return actor

    def hold_after(self, n):
        with self._lock:
            self._hold_after = n
            self._gate.clear()

    def release(self):
        self._gate.set()

    def posts_received(self):
        with self._lock:
            return list(self.received)

    def close(self):
        self.release()
        self._server.shutdown()
        self._server.server_close()
        self._dir.cleanup()

    def _handler(self):
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _send(self, status, body=b"", content_type="application/activity+json"):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                with server._lock:
                    server.gets.append(self.path)
                hook = server.on_get.get(self.path)
                if hook is not None:
                    try:
                        hook(self)
                    except OSError:
                        pass  # civicpub hung up, as it should on a hostile answer
                    return
                actor = server.actors.get(self.path.split("#")[0])
                if actor is None:
                    self._send(404, b"{}")
                else:
                    self._send(200, json.dumps(actor.document).encode())

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with server._lock:
                    server.received.append((self.path, body))
                    hold = (server._hold_after is not None
                            and len(server.received) > server._hold_after)
                if hold:
                    server._gate.wait()
                try:
                    self._send(202)
                except OSError:
                    pass  # the sender is gone (killed while this request was held)

        return Handler

