"""The address guard: no request to a private, loopback or otherwise non-public address.

A crawler that follows links (and redirects) can be steered at the machine it
runs on or its network (server-side request forgery). Before every request,
redirects included, the host is resolved with the same resolver the download
will use (Scrapy's caching resolver, so the connection gets the address that
was checked) and refused when any address is private, loopback, link-local,
multicast, reserved or otherwise not globally routable, unless it is on the
allow-list (``GUARD_ALLOW_PRIVATE``, the job's ``[scope] allow_private``).
Refusals are decisions: a row in the decision log with signal ``address_guard``.
"""

from __future__ import annotations

import ipaddress
import logging
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request
from scrapy.utils.defer import deferred_to_future
from scrapy.utils.httpobj import urlparse_cached

from crawler.decisions import log_decision
from crawler.errors import SettingError
from record.outcomes import ADDRESS_GUARD, outcome_verdict

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["AddressGuardMiddleware", "address_refusal", "parse_networks"]

log = logging.getLogger(__name__)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: list[str], name: str = "GUARD_ALLOW_PRIVATE") -> tuple[Network, ...]:
    """``["127.0.0.1", "10.0.0.0/8"]`` → networks; a bad entry is refused by value."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(str(value).strip(), strict=False))
        except ValueError as exc:
            raise SettingError(name, value, "is not an IP address or network") from exc
    return tuple(networks)


def address_refusal(address: str, allowed: tuple[Network, ...]) -> str | None:
    """Why ``address`` may not be fetched (e.g. ``"loopback"``), or None when it may."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unparseable address"
    if any(ip in net for net in allowed if net.version == ip.version):
        return None
    for kind in ("loopback", "unspecified", "link_local", "multicast", "reserved", "private"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return None if ip.is_global else "not globally routable"


class AddressGuardMiddleware:
    """Downloader middleware: resolve, then refuse non-public addresses."""

    def __init__(self, crawler: Crawler, allowed: tuple[Network, ...]) -> None:
        self.crawler = crawler
        self.allowed = allowed

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AddressGuardMiddleware:
        if not crawler.settings.getbool("GUARD_ENABLED"):
            raise NotConfigured
        return cls(crawler, parse_networks(crawler.settings.getlist("GUARD_ALLOW_PRIVATE")))

    async def process_request(self, request: Request) -> None:
        host = (urlparse_cached(request).hostname or "").strip("[]")
        addresses = await self._resolve(host)
        if not addresses:
            # When in doubt, do not fetch: a later lookup could answer a private address.
            self._refuse(request, host, "?", "unresolvable")
        for address in addresses:
            why = address_refusal(address, self.allowed)
            if why is not None:
                self._refuse(request, host, address, why)
        return None

    async def _resolve(self, host: str) -> list[str]:
        try:
            return [str(ipaddress.ip_address(host))]
        except ValueError:
            pass
        from twisted.internet import reactor

        try:
            resolved: Any = await deferred_to_future(reactor.resolver.getHostByName(host))
        except Exception:  # unresolvable: refused by the caller
            return []
        return [str(resolved)]

    def _refuse(self, request: Request, host: str, address: str, why: str) -> None:
        evidence = f"{host} → {address} ({why})"
        rule = "non-public address (GUARD_ALLOW_PRIVATE)"
        verdict = outcome_verdict(ADDRESS_GUARD, rule, evidence, fetched=False)
        log_decision(self.crawler, request.url, "robots", verdict, None)
        self.crawler.stats.inc_value(f"guard/address/{why.replace(' ', '_')}")
        raise IgnoreRequest(f"address guard: {evidence}")
