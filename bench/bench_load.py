"""Loopback load for bench/driver.py. Standard library plus python3-cryptography.

    send_all(host, port, requests, connections) -> {"statuses": {code: n}, "seconds": s}
        POSTs pre-built HTTP/1.1 requests (bytes) over `connections` keep-alive connections,
        each request once; 429 and 503 answers (civicpub's inbox back-pressure) are sent again
        after a short pause, a dropped connection is reopened and its request sent again.
    Sink(hosts, port, public_key_pem, sample_every)   an HTTP server on every (host, port) that
        answers 202 to every POST and checks the draft-cavage signature and Digest of every
        `sample_every`-th one against public_key_pem.
        await .start() / .close()   .received   .checked   .bad (failure descriptions)
"""

import asyncio
import base64
import collections
import hashlib
import time

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

RETRY_STATUSES = (429, 503)


async def read_message(reader):
    """One HTTP/1.1 message head and body: (first line, {lowercase header: value}, body)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                break
            body += chunk[:-2]
    else:
        body = await reader.readexactly(int(headers.get("content-length", "0")))
    return lines[0], headers, body


async def _client(host, port, pending, statuses):
    reader = writer = None
    while pending:
        request = pending.popleft()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            writer.write(request)
            status_line, headers, _ = await read_message(reader)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pending.append(request)
            writer = None
            await asyncio.sleep(0.01)
            continue
        status = int(status_line.split()[1])
        if status in RETRY_STATUSES:
            pending.append(request)
            await asyncio.sleep(0.05)
        else:
            statuses[status] += 1
        if headers.get("connection", "").lower() == "close":
            writer.close()
            writer = None
    if writer is not None:
        writer.close()


def send_all(host, port, requests, connections):
    async def run():
        pending = collections.deque(requests)
        statuses = collections.Counter()
        start = time.monotonic()
        await asyncio.gather(*(_client(host, port, pending, statuses)
                               for _ in range(min(connections, len(requests)))))
        return {"statuses": dict(statuses), "seconds": time.monotonic() - start}
    return asyncio.run(run())


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
        self._server = None

    async def start(self):
        self._server = await asyncio.start_server(self._serve, host=self.hosts, port=self.port,
                                                  backlog=64)

    async def close(self):
        self._server.close()
        await self._server.wait_closed()

    async def _serve(self, reader, writer):
        try:
            while True:
                request_line, headers, body = await read_message(reader)
                self.received += 1
                if self.received % self.sample_every == 0:
                    method, target = request_line.split()[:2]
                    problem = check_cavage(method, target, headers, body, self.public_key)
                    self.checked += 1
                    if problem:
                        self.bad.append(problem)
                writer.write(b"HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n")
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                asyncio.CancelledError):
            pass  # the sender hung up, or close() stopped the sink
        finally:
            writer.close()
