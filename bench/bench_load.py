"""Loopback load for bench/driver.py, through the compiled tool civicpub_load
(bench/load_tool.cpp; LOAD_BIN names it): asyncio in this process spent a third of both cores on
the inbox burst and more than civicpub on receiving the fan-out, so the figures measured the load
generator as much as the server. Standard library plus python3-cryptography.

    send_all(host, port, requests, connections) -> {"statuses": {code: n}, "seconds": s}
        POSTs pre-built HTTP/1.1 requests (bytes) over `connections` keep-alive connections,
        each request once; 429 and 503 answers (civicpub's inbox back-pressure) are sent again
        after a short pause, a dropped connection is reopened and its request sent again.
    Sink(hosts, port, public_key_pem, sample_every)   an HTTP server on every (host, port) that
        answers 202 to every request; the draft-cavage signature and Digest of every
        `sample_every`-th one are checked here (check_cavage) when the sink is closed.
        await .start() / .close()   .received   .checked   .bad (failure descriptions)
"""

import asyncio
import base64
import hashlib
import json
import os
import pathlib
import signal
import subprocess
import tempfile

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding


def load_bin():
    return os.environ["LOAD_BIN"]


def send_all(host, port, requests, connections):
    with tempfile.NamedTemporaryFile(prefix="civicpub-load-", suffix=".http") as file:
        for request in requests:
            file.write(b"%d\n" % len(request))
            file.write(request)
        file.flush()
        # civicpub_load retries refused and dropped requests without end: a server that died
        # would hold the run forever.
        run = subprocess.run([load_bin(), "send", host, str(port), str(connections), file.name],
                             check=True, capture_output=True, text=True,
                             timeout=float(os.environ.get("BENCH_TIMEOUT", "900")))
    result = json.loads(run.stdout.strip().splitlines()[-1])
    result["statuses"] = {int(k): v for k, v in result["statuses"].items()}
    return result


def _signature_params(header):
    params = {}
    for part in header.split(","):
        if "=" in part:
            key, value = part.split("=", 1)
            params[key.strip()] = value.strip().strip('"')
    return params


def check_cavage(method, target, headers, body, public_key):
    """None when the draft-cavage signature and the Digest hold, else what is wrong."""
    digest = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
    if headers.get("digest") != digest:
        return f"digest {headers.get('digest')!r} does not match the body"
    params = _signature_params(headers.get("signature", ""))
    lines = []
    for name in params.get("headers", "date").split():
        if name == "(request-target)":
            lines.append(f"(request-target): {method.lower()} {target}")
        else:
            lines.append(f"{name}: {headers.get(name, '')}")
    try:
        public_key.verify(base64.b64decode(params.get("signature", "")),
                          "\n".join(lines).encode(), padding.PKCS1v15(), hashes.SHA256())
    except Exception as e:  # noqa: BLE001 - InvalidSignature or a malformed value
        return f"signature does not verify: {e!r}"
    return None


class Sink:
    def __init__(self, hosts, port, public_key_pem, sample_every):
        self.hosts = hosts
        self.port = port
        self.public_key = serialization.load_pem_public_key(public_key_pem.encode())
        self.sample_every = max(1, sample_every)
        self.received = 0
        self.checked = 0
        self.bad = []
        self._dir = pathlib.Path(tempfile.mkdtemp(prefix="civicpub-sink-"))
        self._process = None

    async def start(self):
        hosts_file = self._dir / "hosts"
        hosts_file.write_text("".join(f"{host}\n" for host in self.hosts))
        self._process = await asyncio.create_subprocess_exec(
            load_bin(), "sink", str(self.port), str(hosts_file), str(self.sample_every),
            str(self._dir / "samples.jsonl"), stdout=asyncio.subprocess.PIPE)
        line = await self._process.stdout.readline()
        if line.strip() != b"listening":
            raise RuntimeError(f"civicpub_load sink did not start: {line!r}")

    async def close(self):
        self._process.send_signal(signal.SIGTERM)
        out, _ = await self._process.communicate()
        self.received = json.loads(out.decode().strip().splitlines()[-1])["received"]
        for line in (self._dir / "samples.jsonl").read_text().splitlines():
            sample = json.loads(line)
            problem = check_cavage(sample["method"], sample["target"], sample["headers"],
                                   bytes.fromhex(sample["body_hex"]), self.public_key)
            self.checked += 1
            if problem:
                self.bad.append(problem)
        for path in self._dir.iterdir():
            path.unlink()
        self._dir.rmdir()
