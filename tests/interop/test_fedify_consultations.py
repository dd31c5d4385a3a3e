"""A town consultation with a Fedify 2.3.6 peer and a second civicpub (issue 14, point 7).

town (http://127.0.0.1:P, organization `gemeente`) opens a consultation whose deadline is a
minute ahead, residents being accounts on 127.0.0.3. The Fedify peer (on 127.0.0.2, a follower
of the town) receives the Question and reads it with Fedify's vocabulary, votes with a Note built
by Fedify's vocabulary (FEP-9967: `name`, `inReplyTo`, to the author, no content) and replies;
anna on a second civicpub (`resident`, 127.0.0.3) votes through its CLI. The peer's second vote
is not counted twice; two votes forged by the peer in anna's name are refused and stored as no
vote and no post. The deadline closes the consultation: the peer and resident get the final
Update(Question) with `closed` and the counts, which Fedify parses (`voters`, each option's
`replies.totalItems`); a late vote is refused. The official answer reaches the peer and resident,
and the CSV export matches the counts. On a second, multiple-choice consultation Fedify reads
`anyOf` and the peer's vote for two options counts one voter.

Every wait polls with a deadline; nothing sleeps a fixed time.
"""

import datetime
import json
import sqlite3
import unittest
import uuid

from peers import FedifyPeer, wait_until
from world import AS2_ACCEPT, PeerWorld, object_id

TIMEOUT = 60.0  # a loaded 2-core machine: deliveries and inbox work may take a while
POLL = 0.25
# How far ahead the deadline lies when the consultation is opened. Everything before the close
# (two votes, a double vote, two forgeries, a reply) is a few requests; a minute leaves room for
# a loaded machine, and the test says so when it did not suffice.
OPEN_FOR = datetime.timedelta(seconds=60)

TITLE = "Which square gets the new trees?"
BODY = "The council plants twenty trees this autumn. Where first?"
OPTIONS = ["Market square", "Church square"]
PEER_REPLY = "<p>Trees on the market square would give the stalls shade.</p>"
ANSWER = "Thank you all: the trees go to both squares, the market square first."


def rows(instance, sql, *params):
    db_path = instance.data_dir / "civicpub.db"
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10) as db:
        return db.execute(sql, params).fetchall()


def tables_holding(instance, token):
    """Names of the tables of an instance's SQLite file with a value that contains token."""
    found = set()
    db_path = instance.data_dir / "civicpub.db"
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10) as db:
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        for table in tables:
            for row in db.execute(f'SELECT * FROM "{table}"'):
                if any(isinstance(v, str) and token in v for v in row):
                    found.add(table)
                    break
    return sorted(found)


def eventually(predicate, message):
    return wait_until(predicate, timeout=TIMEOUT, interval=POLL, message=message)


class FedifyConsultation(PeerWorld):
    @classmethod
    def build(cls):
        from harness import Instance  # tests/integration is on PYTHONPATH (tests/CMakeLists.txt)

        # Counts go out at most once a second (default 30), so the test sees them change.
        cls.town = Instance("town", extra_toml="[federation]\npoll_update_interval_seconds = 1\n")
        cls.resident = Instance("resident", host="127.0.0.3")
        cls.peer = FedifyPeer("voter", host="127.0.0.2")
        cls.instances, cls.peers = (cls.town, cls.resident), (cls.peer,)
        cls.town.init()
        cls.gemeente = cls.town.create_account("gemeente", type="organization")
        cls.resident.init()
        cls.anna = cls.resident.create_account("anna", type="person")

    # --- helpers -------------------------------------------------------------------------------

    def path_of(self, url):
        self.assertTrue(url.startswith(self.town.base_url + "/"), url)
        return url.removeprefix(self.town.base_url)

    def counts(self, question):
        """(residents, others) per option, from the public JSON export."""
        data = self.town.get(self.path_of(question) + "/export.json").json()
        return [(o["residents"], o["others"]) for o in data["options"]]

    def inbox_state(self, activity_id):
        found = rows(self.town, "SELECT state FROM inbox_items WHERE activity_id = ?", activity_id)
        return found[0][0] if found else None

    def town_shared_inbox(self):
        actor = self.town.get(self.path_of(self.gemeente), headers=AS2_ACCEPT).json()
        return object_id(actor.get("endpoints", {}).get("sharedInbox")) or actor["inbox"]

    def forged_vote(self, question, activity_origin):
        """A vote in anna's name (anna is on resident), for the peer to sign and send: for the
        option anna did not choose, so that taking it would change the counts."""
        n = uuid.uuid4().hex
        vote_id = f"{self.anna}#votes/{n}"
        return {
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": f"{activity_origin}/forged/{n}/activity",
            "type": "Create",
            "actor": self.anna,
            "to": [self.gemeente],
            "object": {"id": vote_id, "type": "Note", "name": OPTIONS[0],
                       "attributedTo": self.anna, "inReplyTo": question, "to": [self.gemeente]},
        }

    def peer_questions(self, question, activity_type, predicate=lambda q: True):
        return [q for q in self.peer.questions(question)
                if q["activityType"] == activity_type and predicate(q)]

    def stored_question(self, instance, question):
        found = rows(instance, "SELECT raw_json FROM posts WHERE ap_id = ?", question)
        return json.loads(found[0][0]) if found else None

    # --- the scenario --------------------------------------------------------------------------

    def test_consultation_with_fedify_and_a_second_civicpub(self):
        town, resident, peer = self.town, self.resident, self.peer

        # The peer follows the town, so it gets the consultation as a follower.
        peer.follow_handle(f"@gemeente@127.0.0.1:{town.port}")
        eventually(lambda: peer.following().get(self.gemeente, {}).get("state") == "accepted",
                   "the peer's follow of gemeente is accepted")

        # 1. The town opens the consultation (the server is running: the CLI queues the Create).
        closes = (datetime.datetime.now(datetime.timezone.utc) + OPEN_FOR).replace(microsecond=0)
        question = town.cli(
            "consultation", "create", "--as", "gemeente", "--title", TITLE,
            "--body", BODY,
            "--option", OPTIONS[0], "--option", OPTIONS[1],
            "--closes", closes.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "--eligible-domain", "127.0.0.3").stdout.strip().splitlines()[-1]
        self.path_of(question)

        # Fedify reads the Create(Question) as a poll: oneOf options with counts, endTime.
        [created] = eventually(lambda: self.peer_questions(question, "Create"),
                               "the peer receives Create(Question) and Fedify parses it")
        self.assertEqual(created["actor"], self.gemeente)
        self.assertEqual(created["attributedTo"], self.gemeente)
        self.assertEqual(created["name"], TITLE)
        self.assertIn(BODY, created["content"])
        self.assertFalse(created["multiple"])
        self.assertEqual(created["options"], [{"name": o, "totalItems": 0} for o in OPTIONS])
        self.assertEqual(created["voters"], 0)
        self.assertIsNone(created["closed"])
        self.assertEqual(datetime.datetime.fromisoformat(created["endTime"].replace("Z", "+00:00")),
                         closes)
        self.assertTrue(created["signature"]["verified"], created["signature"])

        # 2. The peer votes, as a Fedify app would: no content, to the author only.
        peer_vote = peer.vote(question, OPTIONS[0])
        note = peer_vote["json"]["object"]
        self.assertEqual(note["type"], "Note")
        self.assertEqual(note["name"], OPTIONS[0])
        self.assertEqual(note["inReplyTo"], question)
        self.assertNotIn("content", note)
        self.assertEqual(peer_vote["author"], self.gemeente)

        # 3. anna votes from the second civicpub, through its CLI.
        sent = resident.cli("consultation", "vote", question, "--as", "anna",
                            "--option", OPTIONS[1])
        self.assertIn("vote sent", sent.stdout)
        eventually(lambda: self.counts(question) == [(0, 1), (1, 0)],
                   "both votes counted: the peer's among others, anna's among residents")
        # (The count is written before the inbox item is marked done.)
        eventually(lambda: self.inbox_state(peer_vote["activity"]) == "done",
                   "town's inbox worker is done with the peer's vote")
        # The vote as town received it: Fedify's wire form, HTTP-signed by the peer, with an LD
        # signature and an integrity proof, `to` a single string, no content.
        [(body, auth)] = rows(town, "SELECT body, auth FROM inbox_items WHERE activity_id = ?",
                              peer_vote["activity"])
        received = json.loads(body)
        self.assertEqual(auth, "signature")
        self.assertIn("proof", received)
        self.assertIn("signature", received)
        self.assertEqual(received["object"]["name"], OPTIONS[0])
        self.assertEqual(received["object"]["inReplyTo"], question)
        self.assertEqual(received["object"]["to"], self.gemeente)
        self.assertNotIn("content", received["object"])

        # 4. The peer sends its vote again (the same ids, as Hollo's deterministic vote ids
        # would), then votes again (a new activity, the same option): counted once. The inbox
        # works in arrival order, so once the second is done the redelivery had its turn.
        peer.vote(question, OPTIONS[0], vote_id=peer_vote["id"])
        again = peer.vote(question, OPTIONS[0])
        eventually(lambda: self.inbox_state(again["activity"]) == "done",
                   "town's inbox worker is done with the peer's second vote")
        self.assertEqual(self.counts(question), [(0, 1), (1, 0)])
        self.assertEqual(rows(town, "SELECT activity_uri FROM poll_votes v JOIN actors a "
                                    "ON a.id = v.voter_id WHERE a.uri = ?", peer.actor_url),
                         [(peer_vote["activity"],)])

        # 5. Votes forged by the peer in anna's name (signed by the peer, actor anna).
        inbox = self.town_shared_inbox()
        # a. The activity id on the peer's host: refused at the door, stored nowhere.
        at_door = self.forged_vote(question, peer.base_url)
        answer = peer.post_raw(inbox, at_door)
        self.assertTrue(400 <= answer["status"] < 500, answer)
        self.assertEqual(tables_holding(town, at_door["object"]["id"]), [])
        # b. The activity id on anna's host: taken as a forwarded activity without proof and
        # refused by the inbox worker; it stays only in the inbox log, marked failed.
        forwarded = self.forged_vote(question, resident.base_url)
        answer = peer.post_raw(inbox, forwarded)
        self.assertIn(answer["status"], (202, 401, 403), answer)
        if answer["status"] == 202:
            eventually(lambda: self.inbox_state(forwarded["id"]) == "failed",
                       "the forged vote refused by the inbox worker")
            [(error,)] = rows(town, "SELECT error FROM inbox_items WHERE activity_id = ?",
                              forwarded["id"])
            self.assertIn("not signed by its actor", error)
        self.assertEqual(
            [t for t in tables_holding(town, forwarded["object"]["id"]) if t != "inbox_items"],
            [], "the forged vote is no vote and no post")
        self.assertEqual(self.counts(question), [(0, 1), (1, 0)])

        # 6. Votes are no replies; the peer's reply (it has content) is one.
        self.assertEqual(town.get(self.path_of(question) + "/replies",
                                  AS2_ACCEPT).json()["totalItems"], 0)
        reply = peer.reply(question, content=PEER_REPLY)
        eventually(lambda: town.get(self.path_of(question) + "/replies",
                                    AS2_ACCEPT).json()["totalItems"] == 1,
                   "town stores the peer's reply")

        # Everything above must have happened before the deadline for the test to mean anything.
        now = datetime.datetime.now(datetime.timezone.utc)
        self.assertLess(now, closes - datetime.timedelta(seconds=2),
                        "the machine was too slow: the deadline came before the votes were in")

        # The counts reach the peer (a follower and a voter) while the consultation is open.
        eventually(lambda: self.peer_questions(
            question, "Update",
            lambda q: q["closed"] is None and [o["totalItems"] for o in q["options"]] == [1, 1]),
            "the peer receives Update(Question) with the new counts")

        # 7. The deadline: the server closes the consultation and sends the final counts.
        def final_at_peer():
            return self.peer_questions(question, "Update", lambda q: q["closed"] is not None)
        final = wait_until(final_at_peer, timeout=OPEN_FOR.total_seconds() + TIMEOUT,
                           interval=POLL, message="the peer receives the final Update(Question)")
        final = final[0]
        self.assertEqual(final["actor"], self.gemeente)
        self.assertTrue(final["signature"]["verified"], final["signature"])
        self.assertEqual(final["voters"], 2)
        self.assertEqual(final["options"], [{"name": OPTIONS[0], "totalItems": 1},
                                            {"name": OPTIONS[1], "totalItems": 1}])
        self.assertFalse(final["multiple"])
        closed_at = datetime.datetime.fromisoformat(final["closed"].replace("Z", "+00:00"))
        self.assertGreaterEqual(closed_at, closes)

        def closed_at_resident():
            doc = self.stored_question(resident, question)
            return doc if doc and doc.get("closed") else None
        stored = eventually(closed_at_resident,
                            "the resident's server stores the closed Question")
        self.assertEqual([o["replies"]["totalItems"] for o in stored["oneOf"]], [1, 1])
        self.assertEqual(stored["votersCount"], 2)
        listed = town.cli("consultation", "list").stdout
        self.assertIn("closed", listed)

        # 8. A late vote from the peer is refused.
        late = peer.vote(question, OPTIONS[1])
        eventually(lambda: self.inbox_state(late["activity"]) == "failed",
                   "the late vote refused")
        self.assertEqual(self.counts(question), [(0, 1), (1, 0)])

        # 9. The official answer reaches the peer (follower, voter, replier: once) and resident.
        answered = town.cli("consultation", "answer", question, "--as", "gemeente", ANSWER)
        answer_url = answered.stdout.strip().splitlines()[-1]
        at_peer = eventually(lambda: [n for n in peer.notes(in_reply_to=question)
                                      if n["id"] == answer_url],
                             "the peer receives the official answer")
        self.assertEqual(len(at_peer), 1)
        self.assertEqual(at_peer[0]["actor"], self.gemeente)
        self.assertIn(ANSWER, at_peer[0]["content"])
        self.assertTrue(at_peer[0]["signature"]["verified"], at_peer[0]["signature"])
        eventually(lambda: rows(resident, "SELECT in_reply_to FROM posts WHERE ap_id = ?",
                                answer_url) == [(question,)],
                   "the resident's server stores the official answer as a reply")
        # The peer is a follower and a voter on the same server: the final counts came once.
        self.assertEqual(len(final_at_peer()), 1, "one final Update(Question) at the peer")

        # 10. The CSV export matches the counts and lists the peer's reply and the answer.
        csv = town.get(self.path_of(question) + "/export.csv")
        self.assertEqual(csv.status, 200)
        counts_part, replies_part = csv.text.split("\r\n\r\n")
        self.assertEqual(counts_part, "option,residents,others,total\r\n"
                                      f"{OPTIONS[0]},0,1,1\r\n{OPTIONS[1]},1,0,1")
        replies_rows = replies_part.strip("\r\n").split("\r\n")
        self.assertEqual(replies_rows[0], "reply,author,server,published,activity,verified_by")
        self.assertEqual(len(replies_rows), 3, replies_rows)
        fields = replies_rows[1].split(",")
        self.assertEqual(fields[0], reply["id"])
        self.assertTrue(fields[1].startswith(f"voter@127.0.0.2:{peer.port}"), fields)
        self.assertEqual(fields[4:], [reply["activity"], "signature"])
        self.assertTrue(replies_rows[2].startswith(answer_url + ",gemeente@"), replies_rows[2])
        # No voter: not anna (who only voted), no vote id.
        self.assertNotIn(self.anna, csv.text)
        self.assertNotIn("#votes/", csv.text)

    def test_fedify_votes_on_a_multiple_choice_consultation(self):
        """anyOf: Fedify reads inclusive options; one vote per option, one voter."""
        town, peer = self.town, self.peer
        peer.follow_handle(f"@gemeente@127.0.0.1:{town.port}")
        eventually(lambda: peer.following().get(self.gemeente, {}).get("state") == "accepted",
                   "the peer's follow of gemeente is accepted")
        closes = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
        options = ["Saturday", "Sunday", "Wednesday"]
        args = ["consultation", "create", "--as", "gemeente", "--title", "Market days?",
                "--body", "Which days should the market open?", "--multiple",
                "--closes", closes.strftime("%Y-%m-%dT%H:%M:%SZ")]
        for option in options:
            args += ["--option", option]
        question = town.cli(*args).stdout.strip().splitlines()[-1]
        [created] = eventually(lambda: self.peer_questions(question, "Create"),
                               "the peer receives Create(Question) and Fedify parses it")
        self.assertTrue(created["multiple"])
        self.assertEqual([o["name"] for o in created["options"]], options)

        # A multiple-choice vote is one activity per option (INTEROP.md section 9).
        first = peer.vote(question, options[0])
        third = peer.vote(question, options[2])
        for vote in (first, third):
            eventually(lambda v=vote: self.inbox_state(v["activity"]) == "done",
                       f"town counts {vote['activity']}")
        self.assertEqual(self.counts(question), [(1, 0), (0, 0), (1, 0)])
        eventually(lambda: self.peer_questions(
            question, "Update",
            lambda q: q["voters"] == 1 and [o["totalItems"] for o in q["options"]] == [1, 0, 1]),
            "the peer reads one voter and the counts per option in Update(Question)")


if __name__ == "__main__":
    unittest.main()
