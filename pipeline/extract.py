"""Main-text extraction with trafilatura, counted by outcome.

The crawler stores raw HTML; this step turns it into the text we train on.
Outcomes are counted as ``extract/ok`` (kept) and ``dropped/empty`` or
``dropped/crashed`` so a reader of the stats sees where pages went.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterator

import trafilatura

from pipeline.document import Document
from pipeline.step import Step

__all__ = ["Extractor", "extract_title"]

log = logging.getLogger(__name__)

_TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)


def extract_title(page: str) -> str | None:
    """The page's ``<title>``, found cheaply without a second parse."""
    match = _TITLE.search(page[:65536].encode("utf-8", "replace"))
    if not match:
        return None
    title = html.unescape(match.group(1).decode("utf-8", "replace")).strip()
    return " ".join(title.split()) or None


class Extractor(Step):
    """Replace each document's HTML with its main text (trafilatura, precision-first)."""

    name = "extract"

    def __init__(self, *, favor_precision: bool = True) -> None:
        super().__init__()
        self.favor_precision = favor_precision

    def __call__(self, docs: Iterator[Document]) -> Iterator[Document]:
        for doc in docs:
            self.stats.seen()
            if doc.is_licensed:  # licensed text arrives as text already
                self.stats.kept()
                yield doc
                continue
            text = self._extract(doc)
            if text is None:
                continue
            doc.title = doc.title or extract_title(doc.text)
            doc.text = text
            self.stats.kept()
            yield doc

    def _extract(self, doc: Document) -> str | None:
        try:
            text = trafilatura.extract(
                doc.text,
                url=doc.url,
                favor_precision=self.favor_precision,
                include_comments=False,
                include_tables=True,
                deduplicate=False,
            )
        except Exception as exc:  # hostile HTML must not end the build
            log.warning("%s: extraction failed: %s", doc.url, exc)
            self.stats.dropped("crashed")
            return None
        if not text or not text.strip():
            self.stats.dropped("empty")
            return None
        return str(text)
