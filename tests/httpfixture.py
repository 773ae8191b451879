"""A local HTTP server for tests: routes with custom status, headers, delays; or a folder.

Binds 127.0.0.1 on a free port (port 0), serves each request in its own thread and records
every request it saw (with the status it answered), so tests can assert what a client sent.

    import httpfixture  # tests/ is on sys.path under pytest (rootdir conftest, no __init__)
    from httpfixture import Route

    http_server = httpfixture.http_server  # a fixture; importing it by name upsets ruff (F811)

    def test_something(http_server):
        http_server.route("/a", Route("<p>hi</p>", headers={"ETag": '"v1"'}))
        http_server.redirect("/old", "/a")
        http_server.route("/slow", Route("late", delay_s=2))
        http_server.route("/echo", lambda request: Route(request.headers["user-agent"]))
        ...fetch(http_server.url("/a"))...
        assert http_server.hits("/a") == 1

``LocalHTTPServer(folder=path)`` serves files (``index.html`` for a folder) behind the routes.
A route with an ETag or Last-Modified header answers 304 to a matching conditional request.
"""

from __future__ import annotations

import mimetypes
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self
from urllib.parse import unquote, urlsplit

import pytest

CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Route:
    """One canned response.

    ``delay_s`` sleeps before the status line (to provoke client timeouts); ``chunked`` sends
    the body with Transfer-Encoding: chunked and no Content-Length; ``conditional`` answers 304
    when the request's If-None-Match / If-Modified-Since matches this route's ETag /
    Last-Modified header.
    """

    body: bytes | str = b""
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"
    delay_s: float = 0.0
    chunked: bool = False
    conditional: bool = True

    def payload(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


@dataclass(frozen=True, slots=True)
class Request:
    """A request as the server received it; header names are lower case."""

    method: str
    target: str
    headers: Mapping[str, str]
    body: bytes
    at: float
    """time.monotonic() when the request line arrived."""

    @property
    def path(self) -> str:
        return urlsplit(self.target).path


Handler = Callable[[Request], Route]


class LocalHTTPServer:
    """A threaded HTTP/1.1 server on 127.0.0.1 with routes, an optional folder and a request log."""

    def __init__(
        self,
        routes: Mapping[str, Route | Handler] | None = None,
        *,
        folder: Path | None = None,
        host: str = "127.0.0.1",
        tls: ssl.SSLContext | None = None,
    ) -> None:
        """``tls`` (a server-side context with a certificate loaded) serves HTTPS instead."""
        self._routes: dict[str, Route | Handler] = dict(routes or {})
        self._folder = Path(folder) if folder is not None else None
        self._log: list[tuple[Request, int]] = []
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server = ThreadingHTTPServer((host, 0), _make_handler(self))
        self._server.daemon_threads = True
        self._scheme = "http"
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
            self._scheme = "https"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._started = False

    # -- life cycle ----------------------------------------------------------------------
    def start(self) -> Self:
        if not self._started:
            self._thread.start()
            self._started = True
        return self

    def close(self) -> None:
        self._closing.set()  # wakes handlers sleeping in a delay
        if self._started:
            self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- addresses -----------------------------------------------------------------------
    @property
    def host(self) -> str:
        return str(self._server.server_address[0])

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"{self._scheme}://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + (path if path.startswith("/") else "/" + path)

    # -- routes --------------------------------------------------------------------------
    def route(self, path: str, response: Route | Handler | str | bytes) -> None:
        """Answer ``path`` (with query: exact; without: any query) with a Route or a handler."""
        if isinstance(response, str | bytes):
            response = Route(response)
        with self._lock:
            self._routes[path] = response

    def redirect(self, path: str, to: str, status: int = 302) -> None:
        """``path`` redirects to ``to`` (a path on this server or an absolute URL)."""
        self.route(path, Route(b"", status=status, headers={"Location": to}))

    # -- what was asked ------------------------------------------------------------------
    @property
    def requests(self) -> list[Request]:
        with self._lock:
            return [request for request, _status in self._log]

    def hits(self, path: str) -> int:
        return len(self.requests_for(path))

    def requests_for(self, path: str) -> list[Request]:
        return [request for request in self.requests if request.path == path]

    def statuses(self, path: str) -> list[int]:
        with self._lock:
            return [status for request, status in self._log if request.path == path]

    # -- serving (called from handler threads) -------------------------------------------
    def _respond(self, request: Request) -> Route:
        with self._lock:
            found = self._routes.get(request.target) or self._routes.get(request.path)
        if found is None:
            route = self._from_folder(request.path)
        elif isinstance(found, Route):
            route = found
        else:
            route = found(request)
        if route.conditional and _matches_validators(request, route):
            route = Route(b"", status=304, headers=_validators(route), conditional=False)
        with self._lock:
            self._log.append((request, route.status))
        return route

    def _from_folder(self, path: str) -> Route:
        not_found = Route("not found", status=404, content_type="text/plain; charset=utf-8")
        if self._folder is None:
            return not_found
        root = self._folder.resolve()
        target = (root / unquote(path).lstrip("/")).resolve()
        if target != root and root not in target.parents:
            return not_found
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            return not_found
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/xml", "application/xhtml+xml"):
            kind += "; charset=utf-8"
        return Route(target.read_bytes(), content_type=kind)

    def _sleep(self, seconds: float) -> None:
        self._closing.wait(seconds)


def _validators(route: Route) -> dict[str, str]:
    return {
        name: value
        for name, value in route.headers.items()
        if name.lower() in ("etag", "last-modified")
    }


def _matches_validators(request: Request, route: Route) -> bool:
    validators = {name.lower(): value for name, value in _validators(route).items()}
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None and "etag" in validators:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or validators["etag"].removeprefix("W/") in tags
    if_modified_since = request.headers.get("if-modified-since")
    if if_modified_since is not None and "last-modified" in validators:
        return if_modified_since.strip() == validators["last-modified"].strip()
    return False


def _make_handler(server: LocalHTTPServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self._serve(send_body=True)

        def do_HEAD(self) -> None:
            self._serve(send_body=False)

        def do_POST(self) -> None:
            self._serve(send_body=True)

        def _serve(self, *, send_body: bool) -> None:
            arrived = time.monotonic()
            length = int(self.headers.get("Content-Length") or 0)
            request = Request(
                method=self.command,
                target=self.path,
                headers={name.lower(): value for name, value in self.headers.items()},
                body=self.rfile.read(length) if length else b"",
                at=arrived,
            )
            route = server._respond(request)
            if route.delay_s:
                server._sleep(route.delay_s)
            self.close_connection = True
            body = route.payload()
            try:
                self.send_response(route.status)
                names = {name.lower() for name in route.headers}
                if "content-type" not in names and route.status != 304:
                    self.send_header("Content-Type", route.content_type)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if route.chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                elif "content-length" not in names:
                    self.send_header("Content-Length", str(len(body)))
                self.send_header("Connection", "close")
                self.end_headers()
                if send_body and route.status not in (204, 304):
                    self._write_body(body, chunked=route.chunked)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading (size caps, timeouts): expected in tests

        def _write_body(self, body: bytes, *, chunked: bool) -> None:
            if not chunked:
                self.wfile.write(body)
                return
            for start in range(0, len(body), CHUNK_BYTES):
                piece = body[start : start + CHUNK_BYTES]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")

        def log_message(self, format: str, *args: object) -> None:
            pass

    return _Handler


@pytest.fixture
def http_server() -> Iterator[LocalHTTPServer]:
    """A started LocalHTTPServer without routes; add them with ``route`` / ``redirect``."""
    with LocalHTTPServer() as server:
        yield server


@pytest.fixture
def make_http_server() -> Iterator[Callable[..., LocalHTTPServer]]:
    """A factory for more servers in one test (``make_http_server(routes, folder=...)``)."""
    servers: list[LocalHTTPServer] = []

    def make(
        routes: Mapping[str, Route | Handler] | None = None, *, folder: Path | None = None
    ) -> LocalHTTPServer:
        server = LocalHTTPServer(routes, folder=folder).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.close()


__all__ = [
    "Handler",
    "LocalHTTPServer",
    "Request",
    "Route",
    "http_server",
    "make_http_server",
]
