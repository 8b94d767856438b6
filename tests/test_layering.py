"""The rooms and the arrows between them, read from the imports of every module.

``policies`` is pure (no Scrapy, no pyarrow, no package of ours); ``record`` is the leaf the
crawler and the pipeline share (pyarrow, the standard library and ``policies`` only); the
crawler records and the pipeline interprets, so neither imports the other. Every import
counts: module level, inside functions, and under ``TYPE_CHECKING``. And a verdict is built
only where the rules live (``policies``) or where outcomes are recorded (``record``).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).parents[1]
PACKAGES = ("bench", "crawler", "gleaner", "pipeline", "policies", "record")

#: package → top-level modules it must not import.
FORBIDDEN = {
    "crawler": {"pipeline", "gleaner", "bench"},
    "pipeline": {"crawler", "gleaner", "bench", "scrapy"},
    "gleaner": {"bench"},
    "policies": {"crawler", "pipeline", "record", "gleaner", "bench", "pyarrow", "scrapy"},
    "record": {"crawler", "pipeline", "gleaner", "bench", "scrapy"},
}
#: package → the only top-level modules it may import (besides the standard library).
ONLY = {"record": {"record", "policies", "pyarrow"}}
RULED = tuple(FORBIDDEN)
#: Where a ``Verdict(...)`` may be constructed.
VERDICT_MAKERS = {"policies", "record"}


def imported(path: Path, module: str) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of every import in the file of ``module``, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parent = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{parent}.{base}" if base else parent
            yield node.lineno, base


def modules(root: Path, packages: tuple[str, ...]) -> Iterator[tuple[Path, str]]:
    """Our modules; hidden folders (``bench/.anchor-venv``, ``bench/.work``) hold others' code."""
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if any(p.startswith(".") for p in parts):
                continue
            yield path, ".".join(p for p in parts if p != "__init__") or package


def violations(root: Path, packages: tuple[str, ...] = PACKAGES) -> list[str]:
    """Every import that breaks :data:`FORBIDDEN` or :data:`ONLY`, as ``file:line: why``."""
    found = []
    for path, module in modules(root, packages):
        package = module.split(".")[0]
        for line, name in imported(path, module):
            top = name.split(".")[0]
            where = f"{path.relative_to(root)}:{line}"
            if top in FORBIDDEN.get(package, ()):
                found.append(f"{where}: {package} imports {name}")
            elif package in ONLY and top not in ONLY[package] | sys.stdlib_module_names:
                found.append(f"{where}: {package} may not import {name}")
    return found


def verdicts_built(root: Path, packages: tuple[str, ...] = PACKAGES) -> list[str]:
    """Every ``Verdict(...)`` call outside :data:`VERDICT_MAKERS`."""
    found = []
    for path, module in modules(root, packages):
        if module.split(".")[0] in VERDICT_MAKERS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _name(node.func) == "Verdict":
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def test_the_tree_keeps_the_import_rules() -> None:
    assert violations(REPO) == []


def test_no_verdict_is_built_outside_policies_and_record() -> None:
    assert verdicts_built(REPO) == []


def write(root: Path, files: dict[str, str]) -> Path:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("name", "source", "expected"),
    [
        ("crawler/logs.py", "from pipeline.schema import X\n", "crawler imports pipeline.schema"),
        ("crawler/a.py", "def f():\n    import pipeline\n", "crawler imports pipeline"),
        (
            "crawler/a.py",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pipeline import x\n",
            "crawler imports pipeline",
        ),
        ("pipeline/a.py", "import crawler.urls\n", "pipeline imports crawler.urls"),
        ("pipeline/a.py", "from scrapy import signals\n", "pipeline imports scrapy"),
        ("crawler/a.py", "from gleaner.output import x\n", "crawler imports gleaner.output"),
        ("gleaner/a.py", "import bench.run\n", "gleaner imports bench.run"),
        ("policies/a.py", "import pyarrow as pa\n", "policies imports pyarrow"),
        ("policies/a.py", "from scrapy.http import Request\n", "policies imports scrapy.http"),
        ("policies/a.py", "from record import tokens\n", "policies imports record"),
        ("record/a.py", "from gleaner import cli\n", "record imports gleaner"),
        ("record/a.py", "import duckdb\n", "record may not import duckdb"),
    ],
)
def test_the_checker_finds_a_forbidden_import(
    tmp_path: Path, name: str, source: str, expected: str
) -> None:
    found = violations(write(tmp_path, {name: source}), RULED)
    assert len(found) == 1 and expected in found[0], found


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("crawler/a.py", "from record import decision_row\nimport policies\nimport scrapy\n"),
        ("pipeline/a.py", "from record.schema import DOCUMENT_SCHEMA\nimport duckdb\n"),
        ("record/a.py", "import pyarrow as pa\nfrom . import b\nimport json\nimport policies\n"),
        ("policies/a.py", "import re\nfrom policies.verdict import Verdict\n"),
        ("record/sub/a.py", "from ..outcomes import OUTCOMES\nfrom .b import c\n"),
    ],
)
def test_the_checker_lets_the_allowed_arrows_through(
    tmp_path: Path, name: str, source: str
) -> None:
    assert violations(write(tmp_path, {name: source}), RULED) == []


def test_the_checker_skips_hidden_folders(tmp_path: Path) -> None:
    # make bench puts the anchors' virtualenv (third-party code, any encoding) under bench/.
    root = write(tmp_path, {"policies/.venv/lib/a.py": "import scrapy\n"})
    (root / "policies/.venv/lib/b.py").write_bytes(b"# -*- coding: big5 -*-\n# \xa4@\n")
    assert violations(root, RULED) == [] and verdicts_built(root, RULED) == []


def test_the_checker_finds_a_verdict_built_by_hand(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "crawler/a.py": "import policies\nv = policies.Verdict(False, False, False, 'x')\n",
            "record/b.py": "from policies import Verdict\nv = Verdict(True, True, True, 'x')\n",
        },
    )
    assert verdicts_built(root, ("crawler", "record")) == ["crawler/a.py:2"]
