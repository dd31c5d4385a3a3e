"""Integration-test harness: real civicpub processes on 127.0.0.1 with ephemeral ports.

Standard library only. Every integration and interop test builds on this API; keep it stable:

    free_port(host="127.0.0.1") -> int
    wait_until(predicate, timeout=20.0, interval=0.05, message="") -> value
    Instance(name, *, handle_domain=None, tls=None, extra_toml="", port=None, host="127.0.0.1")
        host: the loopback address it listens on and names itself by (127.0.0.0/8, "localhost")
        .name .port .base_url .config_path .data_dir .log_path .tls_cert .tls_key
        .cli(*args, input=None, check=True, timeout=60) -> subprocess.CompletedProcess
        .init() / .create_account(username, type="person", display_name=None) -> actor URL
        .start(wait=True) / .stop(sig=signal.SIGTERM, timeout=15) -> exit code
        .request(method, path, body=None, headers=None, timeout=10) -> Response
        .get(path, headers=None) -> Response
        .ssl_context() -> ssl.SSLContext trusting this instance's certificate (tls only)
        context manager: __exit__ stops the process, prints the log tail on failure, removes the
        temporary directory (kept when CIVICPUB_KEEP=1)

The binary is $CIVICPUB_BIN (set by CTest), else build/test/server/civicpub.
"""

import http.client
import json
import os
import pathlib
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import urllib.parse
import time
import tomllib

REPO = pathlib.Path(__file__).resolve().parents[2]


def binary() -> str:
    path = os.environ.get("CIVICPUB_BIN") or str(REPO / "build" / "test" / "server" / "civicpub")
    if not os.path.exists(path):
        raise RuntimeError(f"civicpub binary not found at {path}; build it or set CIVICPUB_BIN")
    return path


def free_port(host="127.0.0.1") -> int:
    """A TCP port on host (a loopback address) that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


# How much longer than a plain Debug build the binary may take: 3 under ASan/UBSan (set by
# tests/CMakeLists.txt), where a loaded 2-core machine made 30-second waits time out.
TIME_SCALE = float(os.environ.get("CIVICPUB_TIME_SCALE", "1") or 1)


def wait_until(predicate, timeout=20.0, interval=0.05, message=""):
    """Polls predicate() until it returns a truthy value (returned) or the deadline passes.

    Exceptions from the predicate count as "not yet"; the last one is named in the failure.
    The deadline is timeout times TIME_SCALE.
    """
    timeout *= TIME_SCALE
    deadline = time.monotonic() + timeout
    last_error = None
    while True:
        try:
            value = predicate()
            if value:
                return value
        except Exception as e:  # noqa: BLE001 - a poll target that is not ready yet may raise
            last_error = e
        if time.monotonic() >= deadline:
            detail = f" (last error: {last_error!r})" if last_error else ""
            raise AssertionError(f"timed out after {timeout}s: {message or predicate}{detail}")
        time.sleep(interval)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # dict, lowercase names; repeated headers joined with ", "
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"Response({self.status}, {self.text[:200]!r})"


def _toml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a valid TOML basic string
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def _toml_dump(sections):
    lines = []
    for section, values in sections.items():
        lines.append(f"[{section}]")
        lines.extend(f"{key} = {_toml_value(value)}" for key, value in values.items())
        lines.append("")
    return "\n".join(lines)


def make_certificate(directory, common_name="127.0.0.1"):
    """A self-signed certificate for 127.0.0.1 made with openssl; returns (cert, key) paths."""
    directory = pathlib.Path(directory)
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", f"/CN={common_name}", "-addext", f"subjectAltName=IP:{common_name}",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60)
    return cert, key


class Instance:
    """One civicpub process with its own temporary directory, config and SQLite file."""

    def __init__(self, name, *, handle_domain=None, tls=None, extra_toml="", port=None,
                 host="127.0.0.1"):
        self.name = name
        # "localhost" resolves to 127.0.0.1 for listening and connecting, but is another host name
        # in URLs (origin checks compare host names).
        self.address = "127.0.0.1" if host == "localhost" else host
        self.port = port or free_port(self.address)
        self.data_dir = pathlib.Path(tempfile.mkdtemp(prefix=f"civicpub-{name}-"))
        self.config_path = self.data_dir / "civicpub.toml"
        self.log_path = self.data_dir / "civicpub.log"
        self.process = None
        # tls: None (plain HTTP), True (a certificate made now), or a (cert, key) pair of paths.
        self.tls_cert = self.tls_key = None
        if tls is True:
            self.tls_cert, self.tls_key = make_certificate(self.data_dir)
        elif tls:
            self.tls_cert, self.tls_key = (pathlib.Path(p) for p in tls)
        scheme = "https" if self.tls_cert else "http"
        self.base_url = f"{scheme}://{host}:{self.port}"
        self.host = f"{host}:{self.port}"

        sections = {
            "instance": {"base_url": self.base_url, "name": f"civicpub {name}"},
            "http": {"listen": f"{self.address}:{self.port}"},
            "storage": {"path": str(self.data_dir / "civicpub.db")},
            "federation": {"allow_private_addresses": ["127.0.0.0/8", "::1/128"]},
            "logging": {"level": "debug"},
        }
        if handle_domain:
            sections["instance"]["handle_domain"] = handle_domain
        if self.tls_cert:
            sections["http"]["tls_cert"] = str(self.tls_cert)
            sections["http"]["tls_key"] = str(self.tls_key)
        # extra_toml is merged per section: its keys replace or add to the defaults above.
        for section, values in tomllib.loads(extra_toml).items():
            sections.setdefault(section, {}).update(values)
        self.config_path.write_text(_toml_dump(sections), encoding="utf-8")

    # --- command line -------------------------------------------------------------------------

    def cli(self, *args, input=None, check=True, timeout=60):
        result = subprocess.run(
            [binary(), "--config", str(self.config_path), *map(str, args)],
            input=input, capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(
                f"civicpub {' '.join(map(str, args))} exited {result.returncode}\n"
                f"stdout: {result.stdout}\nstderr: {result.stderr}")
        return result

    def init(self):
        self.cli("init")

    def create_account(self, username, type="person", display_name=None):
        args = ["account", "create", "--username", username, "--type", type]
        if display_name is not None:
            args += ["--display-name", display_name]
        self.cli(*args)
        return f"{self.base_url}/users/{username}"

    # --- the server process -------------------------------------------------------------------

    def start(self, wait=True):
        assert self.process is None, "already started"
        log = open(self.log_path, "ab")
        try:
            self.process = subprocess.Popen(
                [binary(), "--config", str(self.config_path), "serve"],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        finally:
            log.close()
        if wait:
            def healthy():
                if self.process.poll() is not None:
                    raise AssertionError(
                        f"civicpub exited with {self.process.returncode}:\n{self.log_tail()}")
                return self.request("GET", "/healthz", timeout=2).status == 200
            try:
                wait_until(healthy, message=f"{self.name} answers /healthz")
            except AssertionError:
                print(self.log_tail())
                raise
        return self

    def stop(self, sig=signal.SIGTERM, timeout=15):
        """Sends sig and waits for the exit; returns the exit code (killed after timeout)."""
        if self.process is None:
            return None
        process, self.process = self.process, None
        if process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                raise AssertionError(f"{self.name} did not exit within {timeout}s of {sig!r}")
        return process.returncode

    @property
    def running(self):
        return self.process is not None and self.process.poll() is None

    def log_text(self):
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines=60):
        return "\n".join(self.log_text().splitlines()[-lines:])

    # --- HTTP ---------------------------------------------------------------------------------

    def ssl_context(self):
        assert self.tls_cert, "this instance has no TLS"
        return ssl.create_default_context(cafile=str(self.tls_cert))

    def connection(self, timeout=10):
        """A fresh http.client connection to this instance (HTTPS when it has TLS)."""
        if self.tls_cert:
            return http.client.HTTPSConnection(self.address, self.port, timeout=timeout,
                                               context=self.ssl_context())
        return http.client.HTTPConnection(self.address, self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, timeout=10):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            headers = {"Content-Type": "application/json", **(headers or {})}
        elif isinstance(body, str):
            body = body.encode()
        conn = self.connection(timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            merged = {}
            for key, value in response.getheaders():
                key = key.lower()
                merged[key] = f"{merged[key]}, {value}" if key in merged else value
            return Response(response.status, merged, response.read())
        finally:
            conn.close()

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def bearer(self, username, password, scopes="read write", client_name="integration-test"):
        """An Authorization header for `username`: an app registered through /api/v1/apps and
        a token from the password grant, as a Mastodon client gets one."""
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        app = self.request("POST", "/api/v1/apps", urllib.parse.urlencode({
            "client_name": client_name, "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
            "scopes": scopes}), form).json()
        res = self.request("POST", "/oauth/token", urllib.parse.urlencode({
            "grant_type": "password", "username": username, "password": password,
            "client_id": app["client_id"], "client_secret": app["client_secret"],
            "scope": scopes}), form)
        assert res.status == 200, res
        return {"Authorization": f"Bearer {res.json()['access_token']}"}

    # --- lifetime -----------------------------------------------------------------------------

    def cleanup(self):
        if self.running:
            self.stop(signal.SIGKILL)
        if os.environ.get("CIVICPUB_KEEP") != "1":
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            if self.running:
                self.stop()
        finally:
            if exc_type is not None:
                print(f"--- log of {self.name} ({self.log_path}) ---\n{self.log_tail()}")
            self.cleanup()
        return False
