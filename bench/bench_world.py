"""The remote world of bench/driver.py: actors with keys made in advance, signed inbox requests,
and a database seeded with followers and posts by direct SQL.

    ActorStub(host): .start() / .close() / .base_url / .origin: the tests' RemoteServer
        (tests/integration/remote_stub.py) in a process of its own
    make_actors(stub, count) -> [(actor id, key id, private key PEM bytes)], served by the stub
        once it is started
    signed_creates(actors, host_port, path, count, recipient, tag) -> [request bytes]
        `count` distinct Create(Note)s, round-robin over the actors, addressed to `recipient`,
        each a whole HTTP/1.1 POST signed as Mastodon signs (draft-cavage rsa-sha256 over
        (request-target) host date digest content-type); signed on every core
    fan_out_hosts(count) -> the loopback addresses the followers live on (127.1.x.y)
    seed(db_path, account, hosts, port, followers, posts)
        `followers` accepted followers of the local `account` spread over `hosts` (each host one
        shared inbox) and `posts` public posts by them, in one transaction
"""

import base64
import concurrent.futures
import email.utils
import hashlib
import http.server
import json
import multiprocessing
import os
import socket
import sqlite3
import threading
import time
import types

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from harness import free_port, wait_until
from remote_stub import RemoteServer

AS_CONTEXT = ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"]
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def _new_key(_):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


class ActorStub:
    """The actors' documents served by the tests' RemoteServer in a process of its own, so the
    load client (which holds the GIL while it sends) never slows civicpub's key fetches."""

    def __init__(self, host):
        self.host = host
        self.port = free_port(host)
        self.base_url = f"http://{host}:{self.port}"
        self.origin = f"{host}:{self.port}"
        self.actors = {}
        self._process = None

    def start(self):
        self._process = multiprocessing.get_context("fork").Process(
            target=_serve_actors, args=(self.host, self.port, self.actors), daemon=True)
        self._process.start()
        wait_until(lambda: socket.create_connection((self.host, self.port), timeout=1).close()
                   or True, timeout=30, message="actor stub listens")

    def close(self):
        if self._process is not None:
            self._process.terminate()
            self._process.join(timeout=15)


def _serve_actors(host, port, actors):
    server = RemoteServer.__new__(RemoteServer)
    server.host, server.port, server.actors, server.on_get = host, port, actors, {}
    server.gets = []
    server._lock = threading.Lock()
    httpd = http.server.ThreadingHTTPServer((host, port), server._handler())
    httpd.daemon_threads = True
    httpd.serve_forever()


def make_actors(stub, count):
    with concurrent.futures.ProcessPoolExecutor(os.cpu_count()) as pool:
        pems = list(pool.map(_new_key, range(count)))
    actors = []
    for i, pem in enumerate(pems):
        name = f"a{i}"
        actor_id = f"{stub.base_url}/users/{name}"
        public = serialization.load_pem_private_key(pem, None).public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
        document = {
            "@context": AS_CONTEXT, "id": actor_id, "type": "Person", "preferredUsername": name,
            "inbox": f"{actor_id}/inbox", "outbox": f"{actor_id}/outbox",
            "followers": f"{actor_id}/followers",
            "endpoints": {"sharedInbox": f"{stub.base_url}/inbox"},
            "publicKey": {"id": f"{actor_id}#main-key", "owner": actor_id,
                          "publicKeyPem": public},
        }
        stub.actors[f"/users/{name}"] = types.SimpleNamespace(document=document)
        actors.append((actor_id, f"{actor_id}#main-key", pem))
    return actors


def _sign_batch(job):
    actors, host_port, path, indices, recipient, tag = job
    keys = {}
    date = email.utils.formatdate(usegmt=True)
    out = []
    for i in indices:
        actor_id, key_id, pem = actors[i % len(actors)]
        if key_id not in keys:
            keys[key_id] = serialization.load_pem_private_key(pem, None)
        published = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        note = {
            "id": f"{actor_id}/notes/{tag}-{i}", "type": "Note", "attributedTo": actor_id,
            "content": f"<p>Benchmark note {i}: the square needs more trees.</p>",
            "published": published, "to": [PUBLIC], "cc": [recipient],
        }
        activity = {"@context": AS_CONTEXT, "id": f"{actor_id}/activities/{tag}-{i}",
                    "type": "Create", "actor": actor_id, "published": published,
                    "to": [PUBLIC], "cc": [recipient], "object": note}
        body = json.dumps(activity).encode()
        digest = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
        content_type = "application/activity+json"
        signed = (f"(request-target): post {path}\nhost: {host_port}\ndate: {date}\n"
                  f"digest: {digest}\ncontent-type: {content_type}").encode()
        signature = base64.b64encode(
            keys[key_id].sign(signed, padding.PKCS1v15(), hashes.SHA256())).decode()
        head = (f"POST {path} HTTP/1.1\r\nHost: {host_port}\r\nDate: {date}\r\n"
                f"Digest: {digest}\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {len(body)}\r\n"
                f'Signature: keyId="{key_id}",algorithm="rsa-sha256",'
                f'headers="(request-target) host date digest content-type",'
                f'signature="{signature}"\r\n\r\n')
        out.append(head.encode() + body)
    return out


def signed_creates(actors, host_port, path, count, recipient, tag):
    workers = os.cpu_count() or 1
    jobs = [(actors, host_port, path, range(w, count, workers), recipient, tag)
            for w in range(workers)]
    with concurrent.futures.ProcessPoolExecutor(workers) as pool:
        batches = list(pool.map(_sign_batch, jobs))
    # Interleave the batches back into index order (round-robin over the actors).
    return [batches[i % workers][i // workers] for i in range(count)]


def fan_out_hosts(count):
    return [f"127.1.{i // 250}.{i % 250 + 1}" for i in range(count)]


def seed(db_path, account, hosts, port, followers, posts):
    now = int(time.time() * 1000)
    db = sqlite3.connect(db_path)
    try:
        with db:
            (target,) = db.execute("SELECT id FROM actors WHERE local = 1 AND username = ?",
                                   (account,)).fetchone()
            rows = []
            for j in range(followers):
                host = f"{hosts[j % len(hosts)]}:{port}"
                uri = f"http://{host}/users/f{j}"
                rows.append((uri, f"f{j}", host, f"{uri}/inbox", f"http://{host}/inbox", now, now))
            db.executemany(
                "INSERT INTO actors (uri, local, type, username, domain, inbox, shared_inbox,"
                " created_at, updated_at) VALUES (?, 0, 'Person', ?, ?, ?, ?, ?, ?)", rows)
            ids = [r[0] for r in db.execute(
                "SELECT id FROM actors WHERE local = 0 AND uri LIKE 'http://127.1.%' ORDER BY id")]
            db.executemany(
                "INSERT INTO follows (follower_id, target_id, state, created_at, updated_at)"
                " VALUES (?, ?, 'accepted', ?, ?)", ((i, target, now, now) for i in ids))
            uris = {r[0]: r[1] for r in db.execute(
                "SELECT id, uri FROM actors WHERE uri LIKE 'http://127.1.%'")}
            db.executemany(
                "INSERT INTO posts (ap_id, author_id, local, visibility, content_html, published)"
                " VALUES (?, ?, 0, 'public', ?, ?)",
                ((f"{uris[ids[k % len(ids)]]}/notes/{k}", ids[k % len(ids)],
                  f"<p>Seeded post {k} about the town's budget.</p>", now - k * 1000)
                 for k in range(posts)))
    finally:
        db.close()
