from __future__ import annotations

import pytest

from bench.rows.extraction import bench_pages, labelled_pages, word_scores


@pytest.mark.parametrize(
    ("pairs", "scores"),
    [
        ([("a b c", "a b c")], (1.0, 1.0, 1.0)),
        ([("a b c d", "a b")], (0.5, 1.0, 2 / 3)),
        ([("a", "a b c d")], (1.0, 0.25, 0.4)),
        ([("", "a b")], (0.0, 0.0, 0.0)),
        ([("A, b!", "a b"), ("x", "y")], (2 / 3, 2 / 3, 2 / 3)),
    ],
)
def test_word_scores_are_micro_averaged_bag_overlaps(
    pairs: list[tuple[str, str]], scores: tuple[float, float, float]
) -> None:
    assert word_scores(pairs) == pytest.approx(scores)


def test_labelled_sets_pair_whole_pages_with_their_article_text() -> None:
    web = labelled_pages()
    assert len(web) > 50 and all(truth and truth.split()[0] in html for html, truth in web[:5])
    pages = bench_pages(seed=0, count=3)
    assert len(pages) == 3 and all(
        "<nav" in html and truth.count("\n") > 2 for html, truth in pages
    )
    assert not any(line.startswith("By ") for _, truth in pages for line in truth.splitlines())
