"""Address policy: which network addresses a fetch may connect to.

By default only globally routable addresses are allowed, so a URL (or a redirect) cannot make
impactkg read from the machine it runs on or from the intranet behind it. A host name is
resolved once, every address it resolves to is checked, and the fetcher then connects to one of
those checked addresses (never resolving again), which closes the DNS-rebinding gap.
"""

from __future__ import annotations

import ipaddress
import socket
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]
"""Maps (host, port) to the IP addresses to try, in order; raises OSError when it cannot."""

LIFT_HINT = "use --allow-private to fetch from private networks"

_NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")


def resolve_host(host: str, port: int) -> list[str]:
    """All addresses the system resolver gives for host (TCP), in its order, without duplicates."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[str] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = str(sockaddr[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address a tunnelling IPv6 address carries (6to4, Teredo, NAT64), if any."""
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64_PREFIX:
        return ipaddress.IPv4Address(ip.packed[-4:])
    return None


def address_category(ip: IpAddress) -> str:
    """Why an address is not public ("loopback", "private", ...), or "" when it is public."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:  # ::ffff:a.b.c.d is a.b.c.d on a dual-stack socket
            return address_category(ip.ipv4_mapped)
        embedded = _embedded_ipv4(ip)
        if embedded is not None and (inner := address_category(embedded)):
            return inner
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("site-local", isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        # Shared address space (100.64/10) and other special ranges are neither private nor global.
        ("non-global", not ip.is_global),
    )
    return next((name for name, hit in checks if hit), "")


def is_public_address(ip: IpAddress) -> bool:
    """True when ip is a globally routable unicast address (the default policy)."""
    return address_category(ip) == ""


@dataclass(frozen=True, slots=True)
class GuardResult:
    """The addresses to connect to for one host, or why none may be used (``error``).

    ``refused`` is True when the address policy said no (not when the name did not resolve).
    """

    host: str
    addresses: tuple[str, ...] = ()
    error: str = ""
    refused: bool = False

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass(frozen=True, slots=True)
class AddressGuard:
    """Resolves a host once and checks every address against the policy.

    ``resolver`` and ``is_public`` are injectable so tests can treat one loopback address as
    "public" and another as private; production code uses the defaults.
    """

    resolver: Resolver = resolve_host
    is_public: Callable[[IpAddress], bool] = is_public_address

    def check(self, host: str, port: int, *, allow_private: bool = False) -> GuardResult:
        """Resolve host and refuse it when any of its addresses is not public.

        Refusing on *any* non-public address (not just the first) matters because the caller may
        fall back to the next address when the first does not answer. With ``allow_private``
        the addresses are still resolved (the caller connects to them) but not checked.
        """
        literal = _parse_ip(host)
        if literal is not None:
            addresses = [str(literal)]
        else:
            try:
                addresses = list(self.resolver(host, port))
            except (OSError, UnicodeError) as exc:
                return GuardResult(host, error=f"cannot resolve host '{host}' ({_reason(exc)})")
            if not addresses:
                return GuardResult(host, error=f"cannot resolve host '{host}' (no addresses)")
        if not allow_private:
            for address in addresses:
                ip = ipaddress.ip_address(address.split("%", 1)[0])
                if not self.is_public(ip):
                    kind = address_category(ip) or "non-public"
                    what = f"{ip} is" if literal is not None else f"host '{host}' resolves to {ip},"
                    article = "an" if kind[0] in "aeiou" else "a"
                    return GuardResult(
                        host,
                        error=f"refused: {what} {article} {kind} address; {LIFT_HINT}",
                        refused=True,
                    )
        return GuardResult(host, tuple(addresses))


_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})  # IDNA full stops


def _parse_ip(host: str) -> IpAddress | None:
    """The address a host names literally, in any spelling a resolver would accept as one.

    Besides dotted quads and IPv6 (bracketed, with a zone), the C library's ``inet_aton`` reads
    ``2130706433``, ``0x7f.1``, ``017700000001`` and ``127.1`` as 127.0.0.1, and IDNA turns
    full-width digits and dots into ASCII: such hosts are treated as the address they spell, so
    the policy never depends on what the resolver makes of them.
    """
    text = unicodedata.normalize("NFKC", host).translate(_DOTS).strip("[]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return _parse_loose_ipv4(text.removesuffix("."))


def _parse_loose_ipv4(text: str) -> ipaddress.IPv4Address | None:
    """``inet_aton`` forms: 1 to 4 parts, each decimal, octal (leading 0) or hex (0x)."""
    parts = text.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    numbers: list[int] = []
    for part in parts:
        try:
            if part[:2].lower() == "0x":
                numbers.append(int(part[2:] or "0", 16))
            elif len(part) > 1 and part.startswith("0"):
                numbers.append(int(part[1:], 8))
            else:
                numbers.append(int(part, 10) if part.isascii() and part.isdigit() else -1)
        except ValueError:
            return None
    if any(number < 0 for number in numbers):
        return None
    *leading, last = numbers
    if any(number > 255 for number in leading) or last >= 256 ** (4 - len(leading)):
        return None
    value = last
    for index, number in enumerate(leading):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, socket.gaierror) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
