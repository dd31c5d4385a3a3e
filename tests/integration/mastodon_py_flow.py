"""The Mastodon client API driven by the real Mastodon.py from Debian (python3-mastodon 1.8).

Run by test_client_api.py with /usr/bin/python3 (the system Python that has the package):

    /usr/bin/python3 mastodon_py_flow.py BASE_URL EMAIL PASSWORD

Exits 0 when every step behaved; otherwise prints the failed step and exits 1. Prints one line
per step so a failure shows how far it got.
"""

import sys

from mastodon import Mastodon
from mastodon.errors import MastodonAPIError, MastodonIllegalArgumentError, MastodonUnauthorizedError

SCOPES = ["read", "write", "follow", "push"]


def check(condition, message):
    if not condition:
        print(f"FAILED: {message}", flush=True)
        sys.exit(1)
    print(f"ok: {message}", flush=True)


def expect_error(call, error_type, status, message):
    try:
        call()
    except error_type as e:  # noqa: PERF203
        # MastodonAPIError: ('Mastodon API returned error', status, reason, error); log_in wraps
        # that tuple's text in a MastodonIllegalArgumentError.
        if isinstance(e, MastodonAPIError):
            check(e.args[1] == status, f"{message} ({e.args})")
        else:
            check(f"error', {status}," in str(e), f"{message} ({e})")
        return
    check(False, f"{message}: no error raised")


def main(base_url, email, password):
    client_id, client_secret = Mastodon.create_app("civicpub test", api_base_url=base_url,
                                                   scopes=SCOPES)
    check(client_id and client_secret, "app registered")
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base_url)
    check(api.retrieve_mastodon_version().startswith("4.2.0"), "version parsed as 4.2.0")

    # Wrong password: Mastodon answers 400 invalid_grant, which Mastodon.py raises as an
    # illegal argument carrying the status.
    expect_error(lambda: api.log_in(email, "not the password", scopes=SCOPES),
                 MastodonIllegalArgumentError, 400, "wrong password refused with 400")

    token = api.log_in(email, password, scopes=SCOPES)
    check(token, "password grant login")
    me = api.account_verify_credentials()
    check(me["acct"] == "clerk" and "source" in me, f"verify_credentials: {me['acct']}")
    check(me["created_at"] is not None, "account created_at parsed")

    top = api.status_post("Road works on #MainStreet start Monday", visibility="public")
    check(top["content"] and top["account"]["id"] == me["id"], f"posted status {top['id']}")
    reply = api.status_post("Detour via the bridge", in_reply_to_id=top["id"],
                            visibility="unlisted", spoiler_text="traffic")
    check(reply["in_reply_to_id"] == top["id"], f"posted reply {reply['id']}")
    check(reply["spoiler_text"] == "traffic" and reply["visibility"] == "unlisted",
          "reply keeps spoiler_text and visibility")

    fetched = api.status(top["id"])
    check(fetched["id"] == top["id"] and fetched["created_at"] is not None, "status read back")

    home = api.timeline_home()
    home_ids = [s["id"] for s in home]
    check(top["id"] in home_ids and reply["id"] in home_ids, "home timeline has both")
    check(home_ids.index(reply["id"]) < home_ids.index(top["id"]), "home timeline newest first")
    public = api.timeline_public()
    public_ids = [s["id"] for s in public]
    check(top["id"] in public_ids, "public timeline has the public status")
    check(reply["id"] not in public_ids, "public timeline leaves out the unlisted reply")
    # Pagination through the Link header.
    first = api.timeline_home(limit=1)
    check(len(first) == 1 and first[0]["id"] == reply["id"], "home page of 1")
    second = api.fetch_next(first)
    check(second is not None and len(second) == 1 and second[0]["id"] == top["id"],
          "fetch_next follows the Link header")

    marker = api.markers_set(["home"], [top["id"]])
    check(marker["home"]["last_read_id"] == top["id"], "home marker saved")
    check(api.markers_get(["home"])["home"]["version"] == 1, "home marker read back")

    context = api.status_context(reply["id"])
    check([s["id"] for s in context["ancestors"]] == [top["id"]], "context ancestors")
    below = api.status_context(top["id"])
    check([s["id"] for s in below["descendants"]] == [reply["id"]], "context descendants")

    deleted = api.status_delete(reply["id"])
    check(deleted["id"] == reply["id"], "reply deleted")
    expect_error(lambda: api.status(reply["id"]), MastodonAPIError, 404, "deleted status is 404")

    # A token without the write scope: 403 when posting.
    reader = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base_url)
    reader.log_in(email, password, scopes=["read"])
    check(reader.account_verify_credentials()["id"] == me["id"], "read-only token reads")
    expect_error(lambda: reader.status_post("should not appear"), MastodonAPIError, 403,
                 "read-only token cannot post (403)")

    # A revoked token: 401. (revoke_access_token forgets the token, so a second client keeps
    # using it.)
    stale = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base_url,
                     access_token=token)
    check(stale.account_verify_credentials()["id"] == me["id"], "token works before revocation")
    api.revoke_access_token()
    try:
        stale.account_verify_credentials()
        check(False, "revoked token still accepted")
    except MastodonUnauthorizedError as e:
        check(e.args[1] == 401 and "revoked" in str(e.args[3]), f"revoked token refused ({e.args})")
    print("ALL OK", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
