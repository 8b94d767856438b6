"""Registered domains from host names, offline; one key for every spelling of a page.

The public-suffix list comes from the snapshot bundled with tldextract; it is
never fetched at run time. IP addresses and single-label hosts are their own
domain.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

import tldextract

from policies.authority import authority

__all__ = ["page_key", "registered_domain"]

_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@lru_cache(maxsize=65_536)
def registered_domain(host: str) -> str:
    """``news.bbc.co.uk`` → ``bbc.co.uk``; ``127.0.0.1`` → ``127.0.0.1``."""
    if not host:
        return ""
    return _EXTRACT(host).top_domain_under_public_suffix or host


def page_key(url: str) -> str:
    """One key for every spelling of a page's URL: its authority (as robots.txt keys it),
    path and query; a fragment is never sent, so it names no other page."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    query = f"?{parts.query}" if parts.query else ""
    return f"{authority(url)}{parts.path or '/'}{query}"
