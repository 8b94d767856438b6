"""Outcome verdicts: not the publisher's word, never an opt-out, never a permission."""

from __future__ import annotations

import pytest

import policies
from policies.verdict import DENY_TRAIN, DISALLOWED, EFFECTS
from record import CRAWL_TOKEN, OUTCOMES, TRAINING_TOKEN, outcome_verdict, with_fetch_answer
from record.outcomes import outcome_of, publisher_verdict

URL = "http://example.com/a"


def publisher(body: bytes) -> policies.Verdict:
    robots = policies.RobotsTxt.parse(body, status=200)
    return policies.evaluate(
        URL, crawl_agent=CRAWL_TOKEN, training_agent=TRAINING_TOKEN, robots=robots
    )


OPEN = publisher(b"User-agent: *\nAllow: /\n")
REFUSES_TRAINING = publisher(b"User-agent: Gleaner-Extended\nDisallow: /\n")
SAYS_YES = publisher(b"User-agent: *\nAllow: /\nContent-Usage: train-ai=y\n")


def assert_invariants(verdict: policies.Verdict) -> None:
    """evaluate()'s own: effects from the one vocabulary; a deny_train is a disallowed."""
    assert {r.effect for r in verdict.reasons} <= set(EFFECTS)
    if any(r.effect == DENY_TRAIN for r in verdict.reasons):
        assert verdict.training_signal == DISALLOWED


@pytest.mark.parametrize("outcome", OUTCOMES)
@pytest.mark.parametrize("fetched", [True, False], ids=["fetched", "refused"])
@pytest.mark.parametrize(
    ("said", "signal"),
    [(None, "unknown"), (OPEN, "unknown"), (REFUSES_TRAINING, "disallowed"), (SAYS_YES, "allowed")],
    ids=["nothing read", "open", "training refused", "training allowed"],
)
def test_an_outcome_keeps_the_publishers_signal_and_allows_nothing(
    outcome: str, fetched: bool, said: policies.Verdict | None, signal: str
) -> None:
    verdict = outcome_verdict(outcome, "rule", "evidence", fetched=fetched, publisher=said)
    assert_invariants(verdict)
    assert (verdict.may_fetch, verdict.may_index, verdict.may_train) == (fetched, False, False)
    assert verdict.training_signal == signal
    found = outcome_of(verdict)
    assert found is not None and (found.signal, found.effect) == (
        outcome,
        "note" if fetched else "deny_fetch",
    )
    assert publisher_verdict(verdict).reasons == (said.reasons if said else ())


def test_an_unknown_outcome_is_refused() -> None:
    with pytest.raises(ValueError, match="'trap'"):
        outcome_verdict("trap", "rule", "evidence", fetched=False)


@pytest.mark.parametrize(
    ("said", "allowed", "effect"),
    [(OPEN, False, "deny_fetch"), (publisher(b"User-agent: *\nDisallow: /\n"), True, "note")],
)
def test_another_readers_fetch_answer_is_a_fetch_reason_only(
    said: policies.Verdict, allowed: bool, effect: str
) -> None:
    verdict = with_fetch_answer(said, allowed, "legacy backend", "module")
    assert_invariants(verdict)
    assert verdict.may_fetch is allowed
    assert verdict.reasons[0].effect == effect
    assert verdict.training_signal == said.training_signal
    assert verdict.may_train is (said.may_train and allowed)
