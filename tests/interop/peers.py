"""Interop peers that civicpub's tests drive on loopback: software we did not write.

Standard library only.

    FedifyPeer(name="peer", port=None, host="127.0.0.1")
                                              a Fedify 2.3.6 actor (fedify_peer.mjs) run by node,
                                              listening on host (any 127.0.0.0/8 address)
        .start() / .stop() / .close() (stop and remove the log) / context manager
        .base_url .actor_url .inbox_url .shared_inbox_url .handle .log_path
        .follow(actor_url) / .follow_handle(handle) / .unfollow(actor_url) -> dict
        .following() -> {actor: {"state", "followId"}}   .followers() -> [actor ids]
        .received(type=None) -> [record]   .wait_received(type, predicate, timeout) -> record
        .post(content, to=None, cc=None) -> {"id", "activity"}
        .reply(in_reply_to, to=None, content=None, cc=None, inbox=None, mention=True)
            -> {"id", "activity", "inReplyTo", "mentioned"}: public, parent's author in cc + Mention
        .update(note_id, content) / .delete(note_id) -> {"id", "activity"}
        .update_foreign(note_id, content, inbox, recipient=None) -> {"id", "activity", ...}
        .notes(in_reply_to=None, type="Create") -> [received note, flattened]
        .posts() -> [{"id", "attributedTo", "inReplyTo", "own", "deleted", "via"}]: what the peer
            has (its notes, and notes from accepted Create/Update, Deletes applied)
        .post_raw(inbox, activity, rfc9421=True) -> {"status", "body", ...}
        .group_posts(group) -> {"group", "posts": [...], "removals": [...]}: what the peer holds
            as a member of group (its announced Creates, proofs checked, removals applied;
            fedify_peer_groups.mjs)
        .key() -> {"keyId", "privateKeyPem", "publicKeyPem"}   (tests only)
        .vote(question, option, vote_id=None) -> {"id", "activity", "question", "author", "json"}
        .questions(question_id=None) -> [Question received in a Create/Update, read by Fedify:
            {"activityType", "activityId", "id", "name", "content", "closed", "endTime", "voters",
             "multiple", "options": [{"name", "totalItems"}], ...}]
    joyent_post(key_pem, key_id, url, body, tamper=False) -> (status, body)

A received record is {"type", "id", "actor", "recipient", "activity" (JSON as received),
"signature": {"spec", "keyId", "verified", "reason", "ldSignature", "proof"}, "receivedAt"}:
Fedify verified the sender before recording it; "signature" is the peer's own second check of
the HTTP signature with Fedify's verifier, naming the scheme that verified.
"""

import json
import os
import pathlib
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.parse
import urllib.request

HERE = pathlib.Path(__file__).resolve().parent
NODE = shutil.which("node") or "/usr/bin/node"

# tests/integration is on PYTHONPATH (tests/CMakeLists.txt): one free_port and wait_until.
from harness import free_port, wait_until  # noqa: E402


def require_node_modules():
    """Fails with a clear message when `npm ci` has not been run in tests/interop."""
    for package in ("@fedify/fedify", "@fedify/vocab", "http-signature"):
        if not (HERE / "node_modules" / package / "package.json").exists():
            raise RuntimeError(
                f"{package} is not installed: run `npm ci` in {HERE} (scripts/test does)")


class PeerError(AssertionError):
    def __init__(self, status, body):
        super().__init__(f"control API answered {status}: {body}")
        self.status = status
        self.body = body


class FedifyPeer:
    """One `node fedify_peer.mjs` process on 127.0.0.1, driven through its /control/ API."""

    START_TIMEOUT = 30.0  # node needs a few seconds to load Fedify on a busy 2-core machine

    def __init__(self, name="peer", port=None, host="127.0.0.1"):
        self.name = name
        self.host = host
        self.port = port or free_port(host)
        self.base_url = f"http://{host}:{self.port}"
        self.actor_url = f"{self.base_url}/users/{name}"
        self.inbox_url = f"{self.actor_url}/inbox"
        self.shared_inbox_url = f"{self.base_url}/inbox"
        self.handle = f"@{name}@{host}:{self.port}"
        self.log_path = pathlib.Path(tempfile.mkstemp(prefix=f"fedify-{name}-", suffix=".log")[1])
        self.process = None

    # --- process ---------------------------------------------------------------------------

    def start(self):
        assert self.process is None, "already started"
        require_node_modules()
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [NODE, str(HERE / "fedify_peer.mjs"), "--port", str(self.port), "--name", self.name,
                 "--host", self.host],
                cwd=HERE, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

        def healthy():
            if self.process.poll() is not None:
                raise AssertionError(
                    f"fedify peer exited with {self.process.returncode}:\n{self.log_tail()}")
            return self._call("GET", "/control/health", timeout=2).get("ok")
        try:
            wait_until(healthy, timeout=self.START_TIMEOUT, interval=0.1,
                       message=f"fedify peer {self.name} answers /control/health")
        except AssertionError:
            print(self.log_tail())
            self.stop()
            raise
        return self

    def stop(self, timeout=10):
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=timeout)
        code, self.process = self.process.returncode, None
        return code

    def log_tail(self, lines=40):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def __enter__(self):
        return self.start()

    def close(self):
        """Stops the peer and removes its log (kept when CIVICPUB_KEEP=1)."""
        self.stop()
        if os.environ.get("CIVICPUB_KEEP") != "1":
            self.log_path.unlink(missing_ok=True)

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            print(f"--- fedify peer {self.name} log ---\n{self.log_tail()}")
        self.close()

    # --- control API -----------------------------------------------------------------------

    def _call(self, method, path, body=None, timeout=30):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.base_url + path, data=data, method=method,
            headers={"Content-Type": "application/json"} if data else {})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as e:
            raise PeerError(e.code, e.read().decode(errors="replace")) from None

    def follow(self, actor_url):
        return self._call("POST", "/control/follow", {"target": actor_url})

    def follow_handle(self, handle):
        return self._call("POST", "/control/follow-handle", {"handle": handle})

    def unfollow(self, actor_url):
        return self._call("POST", "/control/unfollow", {"target": actor_url})

    def following(self):
        return self._call("GET", "/control/following")

    def followers(self):
        return self._call("GET", "/control/followers")

    def received(self, type=None):
        query = "" if type is None else "?type=" + urllib.request.quote(type)
        return self._call("GET", "/control/received" + query)

    def wait_received(self, type, predicate=lambda record: True, timeout=20.0):
        """The first received record of this type matching predicate, polled with a deadline."""
        def found():
            return next((r for r in self.received(type) if predicate(r)), None)
        return wait_until(found, timeout=timeout, message=f"{self.name} receives a {type}")

    def post(self, content, to=None, cc=None):
        body = {"content": content}
        if to is not None:
            body["to"] = list(to)
        if cc is not None:
            body["cc"] = list(cc)
        return self._call("POST", "/control/post", body)

    def reply(self, in_reply_to, to=None, content=None, cc=None, inbox=None, mention=True):
        """A reply the way Mastodon writes one; the peer resolves the parent and its author.

        to defaults to Public, cc to the parent's author (always added), with a Mention tag of
        the author unless mention=False. Delivered to inbox alone when given, else to the
        author's (shared) inbox and the peer's followers.
        """
        body = {"inReplyTo": in_reply_to, "content": content, "mention": mention}
        if to is not None:
            body["to"] = list(to)
        if cc is not None:
            body["cc"] = list(cc)
        if inbox is not None:
            body["inbox"] = inbox
        return self._call("POST", "/control/reply", body)

    def update(self, note_id, content):
        return self._call("POST", "/control/update", {"id": note_id, "content": content})

    def delete(self, note_id):
        return self._call("POST", "/control/delete", {"id": note_id})

    def update_foreign(self, note_id, content, inbox, recipient=None):
        """Sends Update{Note} for a note the peer does not own (fetched from its id, content
        replaced), signed by the peer, to inbox only. A receiver must ignore it."""
        body = {"id": note_id, "content": content, "inbox": inbox}
        if recipient is not None:
            body["recipient"] = recipient
        return self._call("POST", "/control/update-foreign", body)

    def notes(self, in_reply_to=None, type="Create"):
        """Notes received in activities of this type (Create by default), each flattened to
        {activityType, activityId, actor, recipient, id, type, attributedTo, inReplyTo, content,
        to, cc, tag, context, signature, receivedAt}."""
        query = {"type": type}
        if in_reply_to is not None:
            query["inReplyTo"] = in_reply_to
        return self._call("GET", "/control/notes?" + urllib.parse.urlencode(query))

    def posts(self):
        """The peer's own view of posts: its notes plus notes from Create/Update activities Fedify
        accepted from their author (directly or forwarded with a proof), Deletes applied."""
        return self._call("GET", "/control/posts")

    def post_raw(self, inbox, activity, rfc9421=True):
        return self._call("POST", "/control/post-raw",
                          {"inbox": inbox, "activity": activity, "rfc9421": rfc9421})

    def key(self):
        return self._call("GET", "/control/key")

    def group_posts(self, group):
        """Posts the peer holds as a member of group: each announced Create's post as
        {id, type, attributedTo, author, inReplyTo, content, audience, context, createId,
        announces: [{id, signer, verified}], proofVerified, boosted, removed, removedBy,
        removalSummary}; removals as {objectId, by, summary, announce}."""
        return self._call("GET", "/control/group-posts?" + urllib.parse.urlencode({"group": group}))

    # --- polls (fedify_peer_polls.mjs) -----------------------------------------------------

    def vote(self, question, option, vote_id=None):
        """One vote built with Fedify's vocabulary: Create(Note) with name = option, inReplyTo =
        the question, to its author only, no content; sent to the author's personal inbox, as
        Hollo (a Fedify app) sends it. vote_id repeats an earlier vote's id (a redelivery)."""
        body = {"question": question, "option": option}
        if vote_id is not None:
            body["id"] = vote_id
        return self._call("POST", "/control/vote", body)

    def questions(self, question_id=None):
        """Questions received in Create/Update, as Fedify's vocabulary parsed them."""
        query = "" if question_id is None else "?id=" + urllib.parse.quote(question_id, safe="")
        return self._call("GET", "/control/questions" + query)


def joyent_post(key_pem, key_id, url, body, tamper=False, timeout=30):
    """POSTs body (bytes, str or a JSON-able value) signed by Joyent's http-signature.

    Returns (status, response body text).
    """
    require_node_modules()
    if not isinstance(body, (bytes, str)):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode()
    with tempfile.TemporaryDirectory(prefix="joyent-") as directory:
        key_path = pathlib.Path(directory) / "key.pem"
        body_path = pathlib.Path(directory) / "body.json"
        key_path.write_text(key_pem)
        key_path.chmod(0o600)
        body_path.write_bytes(body)
        args = [NODE, str(HERE / "joyent_signer.mjs"), "--key", str(key_path), "--key-id", key_id,
                "--url", url, "--body-file", str(body_path)]
        if tamper:
            args.append("--tamper")
        result = subprocess.run(args, cwd=HERE, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise AssertionError(f"joyent_signer failed ({result.returncode}): {result.stderr}")
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    return answer["status"], answer["body"]
