"""Registered domains from host names, offline.

The public-suffix list comes from the snapshot bundled with tldextract; it is
never fetched at run time. IP addresses and single-label hosts are their own
domain.
"""

from __future__ import annotations

from functools import lru_cache

import tldextract

__all__ = ["registered_domain"]

_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@lru_cache(maxsize=65_536)
def registered_domain(host: str) -> str:
    """``news.bbc.co.uk`` → ``bbc.co.uk``; ``127.0.0.1`` → ``127.0.0.1``."""
    if not host:
        return ""
    return _EXTRACT(host).top_domain_under_public_suffix or host
