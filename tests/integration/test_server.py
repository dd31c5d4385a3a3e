"""The real civicpub binary on an ephemeral loopback port: HTTP core behaviour and the CLI."""

import http.client
import pathlib
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import unittest

from harness import Instance, binary, wait_until


class ServerTest(unittest.TestCase):
    """One server for the read-only checks (starting a process per test costs time)."""

    @classmethod
    def setUpClass(cls):
        cls.instance = Instance("server", extra_toml="""
[http]
read_timeout_seconds = 1
max_body_bytes = 2048
""")
        cls.instance.init()
        cls.instance.start()

    @classmethod
    def tearDownClass(cls):
        code = cls.instance.stop()
        cls.instance.cleanup()
        assert code == 0, f"server exited with {code}"

    def test_healthz(self):
        r = self.instance.get("/healthz")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json(), {"status": "ok"})
        self.assertTrue(r.headers["content-type"].startswith("application/json"))

    def test_unknown_path_is_404_json(self):
        r = self.instance.get("/no/such/thing")
        self.assertEqual(r.status, 404)
        self.assertIn("error", r.json())

    def test_body_over_the_limit_is_413(self):
        r = self.instance.request("POST", "/healthz", body=b"x" * 4096,
                                  headers={"Content-Type": "application/json"})
        self.assertEqual(r.status, 413)
        self.assertIn("error", r.json())

    def test_body_under_the_limit_is_not_413(self):
        r = self.instance.request("POST", "/healthz", body=b"x" * 100,
                                  headers={"Content-Type": "application/json"})
        self.assertEqual(r.status, 405)

    def test_stalled_client_is_dropped_while_others_are_served(self):
        stalled = socket.create_connection(("127.0.0.1", self.instance.port), timeout=10)
        try:
            stalled.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: ")
            started = time.monotonic()
            # Meanwhile another client is served at once.
            self.assertEqual(self.instance.get("/healthz").status, 200)
            # The server closes the stalled connection after read_timeout_seconds (1 s) without
            # answering: recv returns b"" (or the connection is reset).
            try:
                data = stalled.recv(4096)
            except ConnectionResetError:
                data = b""
            elapsed = time.monotonic() - started
            self.assertEqual(data, b"")
            self.assertGreaterEqual(elapsed, 0.8)
            self.assertLess(elapsed, 8)
        finally:
            stalled.close()

    def test_two_requests_on_one_keep_alive_connection(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.instance.port, timeout=10)
        try:
            conn.request("GET", "/healthz")
            first = conn.getresponse()
            first.read()
            self.assertEqual(first.status, 200)
            sock = conn.sock
            self.assertIsNotNone(sock)
            conn.request("GET", "/healthz")
            second = conn.getresponse()
            second.read()
            self.assertEqual(second.status, 200)
            self.assertIs(conn.sock, sock, "the second request used a new connection")
        finally:
            conn.close()


class TlsTest(unittest.TestCase):
    def test_tls_with_a_certificate_made_now(self):
        with Instance("tls", tls=True) as instance:
            instance.init()
            instance.start()
            self.assertTrue(instance.base_url.startswith("https://"))
            r = instance.get("/healthz")
            self.assertEqual(r.status, 200)
            self.assertEqual(r.json(), {"status": "ok"})
            # A client that does not trust the certificate is refused.
            untrusting = ssl.create_default_context()
            conn = http.client.HTTPSConnection("127.0.0.1", instance.port, timeout=10,
                                               context=untrusting)
            with self.assertRaises(ssl.SSLError):
                conn.request("GET", "/healthz")
            conn.close()
            self.assertEqual(instance.stop(), 0)


class ShutdownTest(unittest.TestCase):
    def test_sigterm_stops_cleanly_with_a_slow_request_in_flight(self):
        with Instance("shutdown", extra_toml="[http]\nread_timeout_seconds = 5\n") as instance:
            instance.init()
            instance.start()
            # A request whose body is still arriving when SIGTERM comes: the server must let it
            # finish (within the grace period) and then exit 0.
            body = b'{"a": 1}' * 8
            slow = socket.create_connection(("127.0.0.1", instance.port), timeout=10)
            slow.sendall(b"POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         b"Content-Type: application/json\r\n"
                         b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body[:10])
            # Once another connection's request has been answered, this one has been accepted
            # (in order). Its bytes may still be unread when SIGTERM comes (seen under ASan): the
            # server answers a request that has arrived all the same.
            self.assertEqual(instance.get("/healthz").status, 200)
            instance.process.send_signal(signal.SIGTERM)
            wait_until(lambda: "shutting down" in instance.log_text(),
                       message="the server logs the shutdown")
            slow.sendall(body[10:])
            answer = slow.recv(4096)
            slow.close()
            self.assertTrue(answer.startswith(b"HTTP/1.1 405"), answer)
            # Wait for the exit the first SIGTERM started: a second one (stop() sends it) can
            # arrive after the server restored the default handler on its way out, and kill it.
            self.assertEqual(instance.process.wait(timeout=30), 0)
            # New connections are refused once it is gone.
            with self.assertRaises(OSError):
                socket.create_connection(("127.0.0.1", instance.port), timeout=2)

    def test_sigint_also_stops_cleanly(self):
        with Instance("sigint") as instance:
            instance.init()
            instance.start()
            self.assertEqual(instance.stop(sig=signal.SIGINT), 0)


class CliTest(unittest.TestCase):
    def run_civicpub(self, *args):
        return subprocess.run([binary(), *args], capture_output=True, text=True, timeout=60)

    def test_help_everywhere(self):
        for args in (["--help"], ["--config", "x", "init", "--help"],
                     ["--config", "x", "account", "--help"],
                     ["--config", "x", "account", "create", "--help"]):
            result = self.run_civicpub(*args)
            self.assertEqual(result.returncode, 0, (args, result.stderr))
            self.assertIn("Usage", result.stdout)

    def test_usage_errors_exit_2(self):
        self.assertEqual(self.run_civicpub("--config", "x", "frobnicate").returncode, 2)
        self.assertEqual(self.run_civicpub("init").returncode, 2)  # no --config
        self.assertEqual(self.run_civicpub("--config", "x").returncode, 2)  # no command
        with Instance("usage") as instance:
            bad_type = instance.cli("account", "create", "--username", "a", "--type", "robot",
                                    check=False)
            self.assertEqual(bad_type.returncode, 2)
            bad_name = instance.cli("account", "create", "--username", "Alice", check=False)
            self.assertEqual(bad_name.returncode, 2)
            self.assertIn("--username", bad_name.stderr)

    def test_invalid_config_value_exits_1_naming_the_key(self):
        with tempfile.TemporaryDirectory() as tmp:
            config = pathlib.Path(tmp) / "c.toml"
            config.write_text('[instance]\nbase_url = "http://127.0.0.1:1"\n'
                              '[http]\nlisten = "8o80"\n')
            result = self.run_civicpub("--config", str(config), "init")
            self.assertEqual(result.returncode, 1)
            self.assertEqual(result.stderr.strip(),
                             'http.listen: expected host:port, got "8o80"')
            config.write_text('[instance]\nbase_url = "http://127.0.0.1:1"\nbase_ur1 = "x"\n')
            result = self.run_civicpub("--config", str(config), "init")
            self.assertEqual(result.returncode, 1)
            self.assertEqual(result.stderr.strip(), "instance.base_ur1: unknown key")
            result = self.run_civicpub("--config", str(pathlib.Path(tmp) / "missing.toml"),
                                       "init")
            self.assertEqual(result.returncode, 1)
            self.assertIn("cannot read the config file", result.stderr)

    def test_accounts_init_twice_and_duplicates(self):
        with Instance("cli") as instance:
            first = instance.cli("init")
            self.assertIn("/users/instance", first.stdout)
            instance.cli("init")  # idempotent: migrates, keeps the instance actor
            url = instance.create_account("gemeente", type="organization",
                                          display_name="Gemeente Voorbeeld")
            self.assertEqual(url, f"{instance.base_url}/users/gemeente")
            instance.create_account("alice")
            duplicate = instance.cli("account", "create", "--username", "alice", check=False)
            self.assertEqual(duplicate.returncode, 1)
            self.assertEqual(duplicate.stderr.strip(),
                             "account create: username 'alice' is taken")
            listing = instance.cli("account", "list").stdout
            self.assertIn(f"@gemeente@{instance.host}\tOrganization\t{url}\tGemeente Voorbeeld",
                          listing)
            self.assertIn(f"@alice@{instance.host}\tPerson", listing)
            self.assertEqual(listing.count("@instance@"), 1)
            # The data survives a second init.
            instance.cli("init")
            self.assertIn("@alice@", instance.cli("account", "list").stdout)

    def test_handle_domain_is_used_for_handles(self):
        with Instance("handles", handle_domain="town.example") as instance:
            instance.init()
            instance.create_account("bob")
            self.assertIn("@bob@town.example\t", instance.cli("account", "list").stdout)


if __name__ == "__main__":
    unittest.main()
