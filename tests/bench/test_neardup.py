"""The near-duplicate benchmark's ground truth and metrics."""

from __future__ import annotations

import pytest

from bench._neardup import Corpus, cluster_pairs, make_corpus, pair_metrics, true_pairs


@pytest.mark.parametrize(
    ("predicted", "truth", "expected"),
    [
        ({(0, 1)}, {(0, 1)}, (1.0, 1.0)),
        ({(0, 1), (2, 3)}, {(0, 1)}, (1.0, 0.5)),
        (set(), {(0, 1)}, (0.0, 1.0)),
        ({(0, 1)}, {(0, 1), (4, 5)}, (0.5, 1.0)),
    ],
)
def test_pair_metrics(
    predicted: set[tuple[int, int]], truth: set[tuple[int, int]], expected: tuple[float, float]
) -> None:
    assert pair_metrics(predicted, truth) == expected


def test_cluster_pairs_are_every_pair_in_a_cluster() -> None:
    assert cluster_pairs([[3, 1, 2], [7]]) == {(1, 2), (1, 3), (2, 3)}


def test_truth_is_exact_jaccard_at_the_threshold() -> None:
    words = " ".join(f"w{i}" for i in range(20))
    near = words.replace("w19", "x19")  # 16 shingles, 15 shared: J = 15 / 17
    corpus = Corpus([("a", words), ("b", near), ("c", "something else entirely here now")])
    assert true_pairs(corpus, 0.8) == {(0, 1)}
    assert true_pairs(corpus, 0.9) == set()


def test_the_corpus_is_deterministic_and_plants_copies() -> None:
    corpus = make_corpus(40, seed=3)
    assert corpus == make_corpus(40, seed=3)
    assert any(doc_id.startswith("copy-") for doc_id, _ in corpus.docs)
