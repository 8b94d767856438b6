"""The suite runs in parallel workers (``make test``: pytest-xdist, ``--dist loadgroup``).

A module-scoped fixture (a crawl, a build) runs once per worker that gets one of the module's
tests; a module that has one is marked ``xdist_group`` so that one worker runs all its tests
and the fixture runs once.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).parent


def _shared_fixture(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.keyword)
        and node.arg == "scope"
        and isinstance(node.value, ast.Constant)
        and node.value.value in ("module", "session")
        for node in ast.walk(tree)
    )


def _grouped(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets)
        and "xdist_group" in ast.unparse(node.value)
        for node in tree.body
    )


@pytest.mark.parametrize(
    "module", sorted(p.relative_to(TESTS).as_posix() for p in TESTS.rglob("test_*.py"))
)
def test_a_module_with_a_shared_fixture_runs_on_one_worker(module: str) -> None:
    tree = ast.parse((TESTS / module).read_text(encoding="utf-8"))
    assert _grouped(tree) or not _shared_fixture(tree)
