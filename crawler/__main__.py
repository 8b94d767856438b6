"""``python -m crawler JOB.toml``: run one crawl, print its run folder."""

from __future__ import annotations

import sys

from crawler.process import main

sys.exit(main())
