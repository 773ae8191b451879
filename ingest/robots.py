"""robots.txt: fetched once per site (scheme, host, port) and asked before every crawl request.

Parsing and matching are ``urllib.robotparser``'s; fetching is ours (through the same guarded,
rate-limited fetch as the pages, with our User-Agent), and what a failed fetch means follows
RFC 9309: a 4xx means "no rules" (everything allowed), a 5xx or a network failure means
"assume everything is disallowed" until the next crawl.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from ingest.fetch import FetchResult

log = logging.getLogger(__name__)

ROBOTS_MAX_BYTES = 512_000
"""RFC 9309 asks crawlers to read at least 500 KiB of a robots.txt."""

DISALLOWED = "disallowed by robots.txt"

Fetch = Callable[[str], FetchResult]


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """The rules of one site; ``unreachable`` holds why robots.txt could not be read (then all
    is disallowed), and ``parser`` is None when the site has no robots.txt (all allowed)."""

    origin: str
    parser: RobotFileParser | None = None
    unreachable: str = ""
    refused: bool = False
    """True when the address policy refused the site (then that refusal is the reason)."""

    def allowed(self, url: str, user_agent: str) -> bool:
        if self.unreachable:
            return False
        return self.parser is None or self.parser.can_fetch(user_agent, url)

    def delay_s(self, user_agent: str) -> float | None:
        """Crawl-delay (or Request-rate as seconds per request) for this agent, if any."""
        if self.parser is None:
            return None
        delays: list[float] = []
        crawl_delay = self.parser.crawl_delay(user_agent)
        if crawl_delay is not None:
            delays.append(float(crawl_delay))
        rate = self.parser.request_rate(user_agent)
        if rate is not None and rate.requests > 0:
            delays.append(rate.seconds / rate.requests)
        return max(delays) if delays else None

    def sitemaps(self) -> tuple[str, ...]:
        if self.parser is None:
            return ()
        return tuple(self.parser.site_maps() or ())

    def skip_reason(self, url: str, user_agent: str) -> str:
        """"" when url may be fetched, else why not."""
        if self.refused:
            return self.unreachable
        if self.unreachable:
            return f"robots.txt unreachable ({self.unreachable}); crawling this site is disallowed"
        return "" if self.allowed(url, user_agent) else DISALLOWED


def origin_of(url: str) -> str:
    """scheme://host[:port] in lower case, without the default port."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    default = {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{host}" if port in (None, default) else f"{scheme}://{host}:{port}"


def parse_robots(origin: str, result: FetchResult) -> RobotsRules:
    """Turn the fetch of ``<origin>/robots.txt`` into rules (RFC 9309 for the failures)."""
    if result.ok:
        parser = RobotFileParser(f"{origin}/robots.txt")
        parser.parse(result.body.decode("utf-8", errors="replace").splitlines())
        return RobotsRules(origin, parser)
    if 400 <= result.status < 500 or 300 <= result.status < 400:
        # Missing (4xx) or redirected too often: "unavailable", so no restrictions.
        return RobotsRules(origin)
    return RobotsRules(origin, unreachable=result.error, refused=result.refused)


class RobotsCache:
    """robots.txt rules per site, fetched on first use through ``fetch`` and kept for the crawl."""

    def __init__(self, fetch: Fetch, user_agent: str) -> None:
        self._fetch = fetch
        self._user_agent = user_agent
        self._rules: dict[str, RobotsRules] = {}

    def rules(self, url: str) -> RobotsRules:
        origin = origin_of(url)
        rules = self._rules.get(origin)
        if rules is None:
            rules = parse_robots(origin, self._fetch(f"{origin}/robots.txt"))
            if rules.unreachable:
                log.warning("robots.txt of %s unreachable: %s", origin, rules.unreachable)
            self._rules[origin] = rules
        return rules

    def skip_reason(self, url: str) -> str:
        """"" when url may be fetched, else why not (fetches robots.txt when first needed)."""
        return self.rules(url).skip_reason(url, self._user_agent)

    def delay_s(self, url: str) -> float | None:
        return self.rules(url).delay_s(self._user_agent)


__all__ = [
    "DISALLOWED",
    "ROBOTS_MAX_BYTES",
    "RobotsCache",
    "RobotsRules",
    "origin_of",
    "parse_robots",
]
