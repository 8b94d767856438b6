"""Regenerate ``manifest.json``: which pages of which packages form the labelled set.

The choice is a rule, not a hand pick: for each ``(pattern, count, kind)`` below, the package's
files matching ``pattern`` are sorted by path and ``count`` of them are taken at an even
stride, skipping pages not in English and pages whose main text (by the package's rule) has
fewer than 50 words. Two kinds are tests, not paths: ``posts`` takes only pages that show
several posts (``div.inlinepage``: a blog's front page, a news feed), ``discussion`` only pages
whose main text holds at least three replies (quoted blocks, or names signed ``-- <name>``).
Features (``code``, ``table``) are read from the main element.

    python -m bench.extraction_set.make_manifest bench/.work/debian
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from bench.debian_pages import ensure_packages
from bench.extraction_set import MANIFEST, PACKAGE_RULES
from bench.extraction_set.rules import main_element, main_text

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from lxml.html import HtmlElement

    from bench.debian_pages import Unpacked

__all__ = ["SELECTION", "main", "select", "several_posts", "threaded"]

_MIN_WORDS = 50
#: Git's how-tos are mailing-list posts when their AsciiDoc source opens with mail headers.
_MAIL = "mail, else article"
_MAIL_HEADER = re.compile(rb"^(From|Date|Subject|To|Message-ID):", re.IGNORECASE)
_SIGN_OFF = ("--", "—")
_MIN_REPLIES = 3

#: package -> (glob under its root, how many pages, kind)
SELECTION: dict[str, tuple[tuple[str, int, str], ...]] = {
    "python3.11-doc": (
        ("howto/*.html", 8, "article"),
        ("whatsnew/3.*.html", 4, "article"),
        ("faq/*.html", 6, "faq"),
        ("tutorial/*.html", 6, "docs"),
        ("library/*.html", 14, "docs"),
        ("reference/*.html", 3, "docs"),
        ("c-api/*.html", 3, "docs"),
        ("contents.html", 1, "listing"),
        ("py-modindex.html", 1, "listing"),
        ("genindex-A.html", 1, "listing"),
        ("library/index.html", 1, "listing"),
        ("glossary.html", 1, "listing"),
    ),
    "sqlite3-doc": (
        ("[a-k]*.html", 14, "article"),
        ("[l-z]*.html", 14, "article"),
        ("docs.html", 1, "listing"),
        ("changes.html", 1, "listing"),
        ("keyword_index.html", 1, "listing"),
        ("chronology.html", 1, "listing"),
        ("releaselog/*.html", 20, "news"),
    ),
    "apache2-doc": (
        ("*.html", 8, "docs"),
        ("howto/*.html", 5, "article"),
        ("mod/mod_*.html", 12, "docs"),
        ("programs/*.html", 3, "docs"),
        ("rewrite/*.html", 3, "docs"),
        ("mod/index.html", 1, "listing"),
        ("mod/quickreference.html", 1, "listing"),
        ("sitemap.html", 1, "listing"),
    ),
    "git-doc": (
        ("howto/*.html", 12, _MAIL),
        ("git-*.html", 6, "docs"),
        ("[A-Z]*.html", 3, "article"),
        ("user-manual.html", 1, "docs"),
    ),
    "debian-reference-en": (("[acp]*.en.html", 14, "docs"),),
    "ikiwiki": (
        ("**/*.html", 4, "posts"),
        ("**/*.html", 10, "discussion"),
        ("news/*.html", 16, "news"),
    ),
}


def _stride(items: list[str], count: int) -> Iterator[str]:
    # Evenly spread picks; once a pick is rejected the caller asks for the next candidates.
    if count >= len(items):
        yield from items
        return
    for index in range(count):
        yield items[index * len(items) // count]


def _foreign(html: bytes) -> bool:
    # Debian's apache2-doc files a few Portuguese pages under en/; the set is English.
    lang = html[:400].lower()
    return b"<html lang=" in lang and b'<html lang="en' not in lang


def _kind(unpacked: Unpacked, path: str, kind: str) -> str:
    if kind != _MAIL:
        return kind
    source = unpacked.page(path).with_suffix(".txt")
    mail = source.is_file() and _MAIL_HEADER.match(source.read_bytes()) is not None
    return "mail" if mail else "article"


def several_posts(node: HtmlElement, _text: str) -> bool:
    """A page that shows several posts, each in its own ``div.inlinepage``."""
    return len(node.xpath(".//div[@class='inlinepage']")) >= 2


def threaded(node: HtmlElement, _text: str) -> bool:
    """A page whose main text holds replies: quoted blocks, or a name signed ``-- <name>``."""
    return len(node.xpath(".//blockquote")) + _signatures(node) >= _MIN_REPLIES


def _signatures(node: HtmlElement) -> int:
    # A wiki signs a reply with a dash then the author's page link: "... --<a>Joey</a>".
    count = 0
    for name in node.iter("a", "span"):
        before = name.getprevious()
        text = before.tail if before is not None else name.getparent().text
        count += (text or "").rstrip().endswith(_SIGN_OFF)
    return count


#: Kinds that are a test on the page rather than a path.
_TESTS = {"posts": several_posts, "discussion": threaded}


def _entry(unpacked: Unpacked, path: str, kind: str) -> dict[str, object] | None:
    rule = PACKAGE_RULES[unpacked.package.name]
    html = unpacked.page(path).read_bytes()
    if _foreign(html):
        return None
    text = main_text(html, rule)
    node = main_element(html, rule)
    if node is None or len(text.split()) < _MIN_WORDS:
        return None
    if kind in _TESTS and not _TESTS[kind](node, text):
        return None
    features = [
        name
        for name, tag in (("code", "pre"), ("table", "table"))
        if node.find(f".//{tag}") is not None
    ]
    return {
        "package": unpacked.package.name,
        "path": path,
        "rule": rule,
        "kind": _kind(unpacked, path, kind),
        "features": features,
        "words": len(text.split()),
    }


def select(unpacked: Unpacked) -> list[dict[str, object]]:
    """The manifest entries for one package, by ``SELECTION``."""
    root = unpacked.page("")
    chosen: list[dict[str, object]] = []
    taken_paths: set[str] = set()
    for pattern, count, kind in SELECTION[unpacked.package.name]:
        paths = sorted(str(p.relative_to(root)) for p in root.glob(pattern))
        taken = 0
        tried: set[str] = set()  # a page a kind's test refused may suit a later pattern
        for path in [*_stride(paths, count), *paths]:
            if taken == count:
                break
            if path in taken_paths or path in tried:
                continue
            tried.add(path)
            entry = _entry(unpacked, path, kind)
            if entry is not None:
                chosen.append(entry)
                taken_paths.add(path)
                taken += 1
    return chosen


def _dumps(versions: dict[str, str], pages: list[dict[str, object]]) -> str:
    # One page per line: a reviewable diff when the selection changes.
    lines = ",\n".join(f"  {json.dumps(page)}" for page in pages)
    return f'{{"packages": {json.dumps(versions)},\n "pages": [\n{lines}\n]}}\n'


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cache", type=Path, help="package cache (see bench.debian_pages)")
    args = parser.parse_args(argv)
    unpacked = ensure_packages(args.cache, list(SELECTION))
    pages = [entry for got in unpacked.values() for entry in select(got)]
    versions = {name: got.version for name, got in unpacked.items()}
    MANIFEST.write_text(_dumps(versions, pages))
    print(f"{len(pages)} pages from {versions}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
