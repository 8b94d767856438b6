"""The licensed-corpus manifest: licence terms, files, formats and field mappings.

The manifest is validated before anything is read, and every error names the
manifest and the field. A corpus whose licence does not permit training, or is
not valid on the build date, is left out of the build with a logged reason.
``on_error`` says what a bad row does: ``raise`` (default: the build stops
before writing anything, naming file, row and field) or ``skip`` (counted).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from pipeline._checks import unknown_name
from pipeline.errors import ManifestError

__all__ = [
    "FORMATS",
    "MANIFEST_KEYS",
    "TEXT_GLOB",
    "CorpusFile",
    "LicensedCorpus",
    "load_manifest",
]

_T = TypeVar("_T")

_REQUIRED = ("name", "licensor", "license", "training_allowed", "valid_from", "valid_until")
FORMATS = ("jsonl", "parquet", "csv", "text")
_ON_ERROR = ("raise", "skip")
#: A ``text`` corpus is a folder: each file matching this (recursively) is a row.
TEXT_GLOB = "*.txt"
#: A folder of ``.txt`` files: each file is a row with these fields.
_TEXT_FIELDS = {"text": "text", "id": "path", "title": "title"}
#: Every table of a manifest and its keys; ``[files.fields]`` maps these document
#: fields to column names. Anything else is refused: a misspelt ``attribution``
#: would otherwise build every document without one.
MANIFEST_KEYS: dict[str, tuple[str, ...]] = {
    "corpus": (*_REQUIRED, "attribution", "on_error"),
    "files": ("path", "format", "fields"),
    "files.fields": ("text", "id", "title", "published_at"),
}


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
    on_error: str = "raise"

    def exclusion_reason(self, on: date) -> str | None:
        """Why this corpus may not enter a build made on ``on``, or None."""
        if not self.training_allowed:
            return "training_not_permitted"
        if on < self.valid_from:
            return "licence_not_yet_valid"
        if on > self.valid_until:
            return "licence_expired"
        return None

    def data_files(self) -> list[Path]:
        """Every file the corpus's documents are read from, in reading order."""
        found: list[Path] = []
        for corpus_file in self.files:
            if corpus_file.format == "text":
                found += sorted(corpus_file.path.rglob(TEXT_GLOB))
            else:
                found.append(corpus_file.path)
        return found


def load_manifest(path: Path) -> LicensedCorpus:
    """Parse and validate a corpus manifest; raise :class:`ManifestError` naming the problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ManifestError(f"{path}: unreadable manifest: {exc}") from exc
    _check_names(path, data)
    corpus = data.get("corpus")
    if not isinstance(corpus, dict):
        raise ManifestError(f"{path}: missing [corpus] table")
    for key in _REQUIRED:
        if key not in corpus:
            raise ManifestError(f"{path}: [corpus] is missing field {key!r}")
    files = _files(path, data.get("files") or [])
    return LicensedCorpus(
        manifest=path,
        name=_name(path, corpus),
        licensor=_text(path, corpus, "licensor"),
        license=_text(path, corpus, "license"),
        training_allowed=_typed(path, corpus, "training_allowed", bool),
        valid_from=_day(path, corpus, "valid_from"),
        valid_until=_day(path, corpus, "valid_until"),
        attribution=_optional_text(path, corpus, "attribution"),
        files=files,
        on_error=_on_error(path, corpus),
    )


def _check_names(path: Path, data: Mapping[str, Any]) -> None:
    """Refuse a table or key a manifest does not have, suggesting the nearest one."""
    why = unknown_name(data, ("corpus", "files"), tables=True)
    corpus, files = data.get("corpus"), data.get("files")
    if why is None and isinstance(corpus, dict):
        why = unknown_name(corpus, MANIFEST_KEYS["corpus"], "corpus")
    for entry in files if isinstance(files, list) else ():
        if why is None and isinstance(entry, dict):
            why = unknown_name(entry, MANIFEST_KEYS["files"], "[files]")
            fields = entry.get("fields")
            if why is None and isinstance(fields, dict):
                why = unknown_name(fields, MANIFEST_KEYS["files.fields"], "files.fields")
    if why is not None:
        raise ManifestError(f"{path}: {why}")


def _on_error(path: Path, corpus: Mapping[str, Any]) -> str:
    value = corpus.get("on_error", "raise")
    if value not in _ON_ERROR:
        raise ManifestError(f"{path}: field 'on_error' ({value!r}) must be 'raise' or 'skip'")
    return str(value)


def _name(path: Path, corpus: Mapping[str, Any]) -> str:
    # The name is each document's `source`, and "web" is what marks crawled text.
    name = _text(path, corpus, "name")
    if name.strip().lower() == "web":
        raise ManifestError(f"{path}: field 'name' ({name!r}) is reserved for crawled pages")
    return name


def _day(path: Path, corpus: Mapping[str, Any], key: str) -> date:
    # A TOML date-time is refused rather than cut to its date: licence terms run in
    # whole days, and with an offset the "date" of a date-time depends on the zone.
    value = corpus.get(key)
    if isinstance(value, datetime):
        raise ManifestError(
            f"{path}: field {key!r} ({value.isoformat()}) must be a date such as "
            f"{value.date().isoformat()}, not a date-time"
        )
    return _typed(path, corpus, key, date)


def _optional_text(path: Path, table: Mapping[str, Any], key: str) -> str:
    value = table.get(key) or ""
    if not isinstance(value, str):
        raise ManifestError(f"{path}: field {key!r} must be str, got {type(value).__name__}")
    return value


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


def _files(path: Path, listed: Any) -> tuple[CorpusFile, ...]:
    if not isinstance(listed, list) or not all(isinstance(e, dict) for e in listed):
        raise ManifestError(f"{path}: files must be [[files]] tables")
    if not listed:
        raise ManifestError(f"{path}: no [[files]] listed")
    return tuple(_file(path, i, entry) for i, entry in enumerate(listed))


def _file(manifest: Path, index: int, entry: Mapping[str, Any]) -> CorpusFile:
    where = f"{manifest}: files[{index}]"
    if not isinstance(entry.get("path"), str):
        raise ManifestError(f"{where} is missing field 'path'")
    fmt = entry.get("format", "jsonl")
    if fmt not in FORMATS:
        raise ManifestError(f"{where}: format {fmt!r} is not one of {', '.join(FORMATS)}")
    mapping = entry.get("fields") or {}
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise ManifestError(f"{where}: [fields] must map names to column name strings")
    fields = dict(_TEXT_FIELDS if fmt == "text" else {}) | mapping
    if "text" not in fields:
        raise ManifestError(f"{where}: [fields] must map 'text'")
    path = (manifest.parent / entry["path"]).resolve()
    if not (path.is_dir() if fmt == "text" else path.is_file()):
        raise ManifestError(f"{where}: {'folder' if fmt == 'text' else 'file'} not found: {path}")
    return CorpusFile(path=path, format=fmt, fields=fields)
