"""Run the shared robots.txt case table on every backend and report each one's pass rate."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bench.conformance.cases import ROBOTS_CASES, RobotsCase
from policies.backends import get_backend
from policies.errors import BackendError

__all__ = ["DEFAULT_BACKENDS", "BackendReport", "format_report", "run_conformance"]

DEFAULT_BACKENDS = ("gleaner", "protego", "rerp")


@dataclass(slots=True)
class BackendReport:
    """One backend's result; ``error`` is set when the backend could not run at all."""

    name: str
    total: int = 0
    passed: int = 0
    failures: list[tuple[RobotsCase, str]] = field(default_factory=list)
    error: str = ""

    @property
    def rate(self) -> float:
        """Fraction of cases passed (0.0 when nothing ran)."""
        return self.passed / self.total if self.total else 0.0


def run_conformance(
    backends: Sequence[str] = DEFAULT_BACKENDS, cases: Sequence[RobotsCase] = ROBOTS_CASES
) -> list[BackendReport]:
    """Evaluate every case on every backend; a backend exception fails that case."""
    return [_run_one(name, cases) for name in backends]


def _run_one(name: str, cases: Sequence[RobotsCase]) -> BackendReport:
    report = BackendReport(name)
    try:
        backend = get_backend(name)
    except BackendError as exc:
        report.error = str(exc)
        return report
    for case in cases:
        report.total += 1
        try:
            got = str(backend.parse(case.robots).can_fetch(case.url, case.agent))
        except Exception as exc:  # a third-party crash is a failed case, not a crashed report
            got = f"raised {type(exc).__name__}"
        if got == str(case.allowed):
            report.passed += 1
        else:
            report.failures.append((case, got))
    return report


def format_report(reports: Sequence[BackendReport], *, failures: bool = False) -> str:
    """One line per backend, and optionally every failed case."""
    lines = []
    for report in reports:
        if report.error:
            lines.append(f"{report.name:8} unavailable: {report.error}")
            continue
        lines.append(f"{report.name:8} {report.passed}/{report.total} ({report.rate:.1%})")
        if failures:
            for case, got in report.failures:
                lines.append(f"    {case.source} | {case.agent} {case.url}: got {got}")
    return "\n".join(lines)
