"""The real-page benchmark input: the labelled set's pages as gzipped WARC ``response`` records.

One WARC file per site, each page at its public URL with the headers such a server sends
(``Content-Type``, ``Content-Length``, ``Date``, ``Last-Modified`` from the packaged file,
``ETag``, ``Server``, ``Cache-Control``, ``Vary``). Written once under the work folder and
reused while the manifest and package versions match; a smoke run takes every sixth page.

    python -m bench.real_input bench/.work [--smoke]
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import TYPE_CHECKING

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bench.debian_pages import PACKAGES
from bench.extraction_set import load_labelled_set, read_manifest
from bench.make_input import PARAMS_FILE, InputSet, write_response, write_warcinfo

if TYPE_CHECKING:
    from collections.abc import Sequence

    from bench.extraction_set import LabelledPage

__all__ = ["ensure_real_input", "http_headers", "main", "write_real_input"]

#: When the crawl "happened": fixed, so the files are byte-identical from run to run.
_CRAWLED = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)


def http_headers(page: LabelledPage) -> StatusAndHeaders:
    """What the page's own server answers (modelled on each site's real responses)."""
    modified = datetime.fromtimestamp(page.last_modified, UTC)
    etag = hashlib.sha1(page.html).hexdigest()[:16]
    headers = [
        ("Server", PACKAGES[page.package].server),
        ("Date", format_datetime(_CRAWLED, usegmt=True)),
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", str(len(page.html))),
        ("Last-Modified", format_datetime(modified, usegmt=True)),
        ("ETag", f'"{etag}"'),
        ("Accept-Ranges", "bytes"),
        ("Cache-Control", "max-age=600"),
        ("Vary", "Accept-Encoding"),
    ]
    return StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")


def write_real_input(directory: Path, pages: Sequence[LabelledPage]) -> InputSet:
    """Write ``pages`` into one ``real-NNNNN.warc.gz`` per package and describe them."""
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.warc.gz"):
        stale.unlink()
    paths = []
    packages = list(dict.fromkeys(page.package for page in pages))
    for number, package in enumerate(packages):
        path = directory / f"real-{number:05d}.warc.gz"
        with path.open("wb") as stream:
            writer = WARCWriter(stream, gzip=True, warc_version="1.1")
            write_warcinfo(writer, path.name, 0)
            for index, page in enumerate(pages):
                if page.package == package:
                    write_response(writer, index, page.url, page.html, http_headers(page))
        paths.append(path)
    kinds = dict(sorted(Counter(page.kind for page in pages).items()))
    html_bytes = sum(len(page.html) for page in pages)
    made = InputSet(directory, tuple(paths), len(pages), 0, html_bytes, kinds)
    (directory / PARAMS_FILE).write_text(json.dumps(_params(made), indent=2) + "\n")
    return made


def _params(made: InputSet) -> dict[str, object]:
    return {**made.to_json(), "manifest": read_manifest()["packages"]}


def _reusable(directory: Path) -> InputSet | None:
    try:
        saved = json.loads((directory / PARAMS_FILE).read_text())
    except (OSError, ValueError):
        return None
    paths = tuple(directory / name for name in saved.get("files", []))
    if saved.get("manifest") != read_manifest()["packages"] or not all(p.is_file() for p in paths):
        return None
    return InputSet(directory, paths, saved["docs"], 0, saved["html_bytes"], saved["kinds"])


def ensure_real_input(work_dir: Path, smoke: bool = False) -> InputSet:
    """The real-page WARCs under ``work_dir``, made on first use.

    Raises :class:`bench.debian_pages.PagesUnavailable` when the packages cannot be had.
    """
    directory = work_dir / ("real-input-smoke" if smoke else "real-input")
    reused = _reusable(directory)
    if reused is not None:
        return reused
    return write_real_input(directory, load_labelled_set(work_dir / "debian", smoke=smoke))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("work_dir", type=Path, help="bench work folder (holds debian/ too)")
    parser.add_argument("--smoke", action="store_true", help="every sixth page only")
    args = parser.parse_args(argv)
    made = ensure_real_input(args.work_dir, args.smoke)
    mean_kb = made.html_bytes / made.docs / 1024
    print(f"{made.docs} pages ({mean_kb:.1f} KB mean) in {len(made.files)} files: {made.kinds}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
