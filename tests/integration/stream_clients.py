"""Minimal clients for the streaming API's two transports, on plain sockets (the standard library
has neither): server-sent events over a chunked response, and a WebSocket (RFC 6455) client.
Every read has a deadline; nothing here sleeps."""

import base64
import hashlib
import json
import os
import socket
import struct
import time

WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class StreamClosed(Exception):
    pass


def _read_head(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            raise StreamClosed("closed before the response head")
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, rest


class SseClient:
    """GET path; .status, .headers; events() yields (event, data) and ("comment", text)."""

    def __init__(self, host, port, path, headers=None, timeout=30):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Accept: text/event-stream"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.status, self.headers, self.raw = _read_head(self.sock)
        self.text = ""  # decoded body not yet parsed into lines
        self.body = b""  # for refusals: the (length-delimited) body

    def close(self):
        self.sock.close()

    def _more(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise StreamClosed("the server closed the stream")
        self.raw += chunk

    def _dechunk(self):
        """Moves complete chunks from raw to text; raises StreamClosed at the last chunk."""
        while True:
            line_end = self.raw.find(b"\r\n")
            if line_end < 0:
                return
            size = int(self.raw[:line_end].split(b";")[0], 16)
            if size == 0:
                raise StreamClosed("the server ended the stream")
            if len(self.raw) < line_end + 2 + size + 2:
                return
            self.text += self.raw[line_end + 2:line_end + 2 + size].decode()
            self.raw = self.raw[line_end + 2 + size + 2:]

    def next_item(self, deadline=30):
        """The next ("comment", text) or (event, data) within `deadline` seconds."""
        end = time.monotonic() + deadline
        event = None
        while True:
            self._dechunk()
            while "\n" in self.text:
                line, self.text = self.text.split("\n", 1)
                if line.startswith(":"):
                    return ("comment", line[1:])
                if line.startswith("event: "):
                    event = line[len("event: "):]
                elif line.startswith("data: "):
                    return (event, line[len("data: "):])
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError("no stream item in time")
            self.sock.settimeout(left)
            self._more()

    def next_event(self, deadline=30):
        """The next event, past heartbeat comments."""
        end = time.monotonic() + deadline
        while True:
            kind, data = self.next_item(max(0.1, end - time.monotonic()))
            if kind != "comment":
                return kind, data

    def wait_closed(self, deadline=30):
        end = time.monotonic() + deadline
        try:
            while True:
                self.next_item(max(0.1, end - time.monotonic()))
        except StreamClosed:
            return True
        except (ConnectionResetError, BrokenPipeError):
            return True


class WebSocketClient:
    """A client WebSocket: .status, .headers; send_json(); next_message() -> text (answers pings)."""

    def __init__(self, host, port, path, headers=None, timeout=30):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Upgrade: websocket",
                 "Connection: Upgrade", f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.status, self.headers, self.raw = _read_head(self.sock)
        self.pings = 0
        if self.status == 101:
            accept = base64.b64encode(hashlib.sha1(key.encode() + WS_GUID).digest()).decode()
            assert self.headers.get("sec-websocket-accept") == accept, self.headers

    def close(self):
        self.sock.close()

    def _send_frame(self, opcode, payload):
        mask = os.urandom(4)
        head = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 65536:
            head += bytes([0x80 | 126]) + struct.pack("!H", n)
        else:
            head += bytes([0x80 | 127]) + struct.pack("!Q", n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(head + mask + masked)

    def send_json(self, value):
        self._send_frame(0x1, json.dumps(value).encode())

    def _need(self, n, end):
        while len(self.raw) < n:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError("no WebSocket frame in time")
            self.sock.settimeout(left)
            chunk = self.sock.recv(65536)
            if not chunk:
                raise StreamClosed("the server closed the connection")
            self.raw += chunk

    def _frame(self, end):
        self._need(2, end)
        opcode = self.raw[0] & 0x0F
        n = self.raw[1] & 0x7F
        offset = 2
        if n == 126:
            self._need(4, end)
            n = struct.unpack("!H", self.raw[2:4])[0]
            offset = 4
        elif n == 127:
            self._need(10, end)
            n = struct.unpack("!Q", self.raw[2:10])[0]
            offset = 10
        self._need(offset + n, end)
        payload = self.raw[offset:offset + n]
        self.raw = self.raw[offset + n:]
        return opcode, payload

    def next_message(self, deadline=30):
        end = time.monotonic() + deadline
        while True:
            opcode, payload = self._frame(end)
            if opcode == 0x9:  # ping: answer as a client must
                self.pings += 1
                self._send_frame(0xA, payload)
            elif opcode == 0x8:
                raise StreamClosed("close frame")
            elif opcode == 0x1:
                return payload.decode()

    def wait_closed(self, deadline=30):
        end = time.monotonic() + deadline
        try:
            while True:
                self.next_message(max(0.1, end - time.monotonic()))
        except (StreamClosed, ConnectionResetError, BrokenPipeError):
            return True

    def wait_ping(self, deadline=30):
        """Reads (and answers) frames until the server has pinged at least once."""
        end = time.monotonic() + deadline
        while self.pings == 0:
            opcode, payload = self._frame(end)
            if opcode == 0x9:
                self.pings += 1
                self._send_frame(0xA, payload)
            elif opcode == 0x8:
                raise StreamClosed("close frame")
