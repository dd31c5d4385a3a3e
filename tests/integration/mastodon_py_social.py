"""The social side of the Mastodon client API driven by Debian's Mastodon.py (python3-mastodon).

Run by test_client_api.py with /usr/bin/python3, in two phases around what a remote peer does:

    /usr/bin/python3 mastodon_py_social.py BASE_URL EMAIL PASSWORD follow
        waits for the follow notification of the peer's Follow, follows the peer back and checks
        the relationship, posts and favourites the post; prints "STATUS <id> <uri>"
    /usr/bin/python3 mastodon_py_social.py BASE_URL EMAIL PASSWORD reply STATUS_ID
        waits for the mention notification of the peer's reply to STATUS_ID, reads it, dismisses
        it

Exits 0 when every step behaved (the last line is "ALL OK"); otherwise prints the failed step
and exits 1.
"""

import sys
import time

from mastodon import Mastodon
from mastodon.errors import MastodonAPIError

SCOPES = ["read", "write", "follow"]
DEADLINE = 30.0


def check(condition, message):
    if not condition:
        print(f"FAILED: {message}", flush=True)
        sys.exit(1)
    print(f"ok: {message}", flush=True)


def expect_status(call, status, message):
    try:
        call()
    except MastodonAPIError as e:
        check(e.args[1] == status and e.args[3], f"{message} ({e.args})")
        return
    check(False, f"{message}: no error raised")


def wait_for(fetch, message):
    """Polls `fetch` until it returns something truthy, up to DEADLINE seconds."""
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        found = fetch()
        if found:
            return found
        time.sleep(0.1)
    check(False, f"{message}: not within {DEADLINE} s")
    return None


def login(base_url, email, password, scopes):
    client_id, client_secret = Mastodon.create_app("civicpub social", api_base_url=base_url,
                                                   scopes=scopes)
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base_url)
    api.log_in(email, password, scopes=scopes)
    return api


def follow_phase(api, reader):
    follow = wait_for(lambda: api.notifications(types=["follow"]), "follow notification")[0]
    peer = follow["account"]
    check(follow["type"] == "follow" and "@" in peer["acct"], f"follow notification from {peer['acct']}")
    expect_status(lambda: reader.account_follow(peer["id"]), 403,
                  "a read-only token cannot follow (403)")
    relationship = api.account_follow(peer["id"])
    check(relationship["requested"] and not relationship["following"],
          "following a remote account is requested until it accepts")
    check(relationship["followed_by"], "the peer follows us")
    again = api.account_relationships([peer["id"]])[0]
    check(again["requested"] and again["followed_by"], "relationships read back")
    followers = api.account_followers(api.me()["id"])
    check([a["id"] for a in followers] == [peer["id"]], "the peer is listed as a follower")

    status = api.status_post("Consultation on the new bridge opens today", visibility="public")
    expect_status(lambda: reader.status_favourite(status["id"]), 403,
                  "a read-only token cannot favourite (403)")
    liked = api.status_favourite(status["id"])
    check(liked["favourited"] and liked["favourites_count"] == 1, "favourited")
    by = api.status_favourited_by(status["id"])
    check([a["id"] for a in by] == [api.me()["id"]], "favourited_by lists us")
    check(api.favourites()[0]["id"] == status["id"], "favourites list the status")
    print(f"STATUS {status['id']} {status['uri']}", flush=True)


def reply_phase(api, status_id):
    def mention():
        return [n for n in api.notifications(types=["mention"])
                if n["status"] and str(n["status"]["in_reply_to_id"]) == status_id]
    found = wait_for(mention, "mention notification of the peer's reply")[0]
    check("@" in found["account"]["acct"], f"reply notified, from {found['account']['acct']}")
    check("Will there be a cycle lane" in found["status"]["content"], "the reply's content")
    check(api.notifications(id=found["id"])["id"] == found["id"], "one notification read back")
    excluded = api.notifications(exclude_types=["mention"])
    check(all(n["type"] != "mention" for n in excluded), "exclude_types[] leaves mentions out")
    api.notifications_dismiss(found["id"])
    check(not mention(), "dismissed")


def main(base_url, email, password, phase, *rest):
    api = login(base_url, email, password, SCOPES)
    reader = login(base_url, email, password, ["read"])
    if phase == "follow":
        follow_phase(api, reader)
    else:
        reply_phase(api, rest[0])
    print("ALL OK", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
