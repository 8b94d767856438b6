"""Before a build adds to a dataset, the newer word in its inputs reaches what the dataset holds.

A build starts its version from the parent's shards (:mod:`pipeline.versions.inherit`),
which passed the consent gate with the captures known then. A build's own inputs may
carry a newer word on those pages: a recrawl whose robots.txt now refuses our training
token, a TDMRep file that now reserves, a ``304`` that now says ``noai``. The gate applies
it to the pages the build reads; this module applies it to the pages the dataset already
has, before the build starts, as ``gleaner optout refresh`` would: the documents it
refuses go in a new version (kind ``refresh``, each in ``removals.parquet`` with the
capture that refused it, a removed dedup survivor replaced by an eligible copy), and the
build then starts from that version. So no version the build writes holds them.

The judge is the build's consent gate asking what it asks of every page it reads: a
refusal by the newest site-level capture of the authority, by any made after the document
was taken, or by a page-level refusal on a capture of its page made when or after that
(:meth:`pipeline.consent.ConsentGate.newer_word`). Only documents of the authorities the
build's inputs speak for, or of the pages they refuse, are judged: the others were judged
with the same captures when they were built.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import policies
from pipeline.consent import ConsentGate
from pipeline.page_refusals import PageRefusals
from pipeline.shards import row_to_document
from pipeline.sites import SiteSignals
from pipeline.versions.derive import Derived, derive_version, plan_removals
from pipeline.versions.removal import Removal
from pipeline.versions.replace import replace_survivors

__all__ = ["NewerWordJudge", "apply_newer_word"]

_REQUEST = "build: a newer word in its inputs"


@dataclass
class NewerWordJudge:
    """Removes a document the build's gate refuses now (see the module docstring)."""

    gate: ConsentGate
    authorities: frozenset[str]  # the ones the build's inputs hold captures of

    def __call__(self, row: Mapping[str, Any]) -> Removal | None:
        if row.get("source") != "web" or not row.get("url"):
            return None
        url = str(row["url"])
        page = self.gate.page_refusals.newer(url, row.get("fetched_at"))
        if page is None and policies.authority(url) not in self.authorities:
            return None
        said = self.gate.newer_word(row_to_document({"text": "", **row}))
        if said is None:
            return None
        signal, evidence = said
        return Removal(
            id=str(row["id"]),
            reason=f"opt_out_newer/{signal}",
            deciding_signal=signal,
            evidence=evidence,
        )


def apply_newer_word(
    dataset: Path,
    found: SiteSignals,
    known: SiteSignals,
    pages: PageRefusals,
    *,
    crawl_agent: str,
    training_agent: str,
) -> Derived | None:
    """Take out of ``dataset``'s latest version what the build's inputs (``found``, judged
    with every capture ``known``) now refuse; the new version, or None when nothing is
    refused (nothing is written then)."""
    if not len(found) and not len(pages):
        return None
    gate = ConsentGate(
        None,
        crawl_agent=crawl_agent,
        training_agent=training_agent,
        sites=known,
        page_refusals=pages,
    )
    judge = NewerWordJudge(gate, frozenset(found.authorities()))
    if not plan_removals(dataset, judge, request=_REQUEST).removals:
        return None
    return derive_version(
        dataset,
        judge,
        kind="refresh",
        request=_REQUEST,
        sites=found,
        replace=replace_survivors,
    )
