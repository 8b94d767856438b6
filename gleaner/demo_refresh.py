"""The demo's last act: a publisher opts out after the crawl, and a refresh takes it back.

The late opt-out Applebot-Extended's documentation describes: the ``open`` publisher adds a
``User-agent: Gleaner-Extended`` / ``Disallow: /`` group to its robots.txt (the crawl token
keeps its rules), and ``gleaner optout refresh`` writes a version without its documents.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from gleaner.exampleweb import TRAINING_TOKEN, ExampleWeb
from gleaner.optout_refresh import RefreshResult, refresh_dataset

__all__ = ["LATE_PUBLISHER", "late_opt_out"]

#: The example publisher that changes its mind in the demo.
LATE_PUBLISHER = "open"


def late_opt_out(web: ExampleWeb, dataset: Path, say: Callable[[str], None]) -> RefreshResult:
    """Flip :data:`LATE_PUBLISHER`'s robots.txt, refresh ``dataset``, say what was removed."""
    base = web.base_urls[LATE_PUBLISHER]
    web.opt_out_of_training(LATE_PUBLISHER)
    say(f"late opt-out: {base}/robots.txt now disallows {TRAINING_TOKEN} everywhere")
    started = time.monotonic()
    result = refresh_dataset(dataset)
    seconds = time.monotonic() - started
    removed = len(result.derived.removals)
    written = result.derived.version or "no version written"
    say(f"optout refresh ({seconds:.0f} s): removed {removed} documents of {base}: {written}")
    return result
