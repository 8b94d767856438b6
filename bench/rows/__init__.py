"""The benchmark rows, in table order.

To add a comparison, write a function ``(ctx: BenchContext) -> Iterable[Result]`` in its own
module here and append it to ``ROWS``; ``bench.run`` prints whatever the rows yield.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeAlias

from bench.rows.build import build_vs_datatrove
from bench.rows.build_scale import build_scale_rows
from bench.rows.cluster_crawl import cluster_crawl_rows
from bench.rows.crawl import crawl_vs_scrapy, seen_set_memory
from bench.rows.dedup import dedup_rows
from bench.rows.extraction import extraction_quality
from bench.rows.ray_build import ray_build_rows
from bench.rows.real_build import real_build_rows
from bench.rows.real_dates import date_rows
from bench.rows.real_extraction import real_extraction_rows
from bench.rows.robots import robots_vs_protego
from bench.rows.tokens import token_rows

if TYPE_CHECKING:
    from bench.context import BenchContext
    from bench.results import Result

__all__ = ["ROWS", "Row"]

Row: TypeAlias = Callable[["BenchContext"], Iterable["Result"]]

ROWS: list[Row] = [
    build_vs_datatrove,
    ray_build_rows,
    build_scale_rows,
    extraction_quality,
    real_build_rows,
    real_extraction_rows,
    date_rows,
    robots_vs_protego,
    crawl_vs_scrapy,
    seen_set_memory,
    cluster_crawl_rows,
    dedup_rows,
    token_rows,
]
