"""Main-text extraction with trafilatura, sandboxed and counted by outcome.

The crawler stores raw HTML; this step turns it into the text we train on.
trafilatura runs in a :class:`~pipeline.sandbox.Sandbox` worker with a time
limit per page, so a page that hangs or crashes the parser costs one page.
Outcomes: ``ok`` (counted, kept), ``dropped/empty``, ``dropped/timeout``,
``dropped/crashed``. Title and publication date come from cheap regexes over
the HTML head, not from trafilatura's metadata pass.
"""

from __future__ import annotations

import atexit
import logging
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from pipeline.document import Document
from pipeline.extract_meta import extract_published, extract_title
from pipeline.sandbox import Outcome, Sandbox
from pipeline.step import Step

__all__ = ["ExtractFunction", "Extractor", "extract_main_text"]

log = logging.getLogger(__name__)

#: ``(html, url) -> text or None``; a module-level function, so a spawned worker can import it.
ExtractFunction = Callable[[tuple[str, str | None]], str | None]

_WARMUP = "<html><body><article><p>" + "Warm up the parser with a sentence. " * 20 + "</p>"


@cache
def _options() -> Any:
    # Built once per process: favour precision, no comments, tables kept (FineWeb's choice).
    from trafilatura.settings import Extractor as Options

    return Options(precision=True, comments=False, tables=True, dedup=False)


def extract_main_text(page: tuple[str, str | None]) -> str | None:
    """trafilatura's main text of ``(html, url)``; the default extraction function."""
    import trafilatura

    html, _url = page
    text = trafilatura.extract(html, options=_options())
    return str(text) if text else None


@cache
def _shared_sandbox(function: ExtractFunction, timeout: float) -> Sandbox[Any, str | None]:
    """One worker per process and setting, reused by every input this process handles."""
    sandbox: Sandbox[Any, str | None] = Sandbox(function, timeout=timeout, warmup=(_WARMUP, None))
    atexit.register(sandbox.close)
    return sandbox


class Extractor(Step):
    """Replace each web document's HTML with its main text.

    ``timeout`` (seconds per page) runs ``function`` in a sandbox worker;
    ``None`` runs it in this process (fast to debug, no protection).
    """

    name = "extract"

    def __init__(
        self, *, timeout: float | None = 30.0, function: ExtractFunction = extract_main_text
    ) -> None:
        super().__init__()
        self.function = function
        self.sandbox = _shared_sandbox(function, timeout) if timeout else None
        if self.sandbox:
            self.sandbox.start()

    def __call__(self, docs: Iterator[Document]) -> Iterator[Document]:
        for doc in docs:
            self.stats.seen()
            if doc.is_licensed or doc.metadata.get("extracted"):  # licensed or WET: text already
                self.stats.add("already_text")
                self.stats.kept()
                yield doc
            elif self._extract(doc):
                self.stats.add("ok")
                self.stats.kept()
                yield doc

    def _extract(self, doc: Document) -> bool:
        outcome = self._run((doc.text, doc.url))
        if outcome.status in ("error", "crashed", "timeout"):
            log.warning("%s: extraction %s %s", doc.url, outcome.status, outcome.error or "")
            self.drop(doc, "timeout" if outcome.status == "timeout" else "crashed")
            return False
        if not outcome.value or not outcome.value.strip():
            self.drop(doc, "empty")
            return False
        doc.title = doc.title or extract_title(doc.text)
        doc.published_at = doc.published_at or extract_published(doc.text)
        doc.text = outcome.value
        return True

    def _run(self, page: tuple[str, str | None]) -> Outcome[str | None]:
        if self.sandbox is not None:
            return self.sandbox.run(page)
        try:
            return Outcome("ok", value=self.function(page))
        except Exception as exc:  # hostile HTML must not end the build
            return Outcome("error", error=f"{type(exc).__name__}: {exc}")
