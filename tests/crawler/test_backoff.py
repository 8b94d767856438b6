"""Back-off arithmetic: Retry-After in both forms, exponential pauses."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler._backoff import HostState, backoff_seconds, retry_after_seconds

NOW = datetime(2026, 11, 29, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3", 3.0),
        (" 120 ", 120.0),
        ("999999", 86400.0),  # capped
        ("Sun, 29 Nov 2026 12:00:30 GMT", 30.0),
        ("Sun, 29 Nov 2026 11:00:00 GMT", 0.0),  # in the past
        ("Mon, 30 Nov 2026 12:00:00 GMT", 86400.0),
        ("soon", None),
        ("-5", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_seconds(value: str | None, expected: float | None) -> None:
    assert retry_after_seconds(value, NOW, cap=86400.0) == expected


@pytest.mark.parametrize(
    ("failures", "expected"),
    [(0, 0.0), (1, 60.0), (2, 120.0), (3, 240.0), (6, 1920.0), (7, 3600.0), (99, 3600.0)],
)
def test_backoff_doubles_up_to_the_cap(failures: int, expected: float) -> None:
    assert backoff_seconds(failures, base=60.0, cap=3600.0) == expected


def test_a_success_resets_the_failure_count() -> None:
    state = HostState()
    assert [state.fail("HTTP 503") for _ in range(3)] == [1, 2, 3]
    state.succeed()
    assert state.fail("TimeoutError") == 1
    assert state.last_failure == "TimeoutError"
