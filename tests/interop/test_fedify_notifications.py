"""A real Mastodon client follows a Fedify peer and is told of the peer's reply (issue 13, point 6).

clerk, a person on town with a password, uses Debian's Mastodon.py (mastodon_py_fedify.py, run by
/usr/bin/python3): it registers an app, logs in, opens its user stream (server-sent events),
resolves the Fedify 2.3.6 peer's handle with /api/v2/search?resolve=true, follows it through
POST /api/v1/accounts/:id/follow (the peer accepts) and posts a public status. The peer replies
to that status (a Mastodon-shaped reply: public, clerk in cc and named by a Mention) and follows
clerk back. clerk gets a `mention` notification with the peer's account and the reply as its
status, and a `follow` notification of the peer, both from GET /api/v1/notifications and as
`notification` events on the stream, the same notification each time.

resident, another person on town with their own token, follows the peer too (so the reply reaches
town while resident is one of the peer's followers) and reads its user stream over a WebSocket.
resident gets no notification of the reply: after clerk has been told, clerk follows resident,
and that follow is the first notification on resident's stream and the only one resident's
GET /api/v1/notifications lists.

Every wait polls with a deadline; nothing sleeps a fixed time. Loopback only.
"""

import json
import pathlib
import queue
import subprocess
import threading
import time
import unittest
import urllib.parse

from harness import TIME_SCALE
from peers import FedifyPeer, wait_until
from stream_clients import StreamClosed, WebSocketClient
from world import PeerWorld

HERE = pathlib.Path(__file__).resolve().parent
SYSTEM_PYTHON = "/usr/bin/python3"  # the Python that has Debian's python3-mastodon
PASSWORD = "correct horse battery"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
TIMEOUT = 60.0  # harness.wait_until's deadline for federation on a busy 2-core machine
# The Mastodon.py script gives each of its waits and requests 60 s (times CIVICPUB_TIME_SCALE)
# and fails itself then; these only stop a script that hangs regardless.
SCRIPT_POSTED_TIMEOUT = 240.0
SCRIPT_DONE_TIMEOUT = 240.0
REPLY = "<p>Will the bridge have a cycle lane on both sides?</p>"


class ScriptOutput:
    """The lines a child process prints, read by a thread so that waits can have deadlines."""

    def __init__(self, process):
        self.process = process
        self.lines = []
        self._queue = queue.Queue()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self):
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def next_with(self, prefix, timeout):
        """The rest of the next line starting with prefix; fails at the deadline or at the end."""
        end = time.monotonic() + timeout * TIME_SCALE
        while True:
            left = end - time.monotonic()
            try:
                line = self._queue.get(timeout=max(left, 0.001))
            except queue.Empty:
                raise AssertionError(f"no {prefix!r} line in time:\n" + "\n".join(self.lines))
            if line is None:
                raise AssertionError(f"the script ended without {prefix!r}:\n"
                                     + "\n".join(self.lines))
            self.lines.append(line)
            if line.startswith(prefix):
                return line[len(prefix):]

    def text(self):
        return "\n".join(self.lines)


class NotificationCollector:
    """Reads a WebSocket stream in a thread, answering the server's pings (it disconnects a
    client silent for 30 s), and keeps the notification entities that arrive."""

    def __init__(self, ws):
        self.ws = ws
        self.cond = threading.Condition()
        self.notifications = []
        self.ended = None
        self._stopped = False
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self):
        while not self._stopped:
            try:
                text = self.ws.next_message(deadline=1)
            except TimeoutError:
                continue
            except (StreamClosed, OSError) as e:
                with self.cond:
                    self.ended = e
                    self.cond.notify_all()
                return
            message = json.loads(text)
            if message.get("event") == "notification":
                with self.cond:
                    self.notifications.append(json.loads(message["payload"]))
                    self.cond.notify_all()

    def first(self, timeout):
        """The first notification that arrived, waiting up to timeout seconds for one."""
        end = time.monotonic() + timeout * TIME_SCALE
        with self.cond:
            while not self.notifications:
                left = end - time.monotonic()
                if self.ended is not None or left <= 0:
                    raise AssertionError(f"no notification on the stream (ended: {self.ended!r})")
                self.cond.wait(left)
            return self.notifications[0]

    def close(self):
        self._stopped = True
        self.ws.close()
        self._thread.join(timeout=5)


class FedifyNotificationsReachTheClient(PeerWorld):
    @classmethod
    def build(cls):
        from harness import Instance  # tests/integration is on PYTHONPATH (tests/CMakeLists.txt)

        cls.town = Instance("fedify-notify")
        cls.peer = FedifyPeer("neighbour")
        cls.instances, cls.peers = (cls.town,), (cls.peer,)
        cls.town.init()
        for name in ("clerk", "resident"):
            cls.town.cli("account", "create", "--username", name, "--type", "person",
                         "--email", f"{name}@town.example", "--password-stdin",
                         input=PASSWORD + "\n")
        cls.clerk_actor = f"{cls.town.base_url}/users/clerk"

    # --- the client API over plain HTTP (resident's side, and clerk's follow of resident) ------

    def api(self, method, path, token, body=None, status=200):
        headers = {"Authorization": f"Bearer {token}"}
        if isinstance(body, str):
            headers.update(FORM)
        response = self.town.request(method, path, body, headers)
        self.assertEqual(response.status, status, f"{method} {path}: {response}")
        return response.json()

    def login(self, email):
        """A read/write/follow token of a password grant, as every Mastodon app gets one."""
        app = self.town.request("POST", "/api/v1/apps", urllib.parse.urlencode({
            "client_name": "fedify-notifications", "scopes": "read write follow",
            "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}), FORM)
        self.assertEqual(app.status, 200, app)
        token = self.town.request("POST", "/oauth/token", urllib.parse.urlencode({
            "grant_type": "password", "username": email, "password": PASSWORD,
            "client_id": app.json()["client_id"], "client_secret": app.json()["client_secret"],
            "scope": "read write follow"}), FORM)
        self.assertEqual(token.status, 200, token)
        return token.json()["access_token"]

    def follow_peer(self, token):
        """Resolves the peer's handle and follows it through the API; waits for the Accept."""
        query = urllib.parse.urlencode({"q": self.peer.handle, "resolve": "true",
                                        "type": "accounts"})
        accounts = self.api("GET", f"/api/v2/search?{query}", token)["accounts"]
        peer = next((a for a in accounts if a["uri"] == self.peer.actor_url), None)
        self.assertIsNotNone(peer, f"search resolved {self.peer.handle}: {accounts}")
        self.api("POST", f"/api/v1/accounts/{peer['id']}/follow", token, "")
        wait_until(lambda: self.api("GET", f"/api/v1/accounts/relationships?id[]={peer['id']}",
                                    token)[0]["following"],
                   timeout=TIMEOUT, message="the peer accepted the resident's follow")
        return peer

    def run_mastodon_py(self):
        """Starts mastodon_py_fedify.py for clerk; its output is read line by line."""
        process = subprocess.Popen(
            [SYSTEM_PYTHON, str(HERE / "mastodon_py_fedify.py"), self.town.base_url,
             "clerk@town.example", PASSWORD, self.peer.handle, self.peer.actor_url],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            text=True, cwd=HERE)

        def stop():
            if process.poll() is None:
                process.kill()
            process.wait(timeout=30)
            process.stdout.close()
        self.addCleanup(stop)
        return process, ScriptOutput(process)

    # --- the scenario --------------------------------------------------------------------------

    def test_a_client_is_told_of_the_peers_reply_over_rest_and_stream(self):
        town, peer = self.town, self.peer

        # resident: their own token, a follow of the peer, and their user stream (WebSocket).
        resident_token = self.login("resident@town.example")
        resident_id = self.api("GET", "/api/v1/accounts/verify_credentials", resident_token)["id"]
        self.follow_peer(resident_token)
        ws = WebSocketClient(town.address, town.port, "/api/v1/streaming?stream=user",
                             {"Authorization": f"Bearer {resident_token}"})
        self.assertEqual(ws.status, 101, ws.headers)
        resident_stream = NotificationCollector(ws)
        self.addCleanup(resident_stream.close)

        # clerk: Mastodon.py logs in, opens its stream, follows the peer and posts.
        process, output = self.run_mastodon_py()
        posted_id, posted_uri = output.next_with("POSTED ", SCRIPT_POSTED_TIMEOUT).split()
        self.assertIn(self.clerk_actor, peer.followers(), "the peer holds clerk's follow")

        # The peer replies to clerk's status and follows clerk back.
        reply = peer.reply(posted_uri, content=REPLY)
        self.assertEqual(reply["mentioned"], self.clerk_actor)
        peer.follow(self.clerk_actor)

        told = json.loads(output.next_with("NOTIFIED ", SCRIPT_DONE_TIMEOUT))
        output.next_with("ALL OK", SCRIPT_DONE_TIMEOUT)
        self.assertEqual(process.wait(timeout=30), 0, output.text())
        print("\n".join(line for line in output.lines if line.startswith(("ok:", "POSTED"))))

        me, status = told["me"], told["status"]
        self.assertEqual(str(status["id"]), posted_id)

        # The mention: Mastodon's Notification entity with the peer's account and the reply.
        rest, streamed = told["rest"]["mention"], told["stream"]["mention"]
        for where, n in (("REST", rest), ("stream", streamed)):
            with self.subTest(mention=where):
                self.assertEqual(n["type"], "mention")
                self.assertEqual(n["account"]["uri"], peer.actor_url)
                self.assertEqual(n["account"]["acct"], peer.handle.removeprefix("@"))
                self.assertEqual(n["status"]["uri"], reply["id"])
                self.assertEqual(n["status"]["account"]["uri"], peer.actor_url)
                self.assertEqual(str(n["status"]["in_reply_to_id"]), posted_id)
                self.assertEqual(str(n["status"]["in_reply_to_account_id"]), str(me["id"]))
                self.assertIn("cycle lane on both sides", n["status"]["content"])
                self.assertIn(str(me["id"]), [str(m["id"]) for m in n["status"]["mentions"]])
                self.assertEqual(n["status"]["visibility"], "public")
        self.assertEqual(str(streamed["id"]), str(rest["id"]), "the stream sent the same one")
        self.assertEqual(streamed["created_at"], rest["created_at"])
        self.assertEqual(len(told["mentions"]), 1, f"one mention per reply: {told['mentions']}")

        # The follow-back: a `follow` notification of the peer, on both too.
        rest, streamed = told["rest"]["follow"], told["stream"]["follow"]
        for n in (rest, streamed):
            self.assertEqual(n["type"], "follow")
            self.assertEqual(n["account"]["uri"], peer.actor_url)
            self.assertIsNone(n.get("status"))
        self.assertEqual(str(streamed["id"]), str(rest["id"]))
        wait_until(lambda: peer.following().get(self.clerk_actor, {}).get("state") == "accepted",
                   timeout=TIMEOUT, message="town accepted the peer's follow of clerk")

        # resident was told nothing of it: clerk now follows resident, and that follow is the
        # first notification on resident's stream (had the reply's mention leaked to resident,
        # it would have come first: clerk was told of it before this) and the only one listed.
        clerk_token = self.login("clerk@town.example")
        self.api("POST", f"/api/v1/accounts/{resident_id}/follow", clerk_token, "")
        first = resident_stream.first(TIMEOUT)
        self.assertEqual((first["type"], str(first["account"]["id"])), ("follow", str(me["id"])),
                         f"resident's first streamed notification: {first}")
        listed = self.api("GET", "/api/v1/notifications", resident_token)
        self.assertEqual([(n["type"], n["account"]["acct"]) for n in listed],
                         [("follow", "clerk")], listed)
        self.assertEqual(self.api("GET", "/api/v1/notifications?types[]=mention",
                                  resident_token), [])


if __name__ == "__main__":
    unittest.main()
