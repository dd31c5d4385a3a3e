"""What the interop tests share: AS2 helpers and a test case that runs civicpub instances and
Fedify peers for a whole test class.

    object_id(value), as_list(value)    AS2 references and values that may be one or many
    cli_post(instance, *args) -> URL    `civicpub post ...`, the post's URL (its last line)
    PeerWorld                           a unittest.TestCase: a subclass's build() makes
                                        cls.instances (harness.Instance, initialised, accounts
                                        made) and cls.peers (FedifyPeer); setUpClass starts them
                                        all, tearDownClass stops and removes them all, and a
                                        failing test prints every log.

Standard library only.
"""

import unittest

AS2 = "https://www.w3.org/ns/activitystreams"
AS2_ACCEPT = {"Accept": "application/activity+json"}
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def object_id(value):
    """An AS2 reference as an id, whether it is a string or an embedded object."""
    return value.get("id") if isinstance(value, dict) else value


def as_list(value):
    return [] if value is None else value if isinstance(value, list) else [value]


def cli_post(instance, *args):
    """Runs `civicpub post ...` on instance; the post URL is the last line of its output."""
    lines = instance.cli("post", *args).stdout.strip().splitlines()
    assert lines, "civicpub post printed nothing"
    return lines[-1].strip()


class PeerWorld(unittest.TestCase):
    instances = ()
    peers = ()
    LOG_LINES = 120  # of each civicpub log printed for a failing test

    @classmethod
    def build(cls):
        """Makes cls.instances and cls.peers; instances initialised, not started."""
        raise NotImplementedError

    @classmethod
    def setUpClass(cls):
        cls.instances, cls.peers = (), ()
        try:
            cls.build()
            for instance in cls.instances:
                instance.start()
            for peer in cls.peers:
                peer.start()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        for peer in cls.peers:
            peer.close()
        for instance in cls.instances:
            try:
                instance.stop()
            finally:
                instance.cleanup()

    def tearDown(self):
        outcome = getattr(self, "_outcome", None)
        result = getattr(outcome, "result", None)
        if result and any(t is self for t, _ in result.failures + result.errors):
            for peer in self.peers:
                print(f"--- fedify peer {peer.name} log ---\n{peer.log_tail()}")
            for instance in self.instances:
                print(f"--- civicpub {instance.name} log ---\n{instance.log_tail(self.LOG_LINES)}")
