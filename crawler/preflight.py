"""A dry run of a job's start: which seeds would be fetched, and which refused and why.

``gleaner crawl JOB --dry-run`` asks the questions a crawl asks of each seed and
sitemap before its first request (is the host in scope? does it resolve to an
address the address guard lets through?) and fetches nothing. The host names are
resolved for real, as the guard would; robots.txt is not fetched, so a seed shown
as fetchable may still be refused by its site's robots.txt when the crawl runs.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.settings import Settings

import policies
from crawler.guard import Network, address_refusal, parse_networks
from crawler.jobspec import JobSpec, job_settings

__all__ = ["StartCheck", "preflight", "resolve_host"]

Resolver = Callable[[str], list[str]]


@dataclass(frozen=True, slots=True)
class StartCheck:
    """One seed or sitemap: the addresses its host resolved to and why it would be refused."""

    url: str
    kind: str  # "seed" or "sitemap"
    addresses: tuple[str, ...]
    refused: str | None  # None: it would be requested (robots.txt permitting)


def resolve_host(host: str) -> list[str]:
    """Every address ``host`` resolves to (an IP literal is its own); [] when it does not."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return []
    return sorted({str(info[4][0]) for info in infos})


def preflight(
    job: JobSpec,
    overrides: Mapping[str, str] | None = None,
    resolve: Resolver = resolve_host,
) -> list[StartCheck]:
    """Judge every sitemap and seed of ``job`` as the crawl would before requesting it."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.setdict(job_settings(job, Path()), priority="spider")
    settings.setdict(dict(overrides or {}), priority="cmdline")
    guard = settings.getbool("GUARD_ENABLED")
    allowed = parse_networks(settings.getlist("GUARD_ALLOW_PRIVATE"))
    hosts = tuple(policies.canonical_host(h) for h in job.allowed_hosts)
    starts = [(url, "sitemap") for url in job.sitemaps] + [(url, "seed") for url in job.seeds]
    return [_check(url, kind, hosts, allowed if guard else None, resolve) for url, kind in starts]


def _check(
    url: str,
    kind: str,
    hosts: tuple[str, ...],
    allowed: tuple[Network, ...] | None,
    resolve: Resolver,
) -> StartCheck:
    host = policies.canonical_host(urlsplit(url).hostname or "")
    # Seeds are held to the scope like every link; sitemaps are fetched wherever they are.
    if kind == "seed" and hosts and not any(host == h or host.endswith("." + h) for h in hosts):
        return StartCheck(url, kind, (), f"scope: {host} is not in [scope] allowed_hosts")
    addresses = tuple(resolve(host.strip("[]")))
    if allowed is None:
        return StartCheck(url, kind, addresses, None)
    if not addresses:
        return StartCheck(url, kind, addresses, f"address guard: {host} does not resolve")
    for address in addresses:
        why = address_refusal(address, allowed)
        if why is not None:
            shown = address if address == host.strip("[]") else f"{host} → {address}"
            refused = f"address guard: {shown} ({why}; see [scope] allow_private)"
            return StartCheck(url, kind, addresses, refused)
    return StartCheck(url, kind, addresses, None)
