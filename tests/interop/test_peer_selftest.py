"""Self-test of the interop peers: two Fedify peers and the Joyent signer talk to each other.

This proves that the pinned packages install and run, and that the peers do what the civicpub
interop tests rely on, before those tests blame civicpub for anything.
"""

import json
import unittest
import urllib.request
import uuid

from peers import FedifyPeer, joyent_post, wait_until

AS2 = "https://www.w3.org/ns/activitystreams"
AS2_ACCEPT = "application/activity+json"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def get_json(url):
    request = urllib.request.Request(url, headers={"Accept": AS2_ACCEPT})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def create_note(actor_url, to, content):
    """A Create(Note) by actor_url with fresh ids (Fedify dedupes inbox activities by id)."""
    token = uuid.uuid4().hex
    note = {"id": f"{actor_url}/notes/{token}", "type": "Note", "attributedTo": actor_url,
            "content": content, "to": [to]}
    return {"@context": AS2, "id": f"{actor_url}/activities/{token}", "type": "Create",
            "actor": actor_url, "to": [to], "object": note}


class PeerSelfTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.a = FedifyPeer("alice")
        cls.b = FedifyPeer("bob")
        cls.a.start()
        try:
            cls.b.start()
        except BaseException:
            cls.a.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        for peer in (cls.a, cls.b):
            peer.close()

    def tearDown(self):
        # A failing test shows what each peer logged.
        outcome = getattr(self, "_outcome", None)
        result = getattr(outcome, "result", None)
        if result and any(t is self for t, _ in result.failures + result.errors):
            for peer in (self.a, self.b):
                print(f"--- {peer.name} log ---\n{peer.log_tail()}")

    def followers_total(self, peer):
        return get_json(f"{peer.actor_url}/followers")["totalItems"]

    def assert_verified(self, record, spec=None):
        signature = record["signature"]
        self.assertTrue(signature and signature["verified"], f"signature not verified: {record}")
        if spec is not None:
            self.assertEqual(signature["spec"], spec)

    def test_webfinger_answers_acct_over_http(self):
        resource = f"acct:bob@127.0.0.1:{self.b.port}"
        url = f"{self.b.base_url}/.well-known/webfinger?resource={resource}"
        with urllib.request.urlopen(url, timeout=10) as response:
            jrd = json.loads(response.read())
        self.assertEqual(jrd["subject"], resource)
        self.assertIn({"rel": "self", "href": self.b.actor_url, "type": AS2_ACCEPT}, jrd["links"])
        actor = get_json(self.b.actor_url)
        self.assertEqual(actor["publicKey"]["id"], f"{self.b.actor_url}#main-key")
        # Both key pairs are published: RSA and Ed25519 as Multikeys.
        self.assertEqual(len(actor["assertionMethod"]), 2)

    def test_follow_post_edit_delete_unfollow(self):
        a, b = self.a, self.b
        followed = a.follow_handle(b.handle)
        self.assertEqual(followed["actor"], b.actor_url)
        wait_until(lambda: a.following().get(b.actor_url, {}).get("state") == "accepted",
                   message="alice's follow of bob is accepted")
        accept = a.wait_received("Accept", lambda r: r["actor"] == b.actor_url)
        self.assert_verified(accept)
        self.assertEqual(accept["activity"]["object"]["id"], followed["followId"])
        follow = b.wait_received("Follow", lambda r: r["id"] == followed["followId"])
        self.assert_verified(follow)
        self.assertEqual(b.followers(), [a.actor_url])
        self.assertEqual(self.followers_total(b), 1)

        note = b.post("<p>Hello followers</p>")
        create = a.wait_received("Create", lambda r: r["id"] == note["activity"])
        self.assert_verified(create)
        self.assertEqual(create["signature"]["keyId"], f"{b.actor_url}#main-key")
        self.assertEqual(create["activity"]["object"]["id"], note["id"])
        self.assertEqual(create["activity"]["object"]["content"], "<p>Hello followers</p>")

        b.update(note["id"], "<p>Hello again</p>")
        update = a.wait_received("Update", lambda r: r["activity"]["object"]["id"] == note["id"])
        self.assert_verified(update)
        self.assertEqual(update["activity"]["object"]["content"], "<p>Hello again</p>")
        self.assertIn("updated", update["activity"]["object"])

        b.delete(note["id"])
        delete = a.wait_received("Delete", lambda r: r["id"] == f"{note['id']}#delete")
        self.assert_verified(delete)

        a.unfollow(b.actor_url)
        undo = b.wait_received("Undo", lambda r: r["actor"] == a.actor_url)
        self.assert_verified(undo)
        wait_until(lambda: self.followers_total(b) == 0, message="bob's followers are empty again")
        self.assertEqual(b.followers(), [])
        self.assertNotIn(b.actor_url, a.following())

    def test_reply_with_mention_and_foreign_update(self):
        a, b = self.a, self.b
        parent = a.post("<p>A plan</p>", to=[PUBLIC], cc=[])
        # bob resolves alice's note and its author himself; the reply goes to alice's inbox.
        answer = b.reply(parent["id"], content="<p>A reply</p>")
        self.assertEqual(answer["mentioned"], a.actor_url)
        notes = wait_until(lambda: a.notes(in_reply_to=parent["id"]),
                           message="alice receives bob's reply")
        self.assertEqual(len(notes), 1)
        note = notes[0]
        self.assertEqual(note["id"], answer["id"])
        self.assertEqual(note["attributedTo"], b.actor_url)
        self.assertEqual(note["content"], "<p>A reply</p>")
        self.assertIn(a.actor_url, note["cc"])
        self.assertIn(note["to"], ([PUBLIC], ["as:Public"]))
        self.assertIn({"type": "Mention", "href": a.actor_url,
                       "name": f"@alice@127.0.0.1:{a.port}"}, note["tag"])
        self.assert_verified(note)
        # The reply is dereferenceable at its id.
        fetched = get_json(answer["id"])
        self.assertEqual(fetched["inReplyTo"], parent["id"])
        self.assertEqual(fetched["content"], "<p>A reply</p>")

        # alice "edits" bob's reply: the peer sends it, signed by alice, as asked.
        forged = a.update_foreign(answer["id"], "<p>Not what bob said</p>", b.inbox_url,
                                  recipient=b.actor_url)
        self.assertEqual(forged["attributedTo"], b.actor_url)
        updates = wait_until(lambda: [n for n in b.notes(type="Update") if n["id"] == answer["id"]],
                             message="bob receives alice's Update of his note")
        self.assertEqual(updates[0]["actor"], a.actor_url)
        self.assertEqual(updates[0]["content"], "<p>Not what bob said</p>")
        self.assertEqual(get_json(answer["id"])["content"], "<p>A reply</p>")

    def test_fedify_signrequest_both_specs_accepted(self):
        for rfc9421, spec in ((True, "rfc9421"), (False, "draft-cavage-http-signatures-12")):
            with self.subTest(spec=spec):
                activity = create_note(self.a.actor_url, self.b.actor_url, f"raw {spec}")
                answer = self.a.post_raw(self.b.inbox_url, activity, rfc9421=rfc9421)
                self.assertEqual(answer["status"], 202, answer)
                self.assertEqual(answer["spec"], spec)
                self.assertEqual(answer["signatureInput"] is not None, rfc9421)
                record = self.b.wait_received("Create", lambda r: r["id"] == activity["id"])
                self.assert_verified(record, spec)

    def test_signer_who_is_not_the_actor_is_refused(self):
        # Signed by alice, claims to be bob: Fedify requires the key owner to be the actor.
        activity = create_note(self.b.actor_url, self.b.actor_url, "impostor")
        answer = self.a.post_raw(self.b.inbox_url, activity, rfc9421=False)
        self.assertEqual(answer["status"], 401, answer)
        self.assertEqual([r for r in self.b.received() if r["id"] == activity["id"]], [])

    def test_joyent_signed_post_accepted(self):
        key = self.a.key()
        activity = create_note(self.a.actor_url, self.b.actor_url, "signed by joyent")
        status, body = joyent_post(key["privateKeyPem"], key["keyId"], self.b.inbox_url, activity)
        self.assertEqual(status, 202, body)
        record = self.b.wait_received("Create", lambda r: r["id"] == activity["id"])
        self.assert_verified(record, "draft-cavage-http-signatures-12")
        self.assertEqual(record["signature"]["keyId"], key["keyId"])

    def test_joyent_tampered_post_refused(self):
        key = self.a.key()
        activity = create_note(self.a.actor_url, self.b.actor_url, "signed by joyent")
        status, body = joyent_post(key["privateKeyPem"], key["keyId"], self.b.shared_inbox_url,
                                   activity, tamper=True)
        self.assertEqual(status, 401, body)
        # Fedify has no queue here: a refused POST has been fully handled when it answers.
        self.assertEqual([r for r in self.b.received() if r["id"] == activity["id"]], [])

    def test_joyent_wrong_key_refused(self):
        # bob's private key under alice's keyId: the signature cannot verify.
        activity = create_note(self.a.actor_url, self.b.actor_url, "wrong key")
        status, body = joyent_post(self.b.key()["privateKeyPem"], self.a.key()["keyId"],
                                   self.b.inbox_url, activity)
        self.assertEqual(status, 401, body)
        self.assertEqual([r for r in self.b.received() if r["id"] == activity["id"]], [])


if __name__ == "__main__":
    unittest.main()
