"""Documents out of a licensed corpus, licence fields on each; and the strict pre-check.

:func:`validate_corpus` reads every row before the build writes anything and
raises one :class:`ManifestError` listing the first problems, each naming
file, row and field. :class:`LicensedReader` then yields documents; with
``on_error = "skip"`` bad rows are counted under their reason instead
(undecodable bytes under ``not_utf8``).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from pipeline.document import Document
from pipeline.errors import ManifestError
from pipeline.licensed.formats import RowError, read_rows
from pipeline.licensed.manifest import CorpusFile, LicensedCorpus
from pipeline.licensed.slices import RowSlice
from pipeline.step import Step

if TYPE_CHECKING:
    from pipeline.parallel import Executor

__all__ = ["LicensedReader", "check_row", "validate_corpus"]

log = logging.getLogger(__name__)

_SHOWN = 5


def check_row(record: Mapping[str, Any], fields: Mapping[str, str]) -> RowError | None:
    """What is wrong with a row under this field mapping, or None."""
    name = fields["text"]
    if name not in record or record[name] is None:
        return RowError(f"missing field {name!r}", name)
    if not isinstance(record[name], str):
        return RowError(f"field {name!r} must be str, got {type(record[name]).__name__}", name)
    if not record[name].strip():
        return RowError(f"field {name!r} is empty", name)
    return _id_problem(record, fields) or _date_problem(record, fields)


def _id_problem(record: Mapping[str, Any], fields: Mapping[str, str]) -> RowError | None:
    # A mapped id column is the document's identity: a row without one cannot be told apart.
    name = fields.get("id")
    if not name:
        return None
    value = record.get(name)
    if value is None or value == "":
        return RowError(f"missing field {name!r}", name)
    if not isinstance(value, str | int) or isinstance(value, bool):
        return RowError(
            f"field {name!r} must be a string or integer id, got {type(value).__name__}",
            name,
            reason="bad_id",
        )
    return None


def _date_problem(record: Mapping[str, Any], fields: Mapping[str, str]) -> RowError | None:
    published = fields.get("published_at")
    if published and record.get(published) not in (None, "") and _date(record[published]) is None:
        return RowError(f"field {published!r} is not a date: {record[published]!r}", published)
    return None


def _row_key(record: Mapping[str, Any], fields: Mapping[str, str], row: int) -> str:
    """The key a document id is made from: the mapped id, else the row number."""
    return str(record.get(fields.get("id", ""), row))


def validate_corpus(
    corpus: LicensedCorpus, parts: Sequence[RowSlice] = (), executor: Executor | None = None
) -> None:
    """Raise :class:`ManifestError` naming the first bad rows and any shared ids.

    Reads every file once: whole, or as ``parts`` (its row slices), checked on
    ``executor``'s workers when given, the ids then compared here. Bad rows are problems
    only with ``on_error = "raise"`` (with ``skip`` they are counted when read); two rows
    with the same id are a problem either way, since they would become two documents with
    one id. The problems are listed in file and row order whatever the split.
    """
    pieces: list[tuple[int, RowSlice | None]] = [(p.file, p) for p in parts]
    pieces = pieces or [(i, None) for i in range(len(corpus.files))]
    check = partial(check_piece, corpus)
    checks = executor.map(check, pieces) if executor else [check(p) for p in pieces]
    problems: list[tuple[int, int, str]] = []
    first_seen: dict[str, tuple[CorpusFile, int]] = {}
    for (index, _), found in zip(pieces, checks, strict=True):
        corpus_file = corpus.files[index]
        problems += [(index, row, message) for row, message in found.problems]
        for key, row in found.keys:
            if key in first_seen:
                problems.append((index, row, _shared_id(key, first_seen[key], (corpus_file, row))))
            else:
                first_seen[key] = (corpus_file, row)
    if problems:
        shown = [message for _, _, message in sorted(problems, key=lambda p: p[:2])]
        more = f" (and {len(shown) - _SHOWN} more)" if len(shown) > _SHOWN else ""
        raise ManifestError(f"{corpus.manifest}: invalid rows: {'; '.join(shown[:_SHOWN])}{more}")


@dataclass(frozen=True, slots=True)
class PieceCheck:
    """One file or row slice, checked: its bad rows (``(row, message)``, only when they are
    problems) and each good row's id key (``(key, row)``), in row order."""

    problems: list[tuple[int, str]]
    keys: list[tuple[str, int]]


def check_piece(corpus: LicensedCorpus, piece: tuple[int, RowSlice | None]) -> PieceCheck:
    """Check the rows of one file of ``corpus`` (all of them, or one slice's)."""
    index, part = piece
    corpus_file = corpus.files[index]
    found = PieceCheck([], [])
    for row, record in _rows(corpus_file, part):
        error = record if isinstance(record, RowError) else check_row(record, corpus_file.fields)
        if error:
            if corpus.on_error == "raise":
                found.problems.append((row, f"{corpus_file.path}:{row + 1}: {error.message}"))
            continue
        found.keys.append((_row_key(record, corpus_file.fields, row), row))  # type: ignore[arg-type]
    return found


def _shared_id(key: str, first: tuple[CorpusFile, int], second: tuple[CorpusFile, int]) -> str:
    (file_a, row_a), (file_b, row_b) = first, second
    hint = "" if file_a.fields.get("id") else " (map an 'id' field to tell them apart)"
    if file_a is file_b:
        return f"{file_a.path}: rows {row_a + 1} and {row_b + 1} share id {key!r}{hint}"
    return f"{file_a.path} row {row_a + 1} and {file_b.path} row {row_b + 1} share id {key!r}{hint}"


def _rows(
    corpus_file: CorpusFile, part: RowSlice | None = None
) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    try:
        yield from read_rows(corpus_file, part)
    except Exception as exc:  # any format's failure to open or decode: name the file
        raise ManifestError(
            f"{corpus_file.path}: unreadable {corpus_file.format} file: {exc}"
        ) from exc


class LicensedReader(Step):
    """Yield the documents of one licensed corpus, licence fields on each."""

    name = "read_licensed"

    def __init__(self, corpus: LicensedCorpus, part: RowSlice | None = None) -> None:
        super().__init__()
        self.corpus = corpus
        self.part = part  # None: the whole corpus

    def __call__(self, docs: Iterator[Document] | None = None) -> Iterator[Document]:
        files = self.corpus.files if self.part is None else [self.corpus.files[self.part.file]]
        for corpus_file in files:
            for row, record in _rows(corpus_file, self.part):
                self.stats.seen()
                error = (
                    record
                    if isinstance(record, RowError)
                    else check_row(record, corpus_file.fields)
                )
                if error:
                    log.warning("%s:%d: row skipped: %s", corpus_file.path, row + 1, error.message)
                    self.stats.dropped(_reason(error))
                    continue
                self.stats.kept()
                yield self._make(corpus_file, row, record)  # type: ignore[arg-type]

    def _make(self, corpus_file: CorpusFile, row: int, record: Mapping[str, Any]) -> Document:
        corpus, fields = self.corpus, corpus_file.fields
        key = _row_key(record, fields, row)
        return Document(
            id=hashlib.sha256(f"{corpus.name}\n{key}".encode()).hexdigest()[:32],
            text=record[fields["text"]],
            source=corpus.name,
            title=_optional_str(record.get(fields.get("title", ""))),
            license=corpus.license,
            licensor=corpus.licensor,
            license_valid_until=corpus.valid_until,
            attribution=corpus.attribution,
            published_at=_date(record.get(fields.get("published_at", ""))),
            licensed_file=corpus_file.path.name,
            licensed_row=row,
            training_signal="allowed",
            signals_seen=("licence",),
        )


def _reason(error: RowError) -> str:
    if error.reason:
        return error.reason
    if error.field is None:
        return "malformed_record"
    if error.message.startswith("missing"):
        return "missing_field"
    if "empty" in error.message:
        return "empty_text"
    return "bad_date" if "date" in error.message else "bad_text_field"


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
