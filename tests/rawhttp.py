"""HTTP requests exactly as written, for hostile-request tests: no client normalises the path,
refuses a NUL byte or fixes a header. One request per connection.

    from rawhttp import raw_request   # tests/ is on sys.path under pytest

    reply = raw_request(site.base, "GET", b"/static/../app.py")
    reply.status, reply.headers["content-type"], reply.body
"""

from __future__ import annotations

import contextlib
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class RawReply:
    status: int
    headers: dict[str, str]  # lower-cased names; a repeated header keeps its last value
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def raw_request(base: str, method: str, target: bytes, *, headers: dict[str, str] | None = None,
                body: bytes = b"", chunked: bool = False, timeout: float = 60) -> RawReply:
    """Send ``method target`` with these headers and body; read the reply until the server closes."""
    where = urlsplit(base)
    lines = [method.encode() + b" " + target + b" HTTP/1.1", f"Host: {where.netloc}".encode(),
             b"Connection: close"]
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}".encode("latin-1"))
    if chunked:
        lines.append(b"Transfer-Encoding: chunked")
        payload = b"".join(b"%x\r\n%s\r\n" % (len(part), part)
                           for part in (body[i:i + 65536] for i in range(0, len(body), 65536)))
        payload += b"0\r\n\r\n"
    else:
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}".encode())
        payload = body
    with socket.create_connection((where.hostname, where.port), timeout=timeout) as connection:
        # the server may answer and close before it has read all of the body
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.sendall(b"\r\n".join(lines) + b"\r\n\r\n" + payload)
        received = bytearray()
        while True:
            try:
                part = connection.recv(65536)
            except ConnectionResetError:
                break
            if not part:
                break
            received += part
    return parse_reply(bytes(received))


def parse_reply(data: bytes) -> RawReply:
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding") == "chunked":
        body = _unchunk(body)
    return RawReply(int(status_line.split()[1]), headers, body)


def _unchunk(data: bytes) -> bytes:
    out = bytearray()
    while data:
        size_line, _, rest = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        data = rest[size + 2:]
    return bytes(out)
