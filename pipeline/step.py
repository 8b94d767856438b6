"""The one step shape: a generator over documents that counts every drop.

A step is called with an iterator of documents and yields the ones it keeps.
Filters only implement :meth:`FilterStep.decide`, returning :data:`KEEP` or a
:class:`Drop` with a short snake-case reason; the base class does the counting.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from pipeline.document import Document
from pipeline.stats import StepStats

__all__ = ["KEEP", "Drop", "FilterStep", "Step"]


@dataclass(frozen=True, slots=True)
class Drop:
    """Why a document leaves the pipeline (``short_snake_reason``)."""

    reason: str


KEEP: Final = None


class Step:
    """Base of every step: a name, its counters, and ``__call__`` over documents."""

    name = "step"

    def __init__(self) -> None:
        self.stats = StepStats(self.name)

    def __call__(self, docs: Iterator[Document]) -> Iterator[Document]:
        raise NotImplementedError


class FilterStep(Step):
    """A step that keeps or drops each document for a counted reason."""

    def decide(self, doc: Document) -> Drop | None:
        raise NotImplementedError

    def __call__(self, docs: Iterator[Document]) -> Iterator[Document]:
        for doc in docs:
            self.stats.seen()
            verdict = self.decide(doc)
            if verdict is KEEP:
                self.stats.kept()
                yield doc
            else:
                self.stats.dropped(verdict.reason)
