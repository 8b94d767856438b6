"""Where the original capture of a ``revisit`` record is: in this archive, or in the build.

A revisit names its original by ``WARC-Refers-To`` (the original's record id; our
crawler writes it, as do Heritrix and wget) or only by ``WARC-Payload-Digest`` plus
the URL (``WARC-Refers-To-Target-URI`` when given, else its own). A recrawl's revisits
point into an earlier run's archives, so before stage 1 the build indexes every
archive it reads (:class:`BuildOriginals`, filled during stage 0's one pass over the
records) and hands each reader the originals of its own revisits. A reader alone
still finds an original earlier in its own file (:class:`Originals`).

Only HTML ``2xx`` responses can be originals: they are what the reader makes documents
of. Keys are 64-bit hashes, to keep the build's index small; a match is confirmed on
the record itself when it is read (:func:`is_original_of`), so a collision is no match.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import xxhash

from pipeline.urls import page_key

__all__ = [
    "REVISITS_FILE",
    "BuildOriginals",
    "Originals",
    "html_response",
    "is_original_of",
    "load_revisit_targets",
]

#: The build's revisit → original map, in the staging folder (read by every stage-1 unit).
REVISITS_FILE = "work/revisits.parquet"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_SCHEMA = pa.schema(
    [
        ("archive", pa.string()),
        ("offset", pa.int64()),
        ("original", pa.string()),
        ("original_offset", pa.int64()),
    ]
)


def html_response(record: Any) -> bool:
    """An HTML ``2xx`` response: what a page document (and a revisit's original) is made of."""
    http = record.http_headers
    if record.rec_type != "response" or http is None:
        return False
    ctype = (http.get_header("Content-Type") or "").lower()
    return ctype.startswith(_HTML_TYPES) and http.get_statuscode().startswith("2")


def _header(record: Any, name: str) -> str:
    return (record.rec_headers.get_header(name) or "").strip()


def _id_key(record_id: str) -> int:
    return xxhash.xxh3_64_intdigest(record_id.encode())


def _digest_key(digest: str, url: str) -> int:
    return xxhash.xxh3_64_intdigest(f"{digest}\n{url}".encode())


def _wanted_keys(revisit: Any, url: str) -> tuple[int | None, int | None]:
    """The revisit's keys: by the record it refers to, and by payload digest plus URL."""
    refers_to = _header(revisit, "WARC-Refers-To")
    digest = _header(revisit, "WARC-Payload-Digest")
    target = _header(revisit, "WARC-Refers-To-Target-URI") or url
    return (
        _id_key(refers_to) if refers_to else None,
        _digest_key(digest, target) if digest else None,
    )


def is_original_of(original: Any, revisit: Any, url: str) -> bool:
    """Whether ``original`` is the capture ``revisit`` names (checked on the records)."""
    refers_to = _header(revisit, "WARC-Refers-To")
    if refers_to and refers_to == _header(original, "WARC-Record-ID"):
        return True
    digest = _header(revisit, "WARC-Payload-Digest")
    target = _header(revisit, "WARC-Refers-To-Target-URI") or url
    return bool(digest) and (
        digest == _header(original, "WARC-Payload-Digest")
        and target == _header(original, "WARC-Target-URI")
    )


class Originals:
    """One reader's documents so far, by record id and by (payload digest, URL): offsets."""

    def __init__(self) -> None:
        self._found: dict[int, int] = {}

    def add(self, record: Any, url: str, offset: int) -> None:
        record_id = _header(record, "WARC-Record-ID")
        if record_id:
            self._found.setdefault(_id_key(record_id), offset)
        digest = _header(record, "WARC-Payload-Digest")
        if digest:
            self._found.setdefault(_digest_key(digest, url), offset)

    def find(self, revisit: Any, url: str) -> int | None:
        """Offset of the original of ``revisit`` in this archive, or None."""
        by_id, by_digest = _wanted_keys(revisit, url)
        for key in (by_id, by_digest):
            if key is not None and key in self._found:
                return self._found[key]
        return None


class BuildOriginals:
    """Every HTML response and revisit of a build's archives, noted as stage 0 reads them."""

    def __init__(self) -> None:
        self._archives: list[str] = []
        self._numbers: dict[str, int] = {}
        self._found: dict[int, tuple[int, int]] = {}
        self._revisits: list[tuple[int, int, int | None, int | None]] = []
        # Captures (responses and revisits) by page: the first, then any more of it.
        self._first: dict[int, tuple[int, int]] = {}
        self._more: dict[int, list[tuple[int, int]]] = {}

    def note(self, archive: Path, record: Any, offset: int) -> None:
        """Remember ``record`` (at ``offset`` of ``archive``) if it is an original or a revisit."""
        kind = record.rec_type
        if kind not in ("response", "revisit"):
            return
        url = _header(record, "WARC-Target-URI")
        number = self._number(archive)
        if kind == "revisit" or html_response(record):
            self._note_page(url, number, offset)
        if kind == "revisit":
            self._revisits.append((number, offset, *_wanted_keys(record, url)))
        elif html_response(record):
            record_id = _header(record, "WARC-Record-ID")
            digest = _header(record, "WARC-Payload-Digest")
            # The first capture in build order stands for all captures with its key.
            if record_id:
                self._found.setdefault(_id_key(record_id), (number, offset))
            if digest:
                self._found.setdefault(_digest_key(digest, url), (number, offset))

    def repeated(self, archives: Collection[Path]) -> list[tuple[Path, int]]:
        """(archive, offset) of every capture in ``archives`` whose page the build
        captured more than once (in any archive), in build order."""
        wanted = {str(a) for a in archives}
        found = []
        for key, more in self._more.items():
            for number, offset in [self._first[key], *more]:
                if number >= 0 and self._archives[number] in wanted:
                    found.append((number, offset))
        return [(Path(self._archives[n]), offset) for n, offset in sorted(found)]

    def note_known_pages(self, urls: Iterable[str]) -> None:
        """Pages the dataset holds already: a single capture of one in the inputs is then
        the page's second, and may refuse the first (see :meth:`repeated`)."""
        for url in urls:
            key = xxhash.xxh3_64_intdigest(page_key(url).encode())
            self._first.setdefault(key, (-1, -1))

    def _note_page(self, url: str, number: int, offset: int) -> None:
        key = xxhash.xxh3_64_intdigest(page_key(url).encode())
        if key not in self._first:
            self._first[key] = (number, offset)
        else:
            self._more.setdefault(key, []).append((number, offset))

    def save(self, path: Path) -> None:
        """Write each found revisit → original pair (written whole, then renamed)."""
        rows = self._pairs()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        pq.write_table(pa.Table.from_pylist(rows, schema=_SCHEMA), tmp)
        os.replace(tmp, path)

    def _pairs(self) -> list[dict[str, object]]:
        pairs = []
        for number, offset, by_id, by_digest in self._revisits:
            found = next(
                (self._found[k] for k in (by_id, by_digest) if k is not None and k in self._found),
                None,
            )
            if found is not None:
                pairs.append(
                    {
                        "archive": self._archives[number],
                        "offset": offset,
                        "original": self._archives[found[0]],
                        "original_offset": found[1],
                    }
                )
        return pairs

    def _number(self, archive: Path) -> int:
        name = str(archive)
        if name not in self._numbers:
            self._numbers[name] = len(self._archives)
            self._archives.append(name)
        return self._numbers[name]


def load_revisit_targets(path: Path, archive: Path) -> Mapping[int, tuple[Path, int]]:
    """The originals of ``archive``'s revisits by revisit offset, from a saved map."""
    if not path.is_file():
        return {}
    rows = pq.read_table(path, filters=[("archive", "=", str(archive))]).to_pylist()
    return {int(r["offset"]): (Path(r["original"]), int(r["original_offset"])) for r in rows}
