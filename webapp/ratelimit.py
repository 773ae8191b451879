"""Per-client rate limits on the expensive routes: search, ask and SPARQL (429 with Retry-After).

One token bucket per client and kind of request, in this process: a client may send
``burst`` requests of a kind at once, then one per ``60 / per_minute`` seconds. Only
requests that do the expensive work take a token (a search page with a search text, a
question, a SPARQL query or a canned query); the empty forms do not.

The client is the peer address. Behind a reverse proxy every request comes from the proxy,
so a deployment there must set ``trusted_proxy_hops`` (the number of proxies that append to
X-Forwarded-For); the address they report is then the client. It is 0 by default, because a
client talking to the app directly can write any X-Forwarded-For it likes. IPv6 clients are
counted per /64 network, the block one subscriber usually gets.

Buckets are in memory and per process: with several server processes a client gets the
limit once per process.
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

from webapp.context import SERVICES_KEY
from webapp.errors import TooManyRequests
from webapp.services import RateLimits

MAX_CLIENTS = 10_000
"""Buckets kept per kind; the least recently seen client's is dropped past this."""

KIND_OF_ENDPOINT = {
    "search.page": "search", "api.search": "search",
    "ask.page": "ask", "api.ask": "ask",
    "sparql.endpoint": "sparql", "sparql.canned": "sparql", "sparql.canned_json": "sparql",
    "sparql.canned_csv": "sparql",
}
_WHAT = {"search": ("searches", "rate_limit_search_per_minute"),
         "ask": ("questions", "rate_limit_ask_per_minute"),
         "sparql": ("SPARQL queries", "rate_limit_sparql_per_minute")}


class TokenBuckets:
    """Token buckets keyed by client: ``take`` says how long to wait (0.0: go ahead)."""

    def __init__(self, per_minute: int, burst: int, *, max_clients: int = MAX_CLIENTS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if per_minute < 1 or burst < 1:
            raise ValueError("a rate limit needs at least one request per minute and a burst of 1")
        self.rate_per_s = per_minute / 60
        self.capacity = float(burst)
        self._clock = clock
        self._max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # client -> (tokens, at)
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """Take one token for ``client``; 0.0 when there was one, else the seconds until there is."""
        now = self._clock()
        with self._lock:
            tokens, at = self._buckets.pop(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - at) * self.rate_per_s)
            wait = 0.0
            if tokens >= 1:
                tokens -= 1
            else:
                wait = (1 - tokens) / self.rate_per_s
            self._buckets[client] = (tokens, now)
            while len(self._buckets) > self._max_clients:
                self._buckets.popitem(last=False)
            return wait


def client_key(address: str | None) -> str:
    """The address requests are counted under: the IPv4 address, or the IPv6 /64 network."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return address or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def costs_a_token(endpoint: str | None) -> str | None:
    """The kind of expensive work this request does, or None when it does none."""
    kind = KIND_OF_ENDPOINT.get(endpoint or "")
    if kind in ("search", "ask"):
        return kind if (request.args.get("q") or "").strip() else None
    if endpoint == "sparql.endpoint":
        return kind if request.method == "POST" or "query" in request.args else None
    return kind


def install(app: Flask) -> None:
    """After webapp.context.install; the limits come from the services."""
    rates: RateLimits = app.extensions[SERVICES_KEY].limits.rates
    if rates.trusted_proxy_hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=rates.trusted_proxy_hops)  # type: ignore[method-assign]
    per_minute = {"search": rates.search_per_minute, "ask": rates.ask_per_minute,
                  "sparql": rates.sparql_per_minute}
    buckets = {kind: TokenBuckets(rate, rates.burst) for kind, rate in per_minute.items() if rate > 0}
    if not buckets:
        return

    @app.before_request
    def limit_rate() -> None:
        kind = costs_a_token(request.endpoint)
        if kind is None or kind not in buckets:
            return
        wait = buckets[kind].take(client_key(request.remote_addr))
        if wait > 0:
            what, setting = _WHAT[kind]
            retry = max(1, math.ceil(wait))
            raise TooManyRequests(
                f"too many {what} from your address: at most {per_minute[kind]} a minute "
                f"(setting {setting}); try again in {retry} s", retry)
