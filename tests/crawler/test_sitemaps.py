"""Sitemaps: read within caps, and found through robots.txt in a real crawl."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from crawler.sitemaps import SitemapFile, read_sitemap
from tests.crawler.conftest import Publisher, crawl, page, text

URLSET = (
    b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    b"<url><loc>http://h/a</loc></url><url><loc>http://h/b</loc></url></urlset>"
)
INDEX = (
    b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    b"<sitemap><loc>http://h/s1.xml</loc></sitemap></sitemapindex>"
)
TEN = b"\n".join(b"http://h/%d" % i for i in range(10))
BOMB = gzip.compress(b"http://h/a\n" + b" " * 10_000_000)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (URLSET, SitemapFile("urlset", ("http://h/a", "http://h/b"))),
        (gzip.compress(URLSET), SitemapFile("urlset", ("http://h/a", "http://h/b"))),
        (INDEX, SitemapFile("sitemapindex", ("http://h/s1.xml",))),
        (b"http://h/a\n\nnot a url\nhttps://h/b\n", SitemapFile("text", ("http://h/a", "https://h/b"))),
        (TEN, SitemapFile("text", ("http://h/0", "http://h/1", "http://h/2"))),
        (BOMB, SitemapFile("unreadable", ())),
        (b"\x1f\x8bnot gzip", SitemapFile("unreadable", ())),
    ],
    ids=["urlset", "gzip", "index", "text", "max-urls", "gzip-bomb", "corrupt-gzip"],
)  # fmt: skip
def test_read_sitemap(body: bytes, expected: SitemapFile) -> None:
    assert read_sitemap(body, max_bytes=1_000_000, max_urls=3) == expected


def test_sitemaps_named_in_robots_txt_are_followed(tmp_path: Path, publisher: Publisher) -> None:
    base = publisher.url
    index = INDEX.replace(b"http://h/s1.xml", f"{base}/s1.xml.gz".encode())
    index = index.replace(b"</sitemapindex>", f"<sitemap><loc>{base}/s2.txt</loc></sitemap>"
                          "</sitemapindex>".encode())  # fmt: skip
    publisher.routes = {
        "/robots.txt": text(f"User-agent: *\nAllow: /\nSitemap: {base}/index.xml\n"),
        "/": page("Home"),
        "/index.xml": (200, {"Content-Type": "application/xml"}, index),
        "/s1.xml.gz": (200, {"Content-Type": "application/gzip"},
                       gzip.compress(URLSET.replace(b"http://h", base.encode()))),
        "/s2.txt": text(f"{base}/c\n"),
        "/a": page("A"), "/b": page("B"), "/c": page("C"),
    }  # fmt: skip
    crawl(tmp_path, publisher.url + "/")
    assert {"/index.xml", "/s1.xml.gz", "/s2.txt", "/a", "/b", "/c"} <= set(publisher.paths())
    assert all(publisher.paths().count(p) == 1 for p in ("/a", "/b", "/c", "/index.xml"))
