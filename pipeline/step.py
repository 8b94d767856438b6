"""The one step shape: a generator over documents that counts every drop.

A step is called with an iterator of documents and yields the ones it keeps.
Filters only implement :meth:`FilterStep.decide`, returning :data:`KEEP` or a
:class:`Drop` with a short snake-case reason; the base class does the counting.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from pipeline.document import Document
from pipeline.stats import StepStats

__all__ = ["KEEP", "Drop", "FilterStep", "Step", "exclusion_row"]


@dataclass(frozen=True, slots=True)
class Drop:
    """Why a document leaves the pipeline (``short_snake_reason``)."""

    reason: str


KEEP: Final = None


def exclusion_row(step: str, reason: str, doc: Document) -> dict[str, Any]:
    """What the exclusion sink keeps of a dropped document: where it came from and why."""
    return {
        "step": step,
        "reason": reason,
        "id": doc.id,
        "source": doc.source,
        "url": doc.url,
        "warc_file": doc.warc_file,
        "warc_record_id": doc.warc_record_id,
        "warc_offset": doc.warc_offset,
        "licensed_file": doc.licensed_file,
        "licensed_row": doc.licensed_row,
        # What the step saw, when the reason alone does not say (e.g. which capture refused).
        "evidence": doc.metadata.get("evidence"),
    }


class Step:
    """Base of every step: a name, its counters, and ``__call__`` over documents.

    Set ``exclusions`` to a list and every document dropped through :meth:`drop` is
    recorded there with its reason (the build writes them beside the shards).
    """

    name = "step"

    def __init__(self) -> None:
        self.stats = StepStats(self.name)
        self.exclusions: list[dict[str, Any]] | None = None

    def drop(self, doc: Document, reason: str) -> None:
        """Count ``doc`` as dropped for ``reason`` and record it when a sink is set."""
        self.stats.dropped(reason)
        if self.exclusions is not None:
            self.exclusions.append(exclusion_row(self.name, reason, doc))

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
                self.drop(doc, verdict.reason)
