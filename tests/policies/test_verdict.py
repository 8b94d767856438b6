"""Verdict: deciding_reason and signals_seen."""

from __future__ import annotations

import dataclasses

import pytest

from policies import Reason, Verdict

FETCH = Reason("robots", "Disallow: /", "robots.txt line 2", "deny_fetch")
TRAIN_NO = Reason("tdmrep", "tdm-reservation: 1 (header)", "tdm-reservation: 1", "deny_train")
TRAIN_YES = Reason("content_usage", "train-ai=y", "Content-Usage: train-ai=y", "allow_train")
INDEX_NO = Reason("x_robots_tag", "noindex", "X-Robots-Tag: noindex", "deny_index")


@pytest.mark.parametrize(
    ("verdict", "deciding", "reason"),
    [
        (Verdict(False, False, False, "disallowed", (FETCH, TRAIN_NO)), FETCH, "fetch refused"),
        (
            Verdict(True, True, False, "disallowed", (INDEX_NO, TRAIN_YES, TRAIN_NO)),
            TRAIN_NO,
            "first deny_train",
        ),
        (Verdict(True, True, True, "allowed", (INDEX_NO, TRAIN_YES)), TRAIN_YES, "allow_train"),
        (Verdict(True, True, True, "unknown", (INDEX_NO,)), None, "default for unknown"),
        (
            Verdict(False, True, True, "allowed", (TRAIN_YES,)),
            TRAIN_YES,
            "no robots.txt: training decided by the page",
        ),
    ],
)
def test_deciding_reason(verdict: Verdict, deciding: Reason | None, reason: str) -> None:
    assert verdict.deciding_reason == deciding, reason


def test_signals_seen_are_distinct_and_ordered() -> None:
    verdict = Verdict(True, False, False, "disallowed", (INDEX_NO, TRAIN_NO, INDEX_NO, TRAIN_YES))
    assert verdict.signals_seen == ("x_robots_tag", "tdmrep", "content_usage")


def test_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Verdict(True, True, True, "unknown").may_train = False  # type: ignore[misc]
