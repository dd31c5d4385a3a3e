"""Consultations (issue 14) against a real civicpub: signed stub voters on 127.0.0.2 (eligible)
and 127.0.0.3 (others) vote as Mastodon does; a double vote, a forged vote and a late vote are
refused; counts reach the voters in Update(Question); the server closes the consultation at its
deadline with a final Update to every voter's server, followers or not; the official answer
reaches every participant's server (a follower, and voters and a replier who follow nobody) and
comes first on the page; the exports match the counts and name no voter.
"""

import datetime
import json
import sqlite3
import unittest
import uuid

from harness import Instance, wait_until
from remote_stub import RemoteServer

AS2 = {"Accept": "application/activity+json"}
OPTIONS = ["By the pond", "Near the library"]


def rows(instance, sql, *params):
    with sqlite3.connect(instance.data_dir / "civicpub.db") as conn:
        return conn.execute(sql, params).fetchall()


def vote(actor, question, option, town_actor):
    n = uuid.uuid4().hex
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{actor.id}#votes/{n}/activity",
        "type": "Create",
        "actor": actor.id,
        "to": town_actor,
        "object": {"id": f"{actor.id}#votes/{n}", "type": "Note", "name": option,
                   "attributedTo": actor.id, "inReplyTo": question, "to": town_actor},
    }


def item_state(instance, activity_id):
    found = rows(instance, "SELECT state FROM inbox_items WHERE activity_id = ?", activity_id)
    return found[0][0] if found else None


class ConsultationTest(unittest.TestCase):
    def test_a_town_consultation_from_votes_to_the_official_answer(self):
        eligible = RemoteServer("127.0.0.2")
        others = RemoteServer("127.0.0.3")
        blocked = RemoteServer("127.0.0.4")
        self.addCleanup(eligible.close)
        self.addCleanup(others.close)
        self.addCleanup(blocked.close)
        eve = blocked.add_actor("eve")
        anna = eligible.add_actor("anna")
        dora = eligible.add_actor("dora")
        carl = others.add_actor("carl")
        with Instance("consult", extra_toml="[federation]\npoll_update_interval_seconds = 1\n"
                                                 "blocked_domains = [\"127.0.0.4\"]\n") \
                as town:
            town.init()
            town_actor = town.create_account("gemeente", type="organization")
            closes = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=25)
            created = town.cli(
                "consultation", "create", "--as", "gemeente",
                "--title", "Where should the new bench go?",
                "--body", "The council decides in March.",
                "--option", OPTIONS[0], "--option", OPTIONS[1],
                "--closes", closes.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "--eligible-domain", "127.0.0.2")
            question = created.stdout.strip().splitlines()[-1]
            self.assertTrue(question.startswith(f"{town.base_url}/users/gemeente/statuses/"))
            bad = town.cli("consultation", "create", "--as", "gemeente", "--title", "x",
                           "--body", "y", "--option", "only", "--closes", "2020-01-01T00:00:00Z",
                           check=False)
            self.assertEqual(bad.returncode, 1)
            town.start()
            path = question[len(town.base_url):]

            doc = town.get(path, AS2).json()
            self.assertEqual(doc["type"], "Question")
            self.assertEqual(doc["name"], "Where should the new bench go?")
            self.assertEqual([o["name"] for o in doc["oneOf"]], OPTIONS)
            self.assertEqual(doc["votersCount"], 0)
            self.assertIn("endTime", doc)
            self.assertEqual(doc["context"], question + "/context")

            inbox = "/users/gemeente/inbox"
            # carl follows the town; anna and dora do not.
            follow = {"@context": "https://www.w3.org/ns/activitystreams",
                      "id": f"{carl.id}/follows/1", "type": "Follow", "actor": carl.id,
                      "object": town_actor}
            self.assertEqual(carl.signed_post(town, inbox, follow).status, 202)
            wait_until(lambda: rows(town, "SELECT count(*) FROM follows WHERE state = 'accepted'")
                       == [(1,)], timeout=30, message="carl follows the town")
            for voter, option in ((anna, OPTIONS[0]), (dora, OPTIONS[0]), (carl, OPTIONS[1])):
                self.assertEqual(voter.signed_post(town, inbox,
                                                   vote(voter, question, option, town_actor)).status,
                                 202)

            def counts():
                data = json.loads(town.get(path + "/export.json").text)
                return [(o["residents"], o["others"]) for o in data["options"]]

            wait_until(lambda: counts() == [(2, 0), (0, 1)], timeout=30,
                       message="three votes counted, residents and others apart")

            # A double vote (a new activity, same voter and option) changes nothing.
            double = vote(anna, question, OPTIONS[0], town_actor)
            self.assertEqual(anna.signed_post(town, inbox, double).status, 202)
            wait_until(lambda: item_state(town, double["id"]) == "done", timeout=30)
            # A vote forged by another server: carl's server delivers a vote in anna's name.
            forged = vote(anna, question, OPTIONS[1], town_actor)
            self.assertEqual(carl.signed_post(town, inbox, forged).status, 202)
            wait_until(lambda: item_state(town, forged["id"]) == "failed", timeout=30,
                       message="the forged vote refused")
            self.assertEqual(counts(), [(2, 0), (0, 1)])
            # A vote from a blocked domain is refused at the door.
            self.assertEqual(eve.signed_post(town, inbox,
                                             vote(eve, question, OPTIONS[1], town_actor)).status,
                             403)
            self.assertEqual(counts(), [(2, 0), (0, 1)])

            # Votes are no replies: the question has none, and the page shows none.
            self.assertEqual(town.get(path + "/replies", AS2).json()["totalItems"], 0)
            reply = {
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": f"{anna.id}/statuses/1/activity", "type": "Create", "actor": anna.id,
                "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [town_actor],
                "object": {"id": f"{anna.id}/statuses/1", "type": "Note",
                           "attributedTo": anna.id, "inReplyTo": question,
                           "content": "<p>The pond has shade.</p>",
                           "published": "2026-12-06T00:00:00Z",
                           "to": ["https://www.w3.org/ns/activitystreams#Public"],
                           "cc": [town_actor]},
            }
            self.assertEqual(anna.signed_post(town, inbox, reply).status, 202)
            wait_until(lambda: town.get(path + "/replies", AS2).json()["totalItems"] == 1,
                       timeout=30, message="the reply stored")

            # Every voter's server hears the counts (Update(Question), rate-limited).
            def update_seen(server, actor, predicate):
                for target, body in server.posts_received():
                    activity = json.loads(body)
                    if target == actor.inbox.split(server.origin)[-1] and \
                            activity.get("type") == "Update" and predicate(activity["object"]):
                        return activity
                return None

            def has_counts(obj):
                return [o["replies"]["totalItems"] for o in obj.get("oneOf", [])] == [2, 1]

            for server, actor in ((eligible, anna), (eligible, dora), (others, carl)):
                wait_until(lambda s=server, a=actor: update_seen(s, a, has_counts), timeout=30,
                           message=f"Update(Question) with the counts at {actor.id}")

            # The deadline: the server closes it and sends the final counts to every voter.
            for server, actor in ((eligible, anna), (others, carl)):
                final = wait_until(
                    lambda s=server, a=actor: update_seen(s, a, lambda o: "closed" in o),
                    timeout=60, message=f"the final Update at {actor.id}")
                self.assertEqual([o["replies"]["totalItems"] for o in final["object"]["oneOf"]],
                                 [2, 1])
                self.assertEqual(final["object"]["votersCount"], 3)
            listed = town.cli("consultation", "list").stdout
            self.assertIn("closed", listed)
            self.assertIn("127.0.0.2", listed)
            self.assertIn("127.0.0.3", listed)

            late = vote(carl, question, OPTIONS[0], town_actor)
            late["id"] = f"{carl.id}#votes/late/activity"
            self.assertEqual(carl.signed_post(town, inbox, late).status, 202)
            wait_until(lambda: item_state(town, late["id"]) == "failed", timeout=30,
                       message="the late vote refused")
            self.assertEqual(counts(), [(2, 0), (0, 1)])

            # The official answer.
            answered = town.cli("consultation", "answer", question, "--as", "gemeente",
                                "The bench goes by the pond.")
            answer = answered.stdout.strip().splitlines()[-1]
            self.assertEqual(rows(town, "SELECT in_reply_to FROM posts WHERE ap_id = ?", answer),
                             [(question,)])

            # Every participant's server receives the answer: carl's (a follower and a voter)
            # once, and anna's and dora's (voters, anna also replied; no followers) though the
            # answer addresses neither.
            def answers_at(server, actor):
                return [a for target, body in server.posts_received()
                        for a in [json.loads(body)]
                        if target == actor.inbox.split(server.origin)[-1]
                        and a.get("type") == "Create" and a["object"].get("id") == answer]

            for server, actor in ((eligible, anna), (eligible, dora), (others, carl)):
                wait_until(lambda s=server, a=actor: answers_at(s, a), timeout=30,
                           message=f"the official answer at {actor.id}")
            self.assertEqual(len(answers_at(others, carl)), 1)
            delivered = answers_at(eligible, anna)[0]["object"]
            self.assertNotIn(anna.id, json.dumps([delivered.get("to"), delivered.get("cc")]))
            page = town.get(path).text
            self.assertIn("Official answer", page)
            self.assertLess(page.index("Official answer"), page.index("Discussion"))
            self.assertLess(page.index("The bench goes by the pond."),
                            page.index("The pond has shade."))
            self.assertIn("<svg", page)
            self.assertIn("<table>", page)
            self.assertIn("Answered", page)

            # The town's consultations, as a page and an Atom feed.
            listing = town.get("/users/gemeente/consultations")
            self.assertEqual(listing.status, 200)
            self.assertIn("Where should the new bench go?", listing.text)
            self.assertIn("Answered", listing.text)
            feed = town.get("/users/gemeente/consultations.atom")
            self.assertEqual(feed.status, 200)
            self.assertIn("application/atom+xml", feed.headers["content-type"])
            self.assertIn(question, feed.text)
            self.assertEqual(town.get("/users/nobody/consultations").status, 404)

            # Open data: the CSV matches the counts and names no voter; it lists the public
            # replies with their provenance (anna's reply came signed by anna).
            csv = town.get(path + "/export.csv")
            self.assertEqual(csv.status, 200)
            counts_part, replies_part = csv.text.split("\r\n\r\n")
            self.assertEqual(counts_part, "option,residents,others,total\r\n"
                                          "By the pond,2,0,2\r\nNear the library,0,1,1")
            replies_rows = replies_part.strip("\r\n").split("\r\n")
            self.assertEqual(replies_rows[0], "reply,author,server,published,activity,verified_by")
            self.assertEqual(len(replies_rows), 3)  # anna's reply and the answer
            fields = replies_rows[1].split(",")
            self.assertEqual(fields[0], reply["object"]["id"])
            self.assertTrue(fields[1].startswith("anna@127.0.0.2"))
            self.assertEqual(fields[3], "2026-12-06T00:00:00.000Z")
            self.assertEqual(fields[4:], [reply["id"], "signature"])
            self.assertTrue(replies_rows[2].startswith(answer + ",gemeente@"))
            self.assertTrue(replies_rows[2].endswith(",local"))
            exported = json.loads(town.get(path + "/export.json").text)
            self.assertEqual([r["verified_by"] for r in exported["replies"]],
                             ["signature", "local"])
            for actor in (dora, carl):
                self.assertNotIn(actor.id, csv.text)
                self.assertNotIn(actor.id, json.dumps(exported))
            audit = town.cli("consultation", "export", question, "--with-voters").stdout
            self.assertIn(f"{anna.id},By the pond,yes,", audit)
            self.assertIn(f"{carl.id},Near the library,no,", audit)


class CivicpubVoterTest(unittest.TestCase):
    def test_a_second_civicpub_votes_through_its_cli(self):
        with Instance("consult-town", extra_toml="[federation]\npoll_update_interval_seconds = 1\n") \
                as town, Instance("consult-resident", host="127.0.0.5") as resident:
            town.init()
            town.create_account("gemeente", type="organization")
            closes = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
            question = town.cli(
                "consultation", "create", "--as", "gemeente", "--title", "Market days?",
                "--body", "Which days should the market open?", "--multiple",
                "--option", "Saturday", "--option", "Sunday", "--option", "Wednesday",
                "--closes", closes.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "--eligible-domain", "127.0.0.5").stdout.strip().splitlines()[-1]
            town.start()
            resident.init()
            resident.create_account("anna")
            resident.start()

            refused = resident.cli("consultation", "vote", question, "--as", "anna",
                                   "--option", "Friday", check=False)
            self.assertEqual(refused.returncode, 1)
            self.assertIn("option that does not exist", refused.stderr)
            sent = resident.cli("consultation", "vote", question, "--as", "anna",
                                "--option", "Saturday", "--option", "Wednesday")
            self.assertIn("vote sent", sent.stdout)
            path = question[len(town.base_url):]

            def counts():
                data = json.loads(town.get(path + "/export.json").text)
                return [(o["residents"], o["others"]) for o in data["options"]]

            wait_until(lambda: counts() == [(1, 0), (0, 0), (1, 0)], timeout=60,
                       message="the resident's two votes counted as a resident's")
            # The resident's server hears the new counts: the stored Question is updated.
            def stored_counts():
                found = rows(resident, "SELECT raw_json FROM posts WHERE ap_id = ?", question)
                if not found:
                    return None
                doc = json.loads(found[0][0])
                return [o["replies"]["totalItems"] for o in doc["anyOf"]]

            wait_until(lambda: stored_counts() == [1, 0, 1], timeout=60,
                       message="the Update(Question) reached the voter's server")
            # The resident's server shows the poll with its counts.
            [(row,)] = rows(resident, "SELECT id FROM posts WHERE ap_id = ?", question)
            page = resident.get(f"/remote/{row}").text
            self.assertIn("Saturday: 1 vote", page)
            self.assertIn("Sunday: 0 votes", page)
            # A second vote is refused by the voter's own server, as Mastodon refuses it.
            again = resident.cli("consultation", "vote", question, "--as", "anna",
                                 "--option", "Sunday", check=False)
            self.assertEqual(again.returncode, 1)
            self.assertIn("already voted", again.stderr)
            self.assertEqual(rows(resident, "SELECT count(*) FROM deliveries d"
                                            " JOIN delivery_bodies b ON b.id = d.body_id"
                                            " WHERE b.body LIKE '%Sunday%'"), [(0,)])
            self.assertEqual(counts(), [(1, 0), (0, 0), (1, 0)])


if __name__ == "__main__":
    unittest.main()
