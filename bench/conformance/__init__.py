"""robots.txt conformance: the shared case table, and every backend's pass rate on it.

The case table (:data:`ROBOTS_CASES`) lives here, outside ``policies``, because it is data
for two users: ``tests/policies`` runs our engine on every case, and ``make conformance``
(``python -m bench.conformance``) compares our engine with the legacy backends.
"""

from __future__ import annotations

from bench.conformance.cases import ROBOTS_CASES, RobotsCase
from bench.conformance.report import BackendReport, format_report, run_conformance

__all__ = ["ROBOTS_CASES", "BackendReport", "RobotsCase", "format_report", "run_conformance"]
