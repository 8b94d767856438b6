"""Bundled sample data: the Harbor Press licensed archive the demo ingests.

``LICENSED_SAMPLE_MANIFEST`` is what ``pipeline.licensed`` reads; ``example_web_duplicates()``
names the example-web articles the archive also holds, word for word (the licensed copy should
win deduplication).
"""

from __future__ import annotations

from ._licensed import (
    LICENSED_SAMPLE_DIR,
    LICENSED_SAMPLE_DOCUMENTS,
    LICENSED_SAMPLE_MANIFEST,
    LicensedDocument,
    WebDuplicate,
    example_web_duplicates,
    load_licensed_sample,
)

__all__ = [
    "LICENSED_SAMPLE_DIR",
    "LICENSED_SAMPLE_DOCUMENTS",
    "LICENSED_SAMPLE_MANIFEST",
    "LicensedDocument",
    "WebDuplicate",
    "example_web_duplicates",
    "load_licensed_sample",
]
