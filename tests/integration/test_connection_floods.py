"""Connection floods against the real server (issue 11, items 4 and 10; docs/security.md
"Connections").

The server allows 24 connections, 8 per client address. One address (127.0.0.5) opens 40
connections and says nothing; another (127.0.0.6) opens 40 and sends a request header a byte at
a time (slowloris). Without the per-address share either flood would take every slot until its
read deadline (30 s), and /healthz from 127.0.0.1 would be refused; with it, /healthz is served
while both floods hold their connections open.
"""

import select
import socket
import threading
import time
import unittest

from harness import Instance, wait_until


def closed_count(sockets):
    """How many of `sockets` the server has closed (EOF or reset), without blocking."""
    readable, _, _ = select.select(sockets, [], [], 0)
    closed = 0
    for s in readable:
        try:
            closed += 1 if s.recv(1, socket.MSG_PEEK) == b"" else 0
        except OSError:
            closed += 1
    return closed

TOTAL = 24
PER_ADDRESS = 8
FLOOD = 40


class ConnectionFloods(unittest.TestCase):
    def setUp(self):
        self.town = Instance("town", extra_toml=(
            f"[http]\nmax_connections = {TOTAL}\nmax_connections_per_address = {PER_ADDRESS}\n"
            "read_timeout_seconds = 30\nidle_timeout_seconds = 30\n"))
        self.addCleanup(self.town.cleanup)
        self.town.init()
        self.town.start()
        self.addCleanup(self.town.stop)
        self.sockets = []
        self.addCleanup(self.close_all)
        self.stop_drip = threading.Event()

    def close_all(self):
        self.stop_drip.set()
        for s in self.sockets:
            s.close()

    def open_from(self, address, count):
        opened = []
        for _ in range(count):
            s = socket.create_connection((self.town.address, self.town.port), timeout=10,
                                         source_address=(address, 0))
            self.sockets.append(s)
            opened.append(s)
        return opened

    def drip(self, sockets):
        """Slowloris: a header line started, then one byte per second on every socket."""
        for s in sockets:
            try:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            except OSError:
                pass
        while not self.stop_drip.wait(1.0):
            for s in sockets:
                try:
                    s.sendall(b"a")
                except OSError:
                    pass

    def healthy_from_elsewhere(self):
        started = time.monotonic()
        response = self.town.get("/healthz")
        return response.status, time.monotonic() - started

    def test_idle_and_slowloris_floods_leave_room_for_other_clients(self):
        idle = self.open_from("127.0.0.5", FLOOD)
        slow = self.open_from("127.0.0.6", FLOOD)
        threading.Thread(target=self.drip, args=(slow,), daemon=True).start()
        # The server closes what is over each address's share at once: at most PER_ADDRESS of
        # each flood stay open (the others read EOF or a reset).
        for group in (idle, slow):
            wait_until(lambda: closed_count(group) >= FLOOD - PER_ADDRESS, timeout=30,
                       message="the server kept more than its share of connections open")
            self.assertGreater(FLOOD - closed_count(group), 0)
        # Both floods still hold their share, and another client is served.
        for _ in range(5):
            status, seconds = self.healthy_from_elsewhere()
            self.assertEqual(status, 200)
            self.assertLess(seconds, 10)
        self.assertIn("connection limit", self.town.log_text())


if __name__ == "__main__":
    unittest.main()
