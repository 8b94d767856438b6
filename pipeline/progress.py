"""How a build says how far it is: a small protocol the library calls, drawn elsewhere.

The build counts and the caller draws (``gleaner`` shows a bar per stage on a
terminal and plain lines otherwise), so the library prints nothing itself.
A stage's ``total`` is its work in a unit known before it starts (the input
bytes of stage 1, the documents of stage 2) so that an ETA can be computed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import pyarrow as pa

    from pipeline.document import Document
    from pipeline.flow import Unit, UnitResult

__all__ = [
    "BuildProgress",
    "SilentProgress",
    "counted",
    "counted_tables",
    "documents_read",
    "unit_bytes",
]


class BuildProgress(Protocol):
    """What a build reports, in order: ``stage``, any number of ``advance``, ``finish``."""

    def stage(self, name: str, total: int | None = None, unit: str = "") -> None:
        """A stage begins; ``total`` is its work in ``unit`` (None when not known)."""

    def advance(self, done: int, documents: int) -> None:
        """``done`` more of the stage's total is finished, ``documents`` more documents."""

    def finish(self) -> None:
        """The current stage is over."""


class SilentProgress:
    """Reports to nobody (the library's default)."""

    def stage(self, name: str, total: int | None = None, unit: str = "") -> None:
        del name, total, unit

    def advance(self, done: int, documents: int) -> None:
        del done, documents

    def finish(self) -> None:
        pass


def unit_bytes(unit: Unit) -> int:
    """The bytes a unit reads (its archive or corpus files, and its decision logs)."""
    # Imported here: fingerprint loads the build's flow, which token runs never need.
    from pipeline.fingerprint import input_files

    if unit.rows is not None:  # one slice of a corpus file
        return unit.rows.end - unit.rows.offset
    return sum(path.stat().st_size for path in input_files(unit) if path.is_file())


def documents_read(result: UnitResult) -> int:
    """Documents the unit's first step (its reader) produced."""
    first = next(iter(result.stats.values()), {})
    return max(first.get("total", 0), first.get("kept", 0))


def counted(
    docs: Iterator[Document], progress: BuildProgress, every: int = 100
) -> Iterator[Document]:
    """Pass documents through, reporting them to ``progress`` ``every`` at a time."""
    pending = 0
    for doc in docs:
        pending += 1
        if pending == every:
            progress.advance(pending, pending)
            pending = 0
        yield doc
    if pending:
        progress.advance(pending, pending)


def counted_tables(tables: Iterator[pa.Table], progress: BuildProgress) -> Iterator[pa.Table]:
    """Pass tables of documents through, reporting their rows to ``progress``."""
    for table in tables:
        progress.advance(table.num_rows, table.num_rows)
        yield table
