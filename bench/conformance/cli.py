"""Print every backend's pass rate on the robots.txt case table.

Usage: ``python -m bench.conformance [--backend NAME ...] [--failures]`` (or
``make conformance``). Our engine must pass every case (a test asserts it); the legacy
backends show where they differ.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from bench.conformance.cases import ROBOTS_CASES
from bench.conformance.report import DEFAULT_BACKENDS, format_report, run_conformance

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status (0)."""
    parser = argparse.ArgumentParser(prog="python -m bench.conformance", description=__doc__)
    parser.add_argument("--backend", action="append", help="backend name or dotted path")
    parser.add_argument("--failures", action="store_true", help="list every failed case")
    args = parser.parse_args(argv)
    reports = run_conformance(tuple(args.backend or DEFAULT_BACKENDS))
    print(f"robots.txt conformance: {len(ROBOTS_CASES)} cases")
    print(format_report(reports, failures=args.failures))
    return 0
