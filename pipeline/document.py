"""The one record type that flows through every pipeline step."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

__all__ = ["Document"]


@dataclass(slots=True)
class Document:
    """A web page or licensed text on its way to a shard.

    ``text`` holds the raw HTML until the extraction step replaces it with the
    main text; typed fields are what we query and gate on, ``metadata`` keeps
    the rest (HTTP headers for consent re-checks, extraction details).
    """

    id: str
    text: str
    source: str
    url: str | None = None
    host: str | None = None
    title: str | None = None
    license: str | None = None
    licensor: str | None = None
    license_valid_until: date | None = None
    attribution: str | None = None
    fetched_at: datetime | None = None
    published_at: date | None = None
    warc_file: str | None = None
    warc_record_id: str | None = None
    warc_offset: int | None = None
    licensed_file: str | None = None
    licensed_row: int | None = None
    robots_sha256: str | None = None
    training_signal: str | None = None
    signals_seen: tuple[str, ...] = ()
    decided_at: datetime | None = None
    dup_cluster_id: str | None = None
    dup_cluster_size: int | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def is_licensed(self) -> bool:
        return self.source != "web"
