"""Our product tokens: one definition, the rules' own (:mod:`policies.config`).

``CRAWL_TOKEN`` is the User-agent our robots.txt group is looked up by; ``TRAINING_TOKEN``
the separate token a publisher refuses training to (``Gleaner-Extended``). Jobs may name
others; these are the defaults everywhere.
"""

from __future__ import annotations

from policies.config import DEFAULT_CRAWL_TOKEN as CRAWL_TOKEN
from policies.config import DEFAULT_TRAINING_TOKEN as TRAINING_TOKEN

__all__ = ["CRAWL_TOKEN", "TRAINING_TOKEN"]
