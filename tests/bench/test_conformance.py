"""The conformance report: ours passes every case; the report runs for every backend."""

from __future__ import annotations

import pytest

from bench.conformance import ROBOTS_CASES, format_report, run_conformance
from bench.conformance.cli import main


def test_our_engine_passes_every_case() -> None:
    (report,) = run_conformance(["gleaner"])
    assert report.failures == []
    assert report.rate == 1.0
    assert report.total == len(ROBOTS_CASES) >= 150


def test_report_runs_on_every_backend(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    output = capsys.readouterr().out
    for name in ("gleaner", "protego", "rerp"):
        assert name in output
    assert f"gleaner  {len(ROBOTS_CASES)}/{len(ROBOTS_CASES)} (100.0%)" in output


def test_legacy_backends_fail_some_cases_and_failures_are_listed() -> None:
    reports = run_conformance(["protego", "rerp"])
    assert all(0 < report.rate < 1 for report in reports)
    text = format_report(reports, failures=True)
    assert "Applebot-Extended" in text


def test_unavailable_backend_is_reported_not_raised() -> None:
    (report,) = run_conformance(["no_such_backend"])
    assert report.error and report.total == 0
    assert "unavailable" in format_report([report])


def test_every_case_names_its_source() -> None:
    assert all(case.source for case in ROBOTS_CASES)
    assert {case.allowed for case in ROBOTS_CASES} == {True, False}
