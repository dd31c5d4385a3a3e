"""The streaming API read by the real Mastodon.py from Debian (python3-mastodon 1.8): its
stream_user and stream_public (server-sent events, at the URL it derives from the instance's
urls.streaming_api) receive a status posted through the API, its edit and its deletion.

    /usr/bin/python3 mastodon_py_stream.py BASE_URL EMAIL PASSWORD

Exits 0 when every step behaved; otherwise prints the failed step and exits 1.
"""

import sys
import threading
import time

from mastodon import Mastodon, StreamListener

DEADLINE = 30  # seconds for each event to arrive


def check(condition, message):
    if not condition:
        print(f"FAILED: {message}", flush=True)
        sys.exit(1)
    print(f"ok: {message}", flush=True)


class Recorder(StreamListener):
    """Keeps what arrived; wait() blocks until a predicate holds or the deadline passes."""

    def __init__(self):
        super().__init__()
        self.cond = threading.Condition()
        self.events = []

    def _add(self, kind, payload):
        with self.cond:
            self.events.append((kind, payload))
            self.cond.notify_all()

    def on_update(self, status):
        self._add("update", status)

    def on_status_update(self, status):
        self._add("status.update", status)

    def on_delete(self, status_id):
        self._add("delete", status_id)

    def wait(self, predicate):
        end = time.monotonic() + DEADLINE
        with self.cond:
            while not any(predicate(kind, payload) for kind, payload in self.events):
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self.cond.wait(left)
        return True


def wait_until(predicate):
    end = time.monotonic() + DEADLINE
    while not predicate():
        if time.monotonic() > end:
            return False
        time.sleep(0.05)
    return True


def main(base_url, email, password):
    client_id, secret = Mastodon.create_app("stream script", scopes=["read", "write"],
                                            api_base_url=base_url)
    api = Mastodon(client_id=client_id, client_secret=secret, api_base_url=base_url)
    api.log_in(email, password, scopes=["read", "write"])
    user, public = Recorder(), Recorder()
    user_stream = api.stream_user(user, run_async=True)
    public_stream = api.stream_public(public, run_async=True)
    try:
        check(wait_until(lambda: user_stream.is_receiving() and public_stream.is_receiving()),
              "stream_user and stream_public connected")
        status = api.status_post("Streaming from the town hall")
        sid = status["id"]
        check(user.wait(lambda k, p: k == "update" and p["id"] == sid), "stream_user got the update")
        check(public.wait(lambda k, p: k == "update" and p["id"] == sid),
              "stream_public got the update")
        api.status_update(sid, "Streaming from the town hall, edited")
        check(user.wait(lambda k, p: k == "status.update" and p["id"] == sid
                        and "edited" in p["content"]), "stream_user got the edit")
        api.status_delete(sid)
        check(public.wait(lambda k, p: k == "delete" and str(p) == str(sid)),
              "stream_public got the delete")
    finally:
        user_stream.close()
        public_stream.close()
    print("ALL OK", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
