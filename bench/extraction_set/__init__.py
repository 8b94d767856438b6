"""A labelled extraction set of real pages, for developing extraction (not for acceptance).

``manifest.json`` names the pages (package, path, kind, features); the pages themselves come
from Debian documentation packages fetched at setup (``bench.debian_pages``), and each page's
true main text is computed by its site's rule (``bench.extraction_set.rules``). See README.md
in this folder for the packages, their licences, and how the pages were chosen.

    from bench.extraction_set import load_labelled_set
    for page in load_labelled_set(Path("bench/.work/debian")):
        page.url, page.html, page.truth, page.must_not, page.kind, page.features, page.published
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

__all__ = [
    "MANIFEST",
    "PACKAGE_RULES",
    "LabelledPage",
    "load_labelled_set",
    "read_manifest",
    "smoke_subset",
]

MANIFEST = Path(__file__).resolve().parent / "manifest.json"
PACKAGE_RULES = {
    "python3.11-doc": "sphinx",
    "sqlite3-doc": "sqlite",
    "apache2-doc": "apache",
    "git-doc": "asciidoc",
    "debian-reference-en": "docbook",
    "ikiwiki": "ikiwiki",
}
#: Smoke runs keep every SMOKE_STRIDE-th page of the manifest (every site still appears).
SMOKE_STRIDE = 6


@dataclass(frozen=True, slots=True)
class LabelledPage:
    """One page: where it lives on the web, its bytes, its main text by rule, ``must_not``:
    the lines outside the main text (menus, sidebars, footers) an extraction should not keep,
    and ``published``: the publication date the page states, by rule, or None."""

    url: str
    html: bytes
    truth: str
    package: str
    path: str
    kind: str
    features: tuple[str, ...]
    last_modified: float
    must_not: tuple[str, ...] = ()
    published: date | None = None


def read_manifest() -> dict[str, Any]:
    """The manifest: ``{"packages": {name: version}, "pages": [entry, ...]}``."""
    data: dict[str, Any] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return data


def smoke_subset(pages: list[LabelledPage]) -> list[LabelledPage]:
    """The pages a smoke run uses: a stride through the manifest, about twenty."""
    return pages[::SMOKE_STRIDE]


def load_labelled_set(cache: Path, smoke: bool = False) -> list[LabelledPage]:
    """Every manifest page with its truth; fetches the packages into ``cache`` if needed.

    Raises :class:`bench.debian_pages.PagesUnavailable` when a package cannot be had.
    """
    from bench.debian_pages import ensure_packages
    from bench.extraction_set.dates import published_date
    from bench.extraction_set.rules import chrome_lines, main_text

    entries = read_manifest()["pages"]
    unpacked = ensure_packages(cache, sorted({entry["package"] for entry in entries}))
    pages = []
    for entry in entries:
        got = unpacked[entry["package"]]
        source = got.page(entry["path"])
        if not source.is_file():  # a newer package version dropped it
            continue
        html = source.read_bytes()
        truth = main_text(html, entry["rule"])
        pages.append(
            LabelledPage(
                url=got.url(entry["path"]),
                html=html,
                truth=truth,
                package=entry["package"],
                path=entry["path"],
                kind=entry["kind"],
                features=tuple(entry["features"]),
                last_modified=source.stat().st_mtime,
                must_not=tuple(chrome_lines(html, entry["rule"], truth)),
                published=published_date(html, entry["rule"]),
            )
        )
    return smoke_subset(pages) if smoke else pages
