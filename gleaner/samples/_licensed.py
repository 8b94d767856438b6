"""Reading the bundled licensed sample and finding the example-web pages it duplicates."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from gleaner.exampleweb import EXPECTED, PageRef

__all__ = [
    "LICENSED_SAMPLE_DIR",
    "LICENSED_SAMPLE_DOCUMENTS",
    "LICENSED_SAMPLE_MANIFEST",
    "LicensedDocument",
    "WebDuplicate",
    "example_web_duplicates",
    "load_licensed_sample",
]

LICENSED_SAMPLE_DIR = Path(__file__).parent / "licensed"
LICENSED_SAMPLE_MANIFEST = LICENSED_SAMPLE_DIR / "manifest.toml"
LICENSED_SAMPLE_DOCUMENTS = LICENSED_SAMPLE_DIR / "documents.jsonl"


@dataclass(frozen=True, slots=True)
class LicensedDocument:
    id: str
    title: str
    text: str
    published: str  # YYYY-MM-DD


@dataclass(frozen=True, slots=True)
class WebDuplicate:
    """A licensed document whose text is exactly the main text of an example-web article."""

    doc_id: str
    page: PageRef


@cache
def load_licensed_sample() -> tuple[LicensedDocument, ...]:
    """Every document of ``documents.jsonl``, in file order."""
    with LICENSED_SAMPLE_DOCUMENTS.open(encoding="utf-8") as handle:
        return tuple(LicensedDocument(**json.loads(line)) for line in handle if line.strip())


@cache
def example_web_duplicates() -> tuple[WebDuplicate, ...]:
    """Licensed documents that copy a web article, found by comparing the committed texts.

    Matching the files (not a hand-kept list) means a stale ``documents.jsonl`` shows up as
    missing duplicates instead of as a wrong ground truth.
    """
    by_text = {
        article.text: PageRef(name, path)
        for name, truth in EXPECTED.publishers.items()
        for path, article in truth.articles.items()
    }
    return tuple(
        WebDuplicate(doc.id, by_text[doc.text])
        for doc in load_licensed_sample()
        if doc.text in by_text
    )
