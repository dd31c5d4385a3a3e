"""The Mastodon streaming API (issue 13) against a real civicpub process: server-sent events and
a WebSocket on the same listener, the token from the header, the access_token parameter or
Sec-WebSocket-Protocol (echoed), update / status.update / delete events in Mastodon's framing,
the public, local, hashtag and user streams, refusals (no token, a token without the read scope,
an unknown stream), the per-token cap, heartbeats, a revoked token closing its stream, notifications
on the user and user:notification streams, and Mastodon.py from Debian reading stream_user and
stream_public."""

import json
import pathlib
import subprocess
import unittest
import urllib.parse

from harness import Instance, wait_until
from stream_clients import SseClient, StreamClosed, WebSocketClient

PASSWORD = "correct horse battery"
SYSTEM_PYTHON = "/usr/bin/python3"
HERE = pathlib.Path(__file__).resolve().parent
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class StreamingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.town = Instance("streaming")
        cls.town.init()
        cls.town.cli("account", "create", "--username", "clerk", "--email", "clerk@town.example",
                     "--password-stdin", input=PASSWORD + "\n")
        cls.town.cli("account", "create", "--username", "resident", "--email",
                     "resident@town.example", "--password-stdin", input=PASSWORD + "\n")
        cls.town.start()
        cls.app = cls.register_app("read write")
        cls.token = cls.login(cls.app, "read write")
        cls.resident = cls.login(cls.app, "read write", "resident@town.example")

    @classmethod
    def tearDownClass(cls):
        cls.town.stop()
        cls.town.cleanup()

    @classmethod
    def register_app(cls, scopes):
        res = cls.town.request("POST", "/api/v1/apps", urllib.parse.urlencode({
            "client_name": "stream-test", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
            "scopes": scopes}), FORM)
        assert res.status == 200, res
        return res.json()

    @classmethod
    def login(cls, app, scope, username="clerk@town.example"):
        res = cls.town.request("POST", "/oauth/token", urllib.parse.urlencode({
            "grant_type": "password", "username": username, "password": PASSWORD,
            "client_id": app["client_id"], "client_secret": app["client_secret"],
            "scope": scope}), FORM)
        assert res.status == 200, res
        return res.json()["access_token"]

    def auth(self, token=None):
        return {"Authorization": f"Bearer {token or self.token}"}

    def post(self, text, visibility="public"):
        res = self.town.request("POST", "/api/v1/statuses",
                                {"status": text, "visibility": visibility}, self.auth())
        self.assertEqual(res.status, 200, res)
        return res.json()

    def sse(self, path, headers=None):
        client = SseClient(self.town.address, self.town.port, path, headers)
        self.addCleanup(client.close)
        return client

    def ws(self, path, headers=None):
        client = WebSocketClient(self.town.address, self.town.port, path, headers)
        self.addCleanup(client.close)
        return client

    def opened(self, client):
        """The stream is registered once its opening comment arrived."""
        self.assertEqual(client.status, 200, client.headers)
        self.assertTrue(client.headers["content-type"].startswith("text/event-stream"))
        self.assertEqual(client.next_item(), ("comment", ")"))

    def test_instance_advertises_the_streaming_url(self):
        expected = f"ws://{self.town.host}"
        v1 = self.town.get("/api/v1/instance").json()
        self.assertEqual(v1["urls"]["streaming_api"], expected)
        v2 = self.town.get("/api/v2/instance").json()
        self.assertEqual(v2["configuration"]["urls"]["streaming"], expected)
        health = self.town.get("/api/v1/streaming/health")
        self.assertEqual((health.status, health.body), (200, b"OK"))

    def test_user_stream_over_sse_gets_updates_edits_and_deletes(self):
        stream = self.sse("/api/v1/streaming/user", self.auth())
        self.opened(stream)
        status = self.post("only for followers", "private")
        event, data = stream.next_event()
        self.assertEqual(event, "update")
        self.assertEqual(json.loads(data)["id"], status["id"])
        res = self.town.request("PUT", f"/api/v1/statuses/{status['id']}",
                                {"status": "edited for followers"}, self.auth())
        self.assertEqual(res.status, 200, res)
        event, data = stream.next_event()
        self.assertEqual(event, "status.update")
        self.assertIn("edited for followers", json.loads(data)["content"])
        res = self.town.request("DELETE", f"/api/v1/statuses/{status['id']}", None, self.auth())
        self.assertEqual(res.status, 200, res)
        self.assertEqual(stream.next_event(), ("delete", status["id"]))

    def test_public_streams_show_public_statuses_only(self):
        local = self.sse("/api/v1/streaming/public/local?access_token=" + self.token)
        self.opened(local)
        tagged = self.sse("/api/v1/streaming/hashtag?tag=Budget", self.auth())
        self.opened(tagged)
        self.post("private words", "private")
        self.post("no tag here")
        public = self.post("the #budget is out")
        event, data = local.next_event()
        self.assertEqual(json.loads(data)["content"].count("no tag here"), 1, data)
        event, data = local.next_event()
        self.assertEqual((event, json.loads(data)["id"]), ("update", public["id"]))
        event, data = tagged.next_event()
        self.assertEqual((event, json.loads(data)["id"]), ("update", public["id"]))

    def test_websocket_with_the_token_as_subprotocol_and_subscriptions(self):
        ws = self.ws("/api/v1/streaming?stream=public:local",
                     {"Sec-WebSocket-Protocol": self.token})
        self.assertEqual(ws.status, 101, ws.headers)
        self.assertEqual(ws.headers.get("sec-websocket-protocol"), self.token)
        ws.send_json({"type": "subscribe", "stream": "nonsense"})
        self.assertEqual(json.loads(ws.next_message()),
                         {"error": "Unknown stream type", "status": 400})
        ws.send_json({"type": "subscribe", "stream": "hashtag", "tag": "roads"})
        # The subscription is in once an answer to a later message came back.
        ws.send_json({"type": "subscribe", "stream": "nonsense"})
        self.assertIn("error", json.loads(ws.next_message()))
        status = self.post("fixing #roads")
        seen = {}
        for _ in range(2):
            message = json.loads(ws.next_message())
            self.assertEqual(message["event"], "update")
            self.assertIsInstance(message["payload"], str)
            seen[tuple(message["stream"])] = json.loads(message["payload"])["id"]
        self.assertEqual(seen, {("public:local",): status["id"],
                                ("hashtag", "roads"): status["id"]})

    def test_websocket_token_in_query_and_header(self):
        ws = self.ws("/api/v1/streaming?stream=user&access_token=" + self.token)
        self.assertEqual(ws.status, 101)
        self.assertNotIn("sec-websocket-protocol", ws.headers)
        ws2 = self.ws("/api/v1/streaming", self.auth())
        self.assertEqual(ws2.status, 101)
        ws2.send_json({"type": "subscribe", "stream": "user"})
        ws2.send_json({"type": "subscribe", "stream": "nonsense"})
        self.assertIn("error", json.loads(ws2.next_message()))
        status = self.post("both see this")
        for client in (ws, ws2):
            message = json.loads(client.next_message())
            self.assertEqual((message["stream"], message["event"]), (["user"], "update"))
            self.assertEqual(json.loads(message["payload"])["id"], status["id"])

    def account_id(self, token):
        res = self.town.get("/api/v1/accounts/verify_credentials", self.auth(token))
        self.assertEqual(res.status, 200, res)
        return res.json()["id"]

    @staticmethod
    def next_notification(stream):
        """The next notification event's entity (past update events and heartbeats)."""
        while True:
            event, data = stream.next_event(deadline=60)
            if event == "notification":
                return json.loads(data)

    def test_notifications_reach_the_user_streams(self):
        user = self.sse("/api/v1/streaming/user", self.auth())
        self.opened(user)
        only = self.ws("/api/v1/streaming?stream=user:notification", self.auth())
        self.assertEqual(only.status, 101, only.headers)
        clerk, resident = self.account_id(self.token), self.account_id(self.resident)
        # The resident's notification (clerk follows them) must not reach the clerk's streams:
        # had it leaked, it would be the first one they see.
        res = self.town.request("POST", f"/api/v1/accounts/{resident}/follow", "", self.auth())
        self.assertEqual(res.status, 200, res)
        res = self.town.request("POST", f"/api/v1/accounts/{clerk}/follow", "",
                                self.auth(self.resident))
        self.assertEqual(res.status, 200, res)
        followed = self.next_notification(user)
        self.assertEqual((followed["type"], followed["account"]["username"]),
                         ("follow", "resident"))
        self.assertIsInstance(followed["id"], str)
        rest = self.town.get("/api/v1/notifications", self.auth()).json()
        self.assertIn(followed["id"], [n["id"] for n in rest])  # the REST entity's id
        message = json.loads(only.next_message(deadline=60))
        self.assertEqual((message["stream"], message["event"]),
                         (["user:notification"], "notification"))
        self.assertEqual(json.loads(message["payload"])["id"], followed["id"])

        res = self.town.request("POST", "/api/v1/statuses",
                                {"status": "@clerk the minutes are online"},
                                self.auth(self.resident))
        self.assertEqual(res.status, 200, res)
        mention = self.next_notification(user)
        self.assertEqual(mention["type"], "mention")
        self.assertEqual(mention["status"]["id"], res.json()["id"])
        message = json.loads(only.next_message(deadline=60))
        self.assertEqual(json.loads(message["payload"])["type"], "mention")

    def test_favourites_reblogs_and_edits_are_notified_on_the_streams(self):
        clerk_stream = self.sse("/api/v1/streaming/user/notification", self.auth())
        self.opened(clerk_stream)
        resident_stream = self.sse("/api/v1/streaming/user", self.auth(self.resident))
        self.opened(resident_stream)
        liked, boosted = self.post("the market moves"), self.post("the library opens late")
        for action, status in (("favourite", liked), ("reblog", boosted)):
            res = self.town.request("POST", f"/api/v1/statuses/{status['id']}/{action}", "",
                                    self.auth(self.resident))
            self.assertEqual(res.status, 200, res)
            told = self.next_notification(clerk_stream)
            self.assertEqual((told["type"], told["status"]["id"], told["account"]["username"]),
                             (action, status["id"], "resident"))
        # An edit of a status the resident interacted with (favourited or reblogged) tells them.
        for status in (liked, boosted):
            res = self.town.request("PUT", f"/api/v1/statuses/{status['id']}",
                                    {"status": "corrected"}, self.auth())
            self.assertEqual(res.status, 200, res)
            told = self.next_notification(resident_stream)
            self.assertEqual((told["type"], told["status"]["id"]), ("update", status["id"]))
            self.assertIn("corrected", told["status"]["content"])
        # Each edit told them once: their next notification is the next thing that happens.
        res = self.town.request("POST", "/api/v1/statuses", {"status": "checking the stream"},
                                self.auth(self.resident))
        self.assertEqual(res.status, 200, res)
        res = self.town.request("POST", f"/api/v1/statuses/{res.json()['id']}/favourite", "",
                                self.auth())
        self.assertEqual(res.status, 200, res)
        self.assertEqual(self.next_notification(resident_stream)["type"], "favourite")

    def test_refusals(self):
        self.assertEqual(self.sse("/api/v1/streaming/user").status, 401)
        self.assertEqual(self.sse("/api/v1/streaming/user", self.auth("wrong")).status, 401)
        self.assertEqual(self.ws("/api/v1/streaming?stream=user").status, 401)
        self.assertEqual(self.sse("/api/v1/streaming/hashtag", self.auth()).status, 400)
        self.assertEqual(self.sse("/api/v1/streaming?stream=direct", self.auth()).status, 400)
        writer = self.login(self.register_app("write"), "write")
        self.assertEqual(self.sse("/api/v1/streaming/public", self.auth(writer)).status, 401)
        ws = self.ws("/api/v1/streaming", self.auth(writer))
        self.assertEqual(ws.status, 101)  # a WebSocket may open, but not subscribe
        ws.send_json({"type": "subscribe", "stream": "public"})
        self.assertEqual(json.loads(ws.next_message()),
                         {"error": "Access token does not have the required scopes",
                          "status": 401})

    def test_status_notifications_for_followers_who_asked(self):
        clerk = self.account_id(self.token)
        res = self.town.request("POST", f"/api/v1/accounts/{clerk}/follow",
                                urllib.parse.urlencode({"notify": "true"}),
                                dict(FORM, **self.auth(self.resident)))
        self.assertEqual(res.status, 200, res)
        self.assertTrue(res.json()["notifying"], res.json())
        stream = self.sse("/api/v1/streaming/user/notification", self.auth(self.resident))
        self.opened(stream)
        self.post("only for the addressed", "direct")  # not a home timeline post: no notification
        status = self.post("the council meets tonight")
        told = self.next_notification(stream)
        self.assertEqual((told["type"], told["status"]["id"], told["account"]["id"]),
                         ("status", status["id"], clerk))
        # Following again without notify keeps the follow and turns it off.
        res = self.town.request("POST", f"/api/v1/accounts/{clerk}/follow",
                                urllib.parse.urlencode({"notify": "false"}),
                                dict(FORM, **self.auth(self.resident)))
        self.assertFalse(res.json()["notifying"])
        self.assertTrue(res.json()["following"])

    def test_streams_per_token_are_capped(self):
        token = self.login(self.app, "read")
        streams = [self.sse("/api/v1/streaming/public", self.auth(token)) for _ in range(8)]
        for stream in streams:
            self.opened(stream)
        self.assertEqual(self.sse("/api/v1/streaming/public", self.auth(token)).status, 429)
        streams[0].close()

        # The slot frees once the server noticed the close: at a write to the closed socket
        # (an event for the public stream, or the next heartbeat).
        def reopened():
            self.post("wakes the streams up")
            client = SseClient(self.town.address, self.town.port, "/api/v1/streaming/public",
                               self.auth(token))
            self.addCleanup(client.close)
            return client.status == 200

        wait_until(reopened, timeout=40, interval=0.5, message="a freed stream slot")

    def test_heartbeats_and_revocation_close_the_stream(self):
        token = self.login(self.app, "read")
        ws = self.ws("/api/v1/streaming?stream=user", self.auth(token))
        self.assertEqual(ws.status, 101)
        stream = self.sse("/api/v1/streaming/user", self.auth(token))
        self.opened(stream)
        ws.wait_ping(deadline=30)  # a WebSocket heartbeat is a ping
        self.assertEqual(stream.next_item(deadline=30), ("comment", "thump"))
        res = self.town.request("POST", "/oauth/revoke", urllib.parse.urlencode({
            "client_id": self.app["client_id"], "client_secret": self.app["client_secret"],
            "token": token}), FORM)
        self.assertEqual(res.status, 200, res)
        self.assertTrue(stream.wait_closed(deadline=30))
        self.assertTrue(ws.wait_closed(deadline=30))
        self.assertGreaterEqual(ws.pings, 1)

    def test_revoking_a_token_closes_its_streams_at_once(self):
        token = self.login(self.app, "read")
        stream = self.sse("/api/v1/streaming/user", self.auth(token))
        self.opened(stream)
        ws = self.ws("/api/v1/streaming?stream=user", self.auth(token))
        self.assertEqual(ws.status, 101, ws.headers)
        other = self.sse("/api/v1/streaming/user", self.auth())  # another token of the same login
        self.opened(other)
        res = self.town.request("POST", "/oauth/revoke", urllib.parse.urlencode({
            "client_id": self.app["client_id"], "client_secret": self.app["client_secret"],
            "token": token}), FORM)
        self.assertEqual(res.status, 200, res)
        # The revocation closed the token's streams before answering: a status posted now
        # reaches the other token's stream only. (Waiting for the next heartbeat's token check,
        # the stream would still be open and get the update first.)
        status = self.post("after the revocation")
        self.assertEqual(other.next_event(deadline=60)[0], "update")
        with self.assertRaises((StreamClosed, ConnectionResetError)):
            item = stream.next_item(deadline=60)
            self.fail(f"the revoked token's stream still sent {item!r}")
        with self.assertRaises((StreamClosed, ConnectionResetError)):
            message = ws.next_message(deadline=60)
            self.fail(f"the revoked token's WebSocket still sent {message!r}")
        self.assertIn(status["id"], self.town.get("/api/v1/timelines/home", self.auth()).text)

    def test_mastodon_py_streams(self):
        """Mastodon.py from Debian: stream_user and stream_public (mastodon_py_stream.py)."""
        result = subprocess.run(
            [SYSTEM_PYTHON, str(HERE / "mastodon_py_stream.py"), self.town.base_url,
             "clerk@town.example", PASSWORD], capture_output=True, text=True, timeout=180)
        print(result.stdout)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("ALL OK", result.stdout)

    def test_sessions_are_listed_and_revoking_one_closes_its_stream(self):
        token = self.login(self.app, "read write")
        stream = self.sse("/api/v1/streaming/user", self.auth(token))
        self.opened(stream)
        listed = self.town.cli("account", "sessions", "clerk").stdout.splitlines()
        rows = [line.split("\t") for line in listed]
        self.assertTrue(all(len(row) == 6 for row in rows), listed)
        newest = rows[0]  # newest first: the token just made
        session_id, app, scopes, created, last_used, acting_as = newest
        self.assertEqual((app, scopes, acting_as), ("stream-test", "read write", "@clerk"))
        self.assertRegex(created, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertNotEqual(last_used, "never")  # opening the stream used it
        self.assertGreater(len(rows), 1)  # the class's own token is listed too

        failed = self.town.cli("account", "sessions", "clerk", "--revoke", "999999", check=False)
        self.assertEqual(failed.returncode, 1)
        done = self.town.cli("account", "sessions", "clerk", "--revoke", session_id)
        self.assertIn("revoked", done.stdout)
        self.assertEqual(self.town.get("/api/v1/accounts/verify_credentials",
                                       self.auth(token)).status, 401)
        self.assertTrue(stream.wait_closed(deadline=30))
        remaining = self.town.cli("account", "sessions", "clerk").stdout
        self.assertNotIn(session_id + "\t", remaining)
        self.assertEqual(self.town.cli("account", "sessions", "nobody", check=False).returncode, 1)


if __name__ == "__main__":
    unittest.main()
