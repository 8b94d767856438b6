"""Reading sitemaps: XML url sets and indexes, plain-text lists, gzip, with caps.

Pure: bytes in, URLs out. The sitemaps protocol caps a file at 50,000 URLs and
50 MB uncompressed; we read at most ``max_bytes`` after decompression (a gzip
bomb stops there) and keep at most ``max_urls`` entries. A body that is not
XML is read as a text sitemap: one absolute http(s) URL per line.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

__all__ = ["SitemapFile", "read_sitemap"]

_GZIP = b"\x1f\x8b"


@dataclass(frozen=True)
class SitemapFile:
    """What one sitemap lists: pages (``urlset``/text) or more sitemaps (``sitemapindex``)."""

    kind: str  # "urlset", "sitemapindex", "text" or "unreadable"
    urls: tuple[str, ...]


def read_sitemap(body: bytes, *, max_bytes: int, max_urls: int) -> SitemapFile:
    """The URLs a sitemap file lists, within the caps."""
    if body[:2] == _GZIP:
        try:
            body = gunzip(body, max_size=max_bytes)
        except Exception:  # corrupt, or larger than max_bytes once inflated
            return SitemapFile("unreadable", ())
    body = body[:max_bytes]
    if body.lstrip()[:1] == b"<":
        return _xml(body, max_urls)
    lines = (line.strip() for line in body.decode("utf-8", "replace").splitlines())
    urls = (line for line in lines if line.startswith(("http://", "https://")))
    return SitemapFile("text", tuple(islice(urls, max_urls)))


def _xml(body: bytes, max_urls: int) -> SitemapFile:
    try:
        sitemap = Sitemap(body)
        locs = (entry.get("loc", "") for entry in sitemap)
        urls = tuple(islice((u for u in locs if u), max_urls))
    except Exception:  # broken XML: skipped, not fatal
        return SitemapFile("unreadable", ())
    return SitemapFile("sitemapindex" if sitemap.type == "sitemapindex" else "urlset", urls)
