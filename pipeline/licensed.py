"""Licensed corpora: a TOML manifest with licence terms, and files of documents.

The manifest is validated before anything is read, and every error names the
manifest and the field. A corpus whose licence does not permit training, or is
not valid on the build date, is left out of the build with a logged reason.
Licence fields travel on every document the corpus yields.
"""

from __future__ import annotations

import hashlib
import json
import logging
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from pipeline.document import Document
from pipeline.errors import ManifestError
from pipeline.step import Step

__all__ = ["CorpusFile", "LicensedCorpus", "LicensedReader", "load_manifest"]

log = logging.getLogger(__name__)

_T = TypeVar("_T")

_REQUIRED = ("name", "licensor", "license", "training_allowed", "valid_from", "valid_until")
_FORMATS = ("jsonl",)


@dataclass(frozen=True, slots=True)
class CorpusFile:
    """One file of a corpus and how its fields map onto a document."""

    path: Path
    format: str
    fields: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class LicensedCorpus:
    """A validated manifest: licence terms plus the files they cover."""

    manifest: Path
    name: str
    licensor: str
    license: str
    training_allowed: bool
    valid_from: date
    valid_until: date
    attribution: str
    files: tuple[CorpusFile, ...]

    def exclusion_reason(self, on: date) -> str | None:
        """Why this corpus may not enter a build made on ``on``, or None."""
        if not self.training_allowed:
            return "training_not_permitted"
        if on < self.valid_from:
            return "licence_not_yet_valid"
        if on > self.valid_until:
            return "licence_expired"
        return None


def load_manifest(path: Path) -> LicensedCorpus:
    """Parse and validate a corpus manifest; raise :class:`ManifestError` naming the problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ManifestError(f"{path}: unreadable manifest: {exc}") from exc
    corpus = data.get("corpus")
    if not isinstance(corpus, dict):
        raise ManifestError(f"{path}: missing [corpus] table")
    for key in _REQUIRED:
        if key not in corpus:
            raise ManifestError(f"{path}: [corpus] is missing field {key!r}")
    files = tuple(_file(path, i, entry) for i, entry in enumerate(data.get("files") or []))
    if not files:
        raise ManifestError(f"{path}: no [[files]] listed")
    return LicensedCorpus(
        manifest=path,
        name=_text(path, corpus, "name"),
        licensor=_text(path, corpus, "licensor"),
        license=_text(path, corpus, "license"),
        training_allowed=_typed(path, corpus, "training_allowed", bool),
        valid_from=_typed(path, corpus, "valid_from", date),
        valid_until=_typed(path, corpus, "valid_until", date),
        attribution=str(corpus.get("attribution") or ""),
        files=files,
    )


def _text(path: Path, table: Mapping[str, Any], key: str) -> str:
    value = _typed(path, table, key, str)
    if not value.strip():
        raise ManifestError(f"{path}: field {key!r} is empty")
    return value


def _typed(path: Path, table: Mapping[str, Any], key: str, kind: type[_T]) -> _T:
    value = table.get(key)
    if not isinstance(value, kind):
        raise ManifestError(
            f"{path}: field {key!r} must be {kind.__name__}, got {type(value).__name__}"
        )
    return value


def _file(manifest: Path, index: int, entry: Mapping[str, Any]) -> CorpusFile:
    where = f"{manifest}: files[{index}]"
    if not isinstance(entry.get("path"), str):
        raise ManifestError(f"{where} is missing field 'path'")
    fmt = entry.get("format", "jsonl")
    if fmt not in _FORMATS:
        raise ManifestError(f"{where}: format {fmt!r} is not one of {', '.join(_FORMATS)}")
    fields = dict(entry.get("fields") or {})
    if "text" not in fields:
        raise ManifestError(f"{where}: [fields] must map 'text'")
    path = (manifest.parent / entry["path"]).resolve()
    if not path.is_file():
        raise ManifestError(f"{where}: file not found: {path}")
    return CorpusFile(path=path, format=fmt, fields=fields)


class LicensedReader(Step):
    """Yield the documents of one licensed corpus, licence fields on each."""

    name = "read_licensed"

    def __init__(self, corpus: LicensedCorpus) -> None:
        super().__init__()
        self.corpus = corpus

    def __call__(self, docs: Iterator[Document] | None = None) -> Iterator[Document]:
        for corpus_file in self.corpus.files:
            yield from self._read(corpus_file)

    def _read(self, corpus_file: CorpusFile) -> Iterator[Document]:
        with corpus_file.path.open(encoding="utf-8", errors="replace") as lines:
            for row, line in enumerate(lines):
                if not line.strip():
                    continue
                self.stats.seen()
                doc = self._document(corpus_file, row, line)
                if doc is not None:
                    self.stats.kept()
                    yield doc

    def _document(self, corpus_file: CorpusFile, row: int, line: str) -> Document | None:
        try:
            record = json.loads(line)
            text = record[corpus_file.fields["text"]]
        except (json.JSONDecodeError, KeyError, TypeError):
            log.warning("%s:%d: malformed record skipped", corpus_file.path, row + 1)
            self.stats.dropped("malformed_record")
            return None
        if not isinstance(text, str) or not text.strip():
            self.stats.dropped("empty_text")
            return None
        return self._make(corpus_file, row, record, text)

    def _make(
        self, corpus_file: CorpusFile, row: int, record: Mapping[str, Any], text: str
    ) -> Document:
        corpus, fields = self.corpus, corpus_file.fields
        key = str(record.get(fields.get("id", ""), row))
        return Document(
            id=hashlib.sha256(f"{corpus.name}\n{key}".encode()).hexdigest()[:32],
            text=text,
            source=corpus.name,
            title=_optional_str(record.get(fields.get("title", ""))),
            license=corpus.license,
            licensor=corpus.licensor,
            license_valid_until=corpus.valid_until,
            attribution=corpus.attribution,
            published_at=_optional_date(record.get(fields.get("published_at", ""))),
            licensed_file=corpus_file.path.name,
            licensed_row=row,
            training_signal="allowed",
            signals_seen=("licence",),
        )


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _optional_date(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
