"""Generate the benchmark input: synthetic article pages as gzipped WARC ``response`` records.

The same files feed Gleaner and every anchor in one benchmark run, so the comparison is on
identical bytes. Output is deterministic for a given ``(docs, files, seed)``: record ids are
derived from the URL and dates from the page number, never from the clock.

    python -m bench.make_input bench/.work/input --docs 2000 --files 4
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import uuid
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bench._html import kind_for, render_page

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

__all__ = [
    "PARAMS_FILE",
    "InputSet",
    "ensure_input",
    "main",
    "make_input",
    "page_url",
    "write_response",
    "write_warcinfo",
]

PARAMS_FILE = "input.json"
SITES = 8
_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class InputSet:
    """What was written: the WARC files and what they hold."""

    directory: Path
    files: tuple[Path, ...]
    docs: int
    seed: int
    html_bytes: int
    kinds: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["directory"] = str(self.directory)
        data["files"] = [path.name for path in self.files]
        return data


def page_url(index: int) -> str:
    """The URL of page ``index``: eight loopback "sites" told apart by port."""
    return f"http://127.0.0.1:{8000 + index % SITES}/articles/{index:06d}.html"


def _page(seed: int, index: int) -> tuple[str, bytes]:
    # One generator per page, seeded by (seed, index): page i is the same whatever --docs is,
    # so a smoke input is a prefix of the full one.
    rng = random.Random(f"gleaner-bench:{seed}:{index}")
    url = page_url(index)
    return url, render_page(rng, url, kind_for(index)).encode("utf-8")


def _record_id(name: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}>"


def _warc_date(index: int) -> str:
    return (_EPOCH + timedelta(seconds=index)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _http_headers(body: bytes, index: int) -> StatusAndHeaders:
    date = (_EPOCH + timedelta(seconds=index)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", str(len(body))),
        ("Date", date),
        ("Server", "gleaner-bench/1"),
    ]
    return StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")


def write_warcinfo(writer: WARCWriter, filename: str, seed: int) -> None:
    """The ``warcinfo`` record that opens every bench WARC file."""
    fields = f"software: gleaner-bench\r\nformat: WARC File Format 1.1\r\nseed: {seed}\r\n"
    payload = fields.encode("utf-8")
    record = writer.create_warc_record(
        "",
        "warcinfo",
        payload=BytesIO(payload),
        length=len(payload),
        warc_content_type="application/warc-fields",
        warc_headers_dict={
            "WARC-Record-ID": _record_id(f"warcinfo:{filename}:{seed}"),
            "WARC-Date": _warc_date(0),
            "WARC-Filename": filename,
        },
    )
    writer.write_record(record)


def write_response(
    writer: WARCWriter,
    index: int,
    url: str,
    body: bytes,
    http_headers: StatusAndHeaders | None = None,
) -> None:
    """One ``response`` record; ``index`` dates it, ``http_headers`` default to the bench's."""
    record = writer.create_warc_record(
        url,
        "response",
        payload=BytesIO(body),
        http_headers=http_headers or _http_headers(body, index),
        warc_headers_dict={
            "WARC-Record-ID": _record_id(url),
            "WARC-Date": _warc_date(index),
            # Common Crawl sets this; readers such as datatrove's trust it over sniffing.
            "WARC-Identified-Payload-Type": "text/html",
        },
    )
    writer.write_record(record)


def _chunks(docs: int, files: int) -> Iterator[range]:
    # Contiguous, near-equal runs of page numbers, one per file.
    bounds = [docs * k // files for k in range(files + 1)]
    for start, stop in itertools.pairwise(bounds):
        yield range(start, stop)


def make_input(directory: Path, docs: int = 2000, files: int = 4, seed: int = 0) -> InputSet:
    """Write ``docs`` pages over ``files`` WARC files in ``directory`` and describe them."""
    if docs < 1 or files < 1:
        raise ValueError(f"docs ({docs!r}) and files ({files!r}) must be >= 1")
    files = min(files, docs)
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.warc.gz"):
        stale.unlink()
    paths, kinds, html_bytes = [], Counter[str](), 0
    for number, pages in enumerate(_chunks(docs, files)):
        path = directory / f"bench-{number:05d}.warc.gz"
        with path.open("wb") as stream:
            writer = WARCWriter(stream, gzip=True, warc_version="1.1")
            write_warcinfo(writer, path.name, seed)
            for index in pages:
                url, body = _page(seed, index)
                write_response(writer, index, url, body)
                kinds[kind_for(index)] += 1
                html_bytes += len(body)
        paths.append(path)
    made = InputSet(directory, tuple(paths), docs, seed, html_bytes, dict(sorted(kinds.items())))
    (directory / PARAMS_FILE).write_text(json.dumps(made.to_json(), indent=2) + "\n")
    return made


def _reusable(directory: Path, docs: int, files: int, seed: int) -> InputSet | None:
    try:
        saved = json.loads((directory / PARAMS_FILE).read_text())
    except (OSError, ValueError):
        return None
    paths = tuple(directory / name for name in saved.get("files", []))
    same = (saved.get("docs"), saved.get("seed"), len(paths)) == (docs, seed, min(files, docs))
    if not same or not all(path.is_file() for path in paths):
        return None
    return InputSet(directory, paths, docs, seed, saved["html_bytes"], saved["kinds"])


def ensure_input(directory: Path, docs: int = 2000, files: int = 4, seed: int = 0) -> InputSet:
    """Reuse the input in ``directory`` if it was made with the same parameters, else make it."""
    return _reusable(directory, docs, files, seed) or make_input(directory, docs, files, seed)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path, help="where to write bench-NNNNN.warc.gz")
    parser.add_argument("--docs", type=int, default=2000, help="number of pages (default 2000)")
    parser.add_argument("--files", type=int, default=4, help="number of WARC files (default 4)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    args = parser.parse_args(argv)
    made = make_input(args.directory, args.docs, args.files, args.seed)
    mean_kb = made.html_bytes / made.docs / 1024
    print(f"{made.docs} pages ({mean_kb:.1f} KB mean) in {len(made.files)} files: {made.kinds}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
