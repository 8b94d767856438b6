"""What a version holds: documents by source, licence, language and domain.

Over the snapshot's shards, by column, never the ``text`` column: lengths come from the
``chars`` and ``words`` columns the build wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pipeline.report._query import Files

__all__ = ["Composition", "Share", "composition"]


@dataclass(frozen=True, slots=True)
class Share:
    """One group of documents: its label, how many, how many words."""

    label: str
    documents: int
    words: int


@dataclass(frozen=True)
class Composition:
    documents: int
    words: int
    chars: int
    hosts: int
    domains: int
    by_source: tuple[Share, ...]
    by_licence: tuple[Share, ...]
    by_language: tuple[Share, ...]
    by_domain: tuple[Share, ...]
    #: ``(licence, licensor, documents, first expiry)`` of the licensed documents.
    licences: tuple[tuple[str, str, int, date | None], ...]


_TOTALS = (
    "SELECT count(*), coalesce(sum(words), 0), coalesce(sum(chars), 0), "
    "count(DISTINCT host), count(DISTINCT domain) FROM {documents}"
)
_SHARES = (
    "SELECT {label} AS label, count(*) AS n, coalesce(sum(words), 0) "
    "FROM {{documents}} GROUP BY ALL ORDER BY n DESC, label"
)
_LICENCES = (
    "SELECT license, coalesce(licensor, ''), count(*) AS n, min(license_valid_until) "
    "FROM {documents} WHERE license IS NOT NULL GROUP BY ALL ORDER BY n DESC, 1, 2"
)
# Licensed documents have no web domain: they are grouped under their licensor instead.
_LABELS = {
    "source": "source",
    "licence": "coalesce(license, 'web (consented)')",
    "language": "coalesce(language, 'unknown')",
    "domain": "coalesce(domain, 'licensed: ' || coalesce(licensor, '?'))",
}


def composition(files: Files) -> Composition:
    totals = files.rows(_TOTALS)
    documents, words, chars, hosts, domains = totals[0] if totals else (0, 0, 0, 0, 0)
    shares = {key: _shares(files, label) for key, label in _LABELS.items()}
    return Composition(
        documents=int(documents),
        words=int(words),
        chars=int(chars),
        hosts=int(hosts),
        domains=int(domains),
        by_source=shares["source"],
        by_licence=shares["licence"],
        by_language=shares["language"],
        by_domain=shares["domain"],
        licences=tuple((str(a), str(b), int(n), d) for a, b, n, d in files.rows(_LICENCES)),
    )


def _shares(files: Files, label: str) -> tuple[Share, ...]:
    rows = files.rows(_SHARES.format(label=label))
    return tuple(Share(str(name), int(n), int(w)) for name, n, w in rows)
