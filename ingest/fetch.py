"""Fetch one URL: an HTTP GET that is polite, capped, conditional and never raises.

Built on ``http.client`` rather than ``urllib.request`` so that each hop connects to the exact
address the :class:`~ingest.netguard.AddressGuard` checked (the Host header, SNI and certificate
check still use the name). Redirects are followed here, one hop at a time, and every hop is
checked again.
"""

from __future__ import annotations

import http.client
import logging
import socket
import ssl
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from http import HTTPStatus
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import quote, urlsplit

from ingest.document import join_url
from ingest.http_cache import CacheEntry, HttpCache
from ingest.netguard import AddressGuard

log = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
DEFAULT_MAX_BYTES = 20_000_000
READ_CHUNK_BYTES = 64 * 1024
ACCEPT = (
    "text/html,application/xhtml+xml,application/pdf,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document;q=0.9,*/*;q=0.5"
)
# Characters left alone when quoting a request target: RFC 3986 reserved and unreserved, and "%"
# so that a URL that is already percent-encoded is not encoded twice.
_SAFE_PATH_CHARS = "/%:@!$&'()*+,;=-._~"
_SAFE_QUERY_CHARS = _SAFE_PATH_CHARS + "?"


def _package_version() -> str:
    try:
        return version("impactkg")
    except PackageNotFoundError:
        return "dev"


DEFAULT_USER_AGENT = (
    f"impactkg/{_package_version()} (+https://w3id.org/impactkg; kennisgraaf Agenda Stad)"
)


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """How to fetch: identity, limits and address policy (one object, passed down unchanged)."""

    user_agent: str = DEFAULT_USER_AGENT
    timeout_s: float = 20.0
    max_bytes: int = DEFAULT_MAX_BYTES
    allow_private: bool = False
    per_host_delay_s: float = 1.0
    max_redirects: int = 5

    def __post_init__(self) -> None:
        if self.timeout_s <= 0:
            raise ValueError(f"timeout_s must be positive, not {self.timeout_s}")
        if self.max_bytes <= 0:
            raise ValueError(f"max_bytes must be positive, not {self.max_bytes}")
        if self.per_host_delay_s < 0:
            raise ValueError(f"per_host_delay_s cannot be negative, not {self.per_host_delay_s}")
        if self.max_redirects < 0:
            raise ValueError(f"max_redirects cannot be negative, not {self.max_redirects}")
        if not self.user_agent.strip():
            raise ValueError("user_agent cannot be empty")


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What one fetch gave. ``error`` is "" when the body (or a 304) arrived, else one line why not.

    ``status`` is 0 when no HTTP response came (refused address, DNS, timeout, ...);
    ``refused`` is True when the address policy refused a hop (no connection was made).
    ``content_type`` is the lower-case media type without parameters, "" when absent.
    On a 304 (``not_modified``) the body is empty and the validators and content type are the
    cached ones (updated from the 304's own headers when it sends them).
    """

    url: str
    final_url: str
    status: int = 0
    content_type: str = ""
    charset: str = ""
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""
    fetched_at: str = ""
    not_modified: bool = False
    error: str = ""
    refused: bool = False

    @property
    def ok(self) -> bool:
        return not self.error


class HostRateLimiter:
    """Spaces requests to the same host at least ``delay_s`` apart (monotonic clock).

    One limiter is shared by all fetches of a crawl or an ingest run; it is not thread-safe.
    ``slow_down`` raises the delay for one host (a robots.txt Crawl-delay).
    """

    def __init__(
        self,
        delay_s: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._delay_s = delay_s
        self._host_delay_s: dict[str, float] = {}
        self._last_start: dict[str, float] = {}
        self._clock = clock
        self._sleep = sleep

    def delay_for(self, host: str) -> float:
        return max(self._delay_s, self._host_delay_s.get(host.lower(), 0.0))

    def slow_down(self, host: str, delay_s: float) -> None:
        self._host_delay_s[host.lower()] = delay_s

    def wait(self, host: str) -> float:
        """Sleep until host may be asked again, then mark a request as started; returns the sleep."""
        key = host.lower()
        slept = 0.0
        last = self._last_start.get(key)
        if last is not None:
            slept = max(0.0, last + self.delay_for(key) - self._clock())
            if slept > 0:
                self._sleep(slept)
        self._last_start[key] = self._clock()
        return slept


_DEFAULT_GUARD = AddressGuard()


def fetch_url(
    url: str,
    options: FetchOptions | None = None,
    cache: HttpCache | None = None,
    *,
    guard: AddressGuard | None = None,
    limiter: HostRateLimiter | None = None,
) -> FetchResult:
    """GET url, following redirects, and say what happened; never raises for network or HTTP trouble.

    With a ``cache`` the request is conditional (If-None-Match / If-Modified-Since from the entry
    for each hop's URL). The cache is only read here: call ``cache.remember(result)`` once the
    result has been processed, so that a crash in between does not turn into a 304 next time.
    ``guard`` replaces the default address policy (tests inject resolvers); ``options.allow_private``
    still decides whether it is enforced. ``limiter`` spaces requests per host; without one no
    delay is applied.
    """
    options = options or FetchOptions()
    guard = guard or _DEFAULT_GUARD
    fetched_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    current = _without_fragment(url.strip())
    seen = {current}
    for hop in range(options.max_redirects + 1):
        target, problem = _parse_target(current)
        if target is None:
            return FetchResult(url, current, fetched_at=fetched_at, error=problem)
        checked = guard.check(target.host, target.port, allow_private=options.allow_private)
        if not checked.ok:
            return FetchResult(url, current, fetched_at=fetched_at, error=checked.error,
                               refused=checked.refused)
        cached = cache.get(current) if cache is not None else None
        if limiter is not None:
            limiter.wait(target.host)
        headers = _request_headers(options, cached)
        reply = _exchange(target, checked.addresses, headers, options)
        if reply.status not in REDIRECT_STATUSES or reply.error:
            return _result(url, current, reply, cached, fetched_at)
        following = _without_fragment(join_url(current, reply.location))
        error = _redirect_problem(reply, following, seen, hop, options.max_redirects)
        if error:
            return FetchResult(url, current, reply.status, fetched_at=fetched_at, error=error)
        log.debug("%s redirects (%s) to %s", current, reply.status, following)
        seen.add(following)
        current = following
    raise AssertionError("unreachable: the loop returns on its last hop")


@dataclass(frozen=True, slots=True)
class _Target:
    scheme: str
    host: str
    port: int
    request_path: str


@dataclass(frozen=True, slots=True)
class _Reply:
    status: int = 0
    reason: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    content_type: str = ""
    charset: str = ""
    body: bytes = b""
    error: str = ""

    @property
    def location(self) -> str:
        return self.headers.get("location", "").strip()


def _redirect_problem(
    reply: _Reply, following: str, seen: set[str], hop: int, max_redirects: int
) -> str:
    """Why a redirect cannot be followed, or ""."""
    if not reply.location:
        return f"{reply.status} redirect without a Location header"
    if not following:
        return f"{reply.status} redirect to an invalid URL {reply.location[:200]!r}"
    if following in seen:
        return f"redirect loop: {following} was already visited"
    if hop == max_redirects:
        return f"too many redirects (more than {max_redirects})"
    return ""


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def _parse_target(url: str) -> tuple[_Target | None, str]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return None, f"invalid URL {url!r}: {exc}"
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = scheme or "(none)"
        return None, f"unsupported URL scheme '{shown}' (only http and https): {url}"
    if not parts.hostname:
        return None, f"invalid URL {url!r}: no host"
    path = quote(parts.path or "/", safe=_SAFE_PATH_CHARS)
    if parts.query:
        path += "?" + quote(parts.query, safe=_SAFE_QUERY_CHARS)
    default_port = 443 if scheme == "https" else 80
    return _Target(scheme, parts.hostname, port or default_port, path), ""


def _request_headers(options: FetchOptions, cached: CacheEntry | None) -> dict[str, str]:
    headers = {
        "User-Agent": options.user_agent,
        "Accept": ACCEPT,
        "Accept-Language": "nl,en;q=0.8",
        "Accept-Encoding": "gzip",
        "Connection": "close",
    }
    if cached is not None:
        if cached.etag:
            headers["If-None-Match"] = cached.etag
        if cached.last_modified:
            headers["If-Modified-Since"] = cached.last_modified
    return headers


def _result(
    url: str, final_url: str, reply: _Reply, cached: CacheEntry | None, fetched_at: str
) -> FetchResult:
    etag = reply.headers.get("etag", "")
    last_modified = reply.headers.get("last-modified", "")
    common = {"url": url, "final_url": final_url, "status": reply.status, "fetched_at": fetched_at}
    if reply.error:
        return FetchResult(**common, error=reply.error)
    if reply.status == 304:
        if cached is None:
            return FetchResult(**common, error="304 Not Modified without a cached copy")
        return FetchResult(
            **common,
            content_type=cached.content_type,
            charset=cached.charset,
            etag=etag or cached.etag,
            last_modified=last_modified or cached.last_modified,
            not_modified=True,
        )
    if not 200 <= reply.status < 300:
        return FetchResult(**common, error=f"{reply.status} {reply.reason}".strip())
    return FetchResult(
        **common,
        content_type=reply.content_type,
        charset=reply.charset,
        body=reply.body,
        etag=etag,
        last_modified=last_modified,
    )


def _exchange(
    target: _Target, addresses: tuple[str, ...], headers: dict[str, str], options: FetchOptions
) -> _Reply:
    """One request/response on a connection pinned to a checked address.

    ``timeout_s`` bounds the connect, each wait for data, and reading the whole body.
    """
    deadline = time.monotonic() + options.timeout_s
    connection: http.client.HTTPConnection | None = None
    try:
        connection = _connect(target, addresses, options.timeout_s)
        connection.request("GET", target.request_path, headers=headers)
        response = connection.getresponse()
        reply_headers = {name.lower(): value for name, value in response.getheaders()}
        status = response.status
        reason = response.reason or _phrase(status)
        if not 200 <= status < 300:
            return _Reply(status, reason, reply_headers)
        content_type = response.headers.get_content_type() if "content-type" in reply_headers else ""
        body, error = _read_body(response, reply_headers, options, deadline)
        return _Reply(
            status, reason, reply_headers, content_type,
            response.headers.get_content_charset() or "", body, error,
        )
    except Exception as exc:  # every network failure becomes a one-line result
        return _Reply(error=_describe(exc, target, options))
    finally:
        if connection is not None:
            connection.close()


def _connect(
    target: _Target, addresses: tuple[str, ...], timeout_s: float
) -> http.client.HTTPConnection:
    """Connect to the first checked address that answers (the name is never resolved again)."""
    last_error: OSError | None = None
    for address in addresses:
        connection: http.client.HTTPConnection
        if target.scheme == "https":
            connection = _PinnedHTTPSConnection(target.host, target.port, address, timeout_s)
        else:
            connection = _PinnedHTTPConnection(target.host, target.port, address, timeout_s)
        try:
            connection.connect()
            return connection
        except (TimeoutError, ssl.SSLError):
            connection.close()
            raise
        except OSError as exc:
            connection.close()
            last_error = exc
    raise last_error or OSError("no address to connect to")


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to a fixed IP address; Host header still carries the name."""

    def __init__(self, host: str, port: int, address: str, timeout_s: float) -> None:
        super().__init__(host, port, timeout=timeout_s)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to a fixed IP address; SNI and the certificate check use the name."""

    def __init__(self, host: str, port: int, address: str, timeout_s: float) -> None:
        super().__init__(host, port, timeout=timeout_s, context=_tls_context())
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        try:
            self.sock = _tls_context().wrap_socket(raw, server_hostname=self.host)
        except BaseException:
            raw.close()
            raise


@cache
def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


def _read_body(
    response: http.client.HTTPResponse,
    headers: Mapping[str, str],
    options: FetchOptions,
    deadline: float,
) -> tuple[bytes, str]:
    """Stream the body, stopping as soon as it passes max_bytes (decoded) or the deadline."""
    limit = options.max_bytes
    too_large = f"response larger than {_format_bytes(limit)}"
    declared = headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > limit:
        return b"", too_large
    encoding = headers.get("content-encoding", "identity").strip().lower()
    decoder = None
    if encoding in ("gzip", "x-gzip", "deflate"):
        decoder = zlib.decompressobj(wbits=47)  # 32 + 15: accept gzip and zlib headers
    elif encoding not in ("", "identity"):
        return b"", f"unsupported Content-Encoding '{encoding}'"
    parts: list[bytes] = []
    size = 0
    try:
        while True:
            if time.monotonic() > deadline:
                return b"", f"timeout after {options.timeout_s:g} s"
            chunk = response.read1(READ_CHUNK_BYTES)
            if not chunk:
                break
            if decoder is not None:
                chunk = decoder.decompress(chunk, limit + 1 - size)
            size += len(chunk)
            if size > limit:
                return b"", too_large
            parts.append(chunk)
        if decoder is not None:
            tail = decoder.flush()
            size += len(tail)
            if size > limit:
                return b"", too_large
            parts.append(tail)
    except zlib.error as exc:
        return b"", f"invalid {encoding} body: {exc}"
    return b"".join(parts), ""


def _describe(exc: BaseException, target: _Target, options: FetchOptions) -> str:
    """One line for a failed exchange."""
    where = f"{target.host}:{target.port}"
    if isinstance(exc, TimeoutError):
        return f"timeout after {options.timeout_s:g} s"
    if isinstance(exc, ConnectionRefusedError):
        return f"connection refused by {where}"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate of {target.host} not accepted: {exc.verify_message}"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error with {where}: {exc.reason or exc}"
    if isinstance(exc, http.client.RemoteDisconnected):
        return f"{where} closed the connection without a response"
    if isinstance(exc, http.client.IncompleteRead):
        return f"{where} closed the connection before the whole body arrived"
    if isinstance(exc, ConnectionResetError):
        return f"connection reset by {where}"
    if isinstance(exc, http.client.HTTPException):
        return f"invalid HTTP response from {where} ({type(exc).__name__})"
    if isinstance(exc, OSError):
        return f"network error with {where}: {exc.strerror or exc}"
    log.warning("unexpected error fetching from %s", where, exc_info=exc)
    return f"unexpected error with {where}: {type(exc).__name__}: {exc}"


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _format_bytes(size: int) -> str:
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            return f"{size / scale:g} {unit}"
    return f"{size} bytes"


__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_USER_AGENT",
    "FetchOptions",
    "FetchResult",
    "HostRateLimiter",
    "fetch_url",
]
