"""The bundled example web: several publishers on 127.0.0.1, each with its own consent story.

>>> from gleaner.exampleweb import ExampleWeb
>>> with ExampleWeb() as web:          # doctest: +SKIP
...     web.seeds                      # home pages and the sitemap URL a demo crawl starts from
...     web.expected                   # the ground truth the tests check a crawl against

``PUBLISHERS`` maps each publisher's name to its definition; ``python -m gleaner.exampleweb``
serves the web until Ctrl-C.
"""

from __future__ import annotations

from ._consent import SIGNALS, Signal
from ._expected import ArticleTruth, ExpectedWeb, PublisherTruth, expected_for
from ._log import RequestLogEntry
from ._model import Article, Page, PageRef, Publisher
from ._web import ExampleWeb
from .publishers import CRAWL_TOKEN, PUBLISHERS, TRAINING_TOKEN

__all__ = [
    "CRAWL_TOKEN",
    "EXPECTED",
    "PUBLISHERS",
    "SIGNALS",
    "TRAINING_TOKEN",
    "Article",
    "ArticleTruth",
    "ExampleWeb",
    "ExpectedWeb",
    "Page",
    "PageRef",
    "Publisher",
    "PublisherTruth",
    "RequestLogEntry",
    "Signal",
    "expected_for",
]

EXPECTED: ExpectedWeb = expected_for(PUBLISHERS, CRAWL_TOKEN, TRAINING_TOKEN)
"""The ground truth of the bundled web, available without starting a server."""
