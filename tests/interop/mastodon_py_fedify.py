"""The client side of test_fedify_notifications.py: Debian's Mastodon.py (python3-mastodon 1.8)
follows a Fedify peer and is told of the peer's reply, over REST and on its user stream.

Run by test_fedify_notifications.py with /usr/bin/python3 (the system Python that has the
package), in one process so that the stream is open before the peer acts:

    /usr/bin/python3 mastodon_py_fedify.py BASE_URL EMAIL PASSWORD PEER_HANDLE PEER_ACTOR

registers an app, logs in (password grant), opens stream_user (server-sent events), resolves
PEER_HANDLE with search_v2(resolve=True), reads it back with account_lookup, follows it and waits
for the Accept, posts a public status and prints

    POSTED <status id> <status uri>

for the test, which then has the peer reply to that uri and follow the account back. It waits for
the `mention` notification of the reply (a reply to the posted status) and the `follow`
notification of the peer, each on the stream and from GET /api/v1/notifications, and prints

    NOTIFIED <JSON: {"me", "peer", "status" (the posted one), "stream": {"mention", "follow"},
                     "rest": {"mention", "follow"},
                     "mentions": [every REST mention notification of the reply]}>

then "ALL OK". The test judges the entities; this script only checks what it needs to go on.
Every wait has a deadline; polls repeat every 0.1 s until it passes. Exits 1 on a failed step.
"""

import json
import os
import sys
import threading
import time

from mastodon import Mastodon, StreamListener

SCOPES = ["read", "write", "follow"]
# Seconds for each thing to happen: federation runs on a busy 2-core machine; scaled as
# harness.wait_until scales its deadlines (3 under ASan/UBSan).
DEADLINE = 60.0 * float(os.environ.get("CIVICPUB_TIME_SCALE", "1") or 1)


def check(condition, message):
    if not condition:
        print(f"FAILED: {message}", flush=True)
        sys.exit(1)
    print(f"ok: {message}", flush=True)


def wait_for(fetch, message):
    """fetch()'s first truthy value, polled until DEADLINE seconds have passed."""
    end = time.monotonic() + DEADLINE
    while True:
        found = fetch()
        if found:
            check(True, message)
            return found
        if time.monotonic() > end:
            check(False, f"{message}: not within {DEADLINE} s")
        time.sleep(0.1)


class Recorder(StreamListener):
    """Keeps the notifications that arrived on the stream; first() waits for a matching one."""

    def __init__(self):
        super().__init__()
        self.cond = threading.Condition()
        self.notifications = []

    def on_notification(self, notification):
        with self.cond:
            self.notifications.append(notification)
            self.cond.notify_all()

    def first(self, predicate, message):
        end = time.monotonic() + DEADLINE
        with self.cond:
            while True:
                found = next((n for n in self.notifications if predicate(n)), None)
                if found is not None:
                    print(f"ok: {message} on the stream", flush=True)
                    return found
                left = end - time.monotonic()
                if left <= 0:
                    check(False, f"{message}: not on the stream within {DEADLINE} s")
                self.cond.wait(left)


def same_id(a, b):
    """Mastodon.py turns numeric string ids into ints; compare them as strings."""
    return a is not None and b is not None and str(a) == str(b)


def plain(value):
    """A Mastodon.py result (dicts with datetime values) as JSON-ready data, ids as strings."""
    return json.loads(json.dumps(value, default=str))


def main(base_url, email, password, peer_handle, peer_actor):
    client_id, client_secret = Mastodon.create_app("civicpub fedify notifications",
                                                   api_base_url=base_url, scopes=SCOPES,
                                                   request_timeout=DEADLINE)
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base_url,
                   request_timeout=DEADLINE)  # Mastodon.py's default is 300 s
    api.log_in(email, password, scopes=SCOPES)
    me = api.account_verify_credentials()
    check(me["acct"], f"logged in as {me['acct']}")

    recorder = Recorder()
    stream = api.stream_user(recorder, run_async=True)
    try:
        wait_for(stream.is_receiving, "stream_user connected")

        found = api.search_v2(peer_handle, resolve=True, result_type="accounts")["accounts"]
        peer = next((a for a in found if a["uri"] == peer_actor), None)
        check(peer is not None, f"search_v2 resolved {peer_handle}: {[a['acct'] for a in found]}")
        looked_up = api.account_lookup(peer["acct"])
        check(same_id(looked_up["id"], peer["id"]), f"account_lookup({peer['acct']}) finds it")

        relationship = api.account_follow(peer["id"])
        check(relationship["following"] or relationship["requested"], "follow sent")
        wait_for(lambda: api.account_relationships([peer["id"]])[0]["following"],
                 "the peer accepted the follow")

        status = api.status_post("The new cycle bridge opens on Saturday", visibility="public")
        print(f"POSTED {status['id']} {status['uri']}", flush=True)

        def is_reply_mention(n):
            return (n["type"] == "mention" and n["status"] is not None
                    and same_id(n["status"]["in_reply_to_id"], status["id"]))

        def is_peer_follow(n):
            return n["type"] == "follow" and same_id(n["account"]["id"], peer["id"])

        streamed_mention = recorder.first(is_reply_mention, "the mention of the peer's reply")
        rest_mention = wait_for(
            lambda: next((n for n in api.notifications(types=["mention"])
                          if is_reply_mention(n)), None),
            "the mention in GET /api/v1/notifications")
        streamed_follow = recorder.first(is_peer_follow, "the follow of the peer")
        rest_follow = wait_for(
            lambda: next((n for n in api.notifications(types=["follow"])
                          if is_peer_follow(n)), None),
            "the follow in GET /api/v1/notifications")
        mentions = [n for n in api.notifications(types=["mention"]) if is_reply_mention(n)]
    finally:
        stream.close()

    print("NOTIFIED " + json.dumps({
        "me": plain(me), "peer": plain(peer), "status": plain(status),
        "stream": {"mention": plain(streamed_mention), "follow": plain(streamed_follow)},
        "rest": {"mention": plain(rest_mention), "follow": plain(rest_follow)},
        "mentions": plain(mentions)}), flush=True)
    print("ALL OK", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:6])
