"""A small built dataset shared by the verify, SQL, docs and client tests (built once)."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline import BuildConfig, BuildResult
from pipeline.build import build
from pipeline.progress import BuildProgress
from tests.pipeline.conftest import ARTICLE, OTHER, make_warc
from tests.pipeline.test_build import licensed_corpus

HTML = "text/html; charset=utf-8"
LICENSED_ONLY = (
    "The ledger of the lighthouse keepers records every storm of the last century, the ships "
    "that passed the point at night, the supply boats that came twice a month in summer and "
    "hardly at all in winter, and the names of the keepers' children who were born on the rock "
    "and learned to read by the light of the great lamp turning above them through the dark."
)


def build_small(
    folder: Path, output: Path | None = None, progress: BuildProgress | None = None
) -> BuildResult:
    """Two WARCs (an exact and a near copy planted) plus a licensed corpus with one copy.

    Inputs are made once under ``folder``; later calls rebuild them into ``output``.
    """
    warcs = folder / "warcs"
    if not warcs.exists():
        _make_inputs(folder)
    return build(
        BuildConfig(
            output=output or folder / "ds",
            warcs=(warcs,),
            licensed=(folder / "corpus" / "manifest.toml",),
            workers=1,
            third_party_training="allow",
            max_rows_per_shard=2,
        ),
        progress,
    )


def _make_inputs(folder: Path) -> None:
    warcs = folder / "warcs"
    warcs.mkdir(parents=True)
    near = ARTICLE.replace("quiet in the early morning", "calm in the early morning")
    make_warc(
        warcs / "a.warc.gz",
        [
            ("http://127.0.0.1:1/a", ARTICLE, 200, HTML),
            ("http://127.0.0.1:1/copy", ARTICLE, 200, HTML),
            ("http://127.0.0.1:1/near", near, 200, HTML),
        ],
    )
    make_warc(warcs / "b.warc.gz", [("http://127.0.0.1:2/b", OTHER, 200, HTML)])
    # The licensed copy of b's article wins over the crawled one as a near-duplicate.
    licensed_text = re.sub(r"<[^>]+>", " ", OTHER.split("<article>")[1]).strip()
    licensed_corpus(folder / "corpus", [licensed_text, LICENSED_ONLY])
