"""Polls through the Mastodon client API, driven by the real Mastodon.py from Debian
(python3-mastodon 1.8). Run by test_poll_api.py with /usr/bin/python3:

    /usr/bin/python3 mastodon_py_polls.py BASE_URL EMAIL PASSWORD LOCAL MULTI REMOTE ENDED

LOCAL: the status id of a single-choice consultation of the server; MULTI: a multiple-choice
one; REMOTE: another server's open poll; ENDED: another server's ended poll. Prints one line per
step and "ALL OK" at the end; exits 1 at the first step that misbehaves.
"""

import sys

import requests
from mastodon import Mastodon
from mastodon.errors import MastodonAPIError


def check(condition, message):
    if not condition:
        print(f"FAILED: {message}", flush=True)
        sys.exit(1)
    print(f"ok: {message}", flush=True)


def expect_422(call, text, message):
    try:
        call()
    except MastodonAPIError as e:
        check(e.args[1] == 422 and text in str(e.args[3]), f"{message} ({e.args})")
        return
    check(False, f"{message}: no error raised")


def main(base_url, email, password, local, multi, remote, ended):
    client_id, client_secret = Mastodon.create_app("civicpub polls", api_base_url=base_url,
                                                   scopes=["read", "write"])
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base_url)
    token = api.log_in(email, password, scopes=["read", "write"])

    status = api.status(local)
    poll = status["poll"]
    check(poll is not None and str(poll["id"]) == str(local), "a consultation's status carries its poll")
    check([o["title"] for o in poll["options"]] == ["By the pond", "Near the library"],
          "the poll's options")
    check(poll["voted"] is False and poll["own_votes"] == [] and poll["expired"] is False,
          "not voted yet, not expired")
    check(poll["expires_at"] is not None and poll["multiple"] is False, "expires_at, single choice")
    check(poll["emojis"] == [], "emojis")

    api.poll_vote(poll["id"], [0])
    poll = api.poll(poll["id"])
    check(poll["voted"] is True and poll["own_votes"] == [0], "voted through the client API")
    check(poll["votes_count"] == 1 and poll["voters_count"] == 1
          and poll["options"][0]["votes_count"] == 1, "the vote is counted at once")
    expect_422(lambda: api.poll_vote(poll["id"], [1]), "already voted", "a second vote refused")
    check(api.poll(poll["id"])["options"][1]["votes_count"] == 0, "the second vote not counted")

    # A multiple-choice consultation, voted with a JSON body.
    res = requests.post(f"{base_url}/api/v1/polls/{multi}/votes", json={"choices": [0, 2]},
                        headers={"Authorization": f"Bearer {token}"}, timeout=30)
    check(res.status_code == 200 and res.json()["own_votes"] == [0, 2],
          f"multiple choices in a JSON body ({res.status_code} {res.text})")
    res = requests.post(f"{base_url}/api/v1/polls/{multi}/votes", json={"choices": ["x"]},
                        headers={"Authorization": f"Bearer {token}"}, timeout=30)
    check(res.status_code == 422 and "does not exist" in res.json()["error"],
          "a choice that is no number refused")

    # Another server's poll: the counts are its author's, the vote goes there.
    poll = api.status(remote)["poll"]
    check(poll is not None and [o["votes_count"] for o in poll["options"]] == [3, 4],
          "a remote poll with its counts")
    check(poll["voters_count"] == 7 and poll["voted"] is False, "remote votersCount, not voted")
    expect_422(lambda: api.poll_vote(remote, [2]), "does not exist", "a choice out of range")
    api.poll_vote(remote, [1])
    poll = api.poll(remote)
    check(poll["voted"] is True and poll["own_votes"] == [1], "voted on the remote poll")
    expect_422(lambda: api.poll_vote(remote, [0]), "already voted", "a second remote vote refused")

    poll = api.poll(ended)
    check(poll["expired"] is True, "an ended remote poll is expired")
    expect_422(lambda: api.poll_vote(ended, [0]), "already ended", "a vote on an ended poll")

    try:
        api.poll("999999")
        check(False, "an unknown poll found")
    except MastodonAPIError as e:
        check(e.args[1] == 404, "an unknown poll is 404")
    print("ALL OK", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:8])
