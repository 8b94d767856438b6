"""docs/reference.md lists every key of every file a person writes, and nothing else."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from crawler.jobspec import JOB_KEYS
from pipeline.config import BUILD_KEYS
from pipeline.dedup.config import DedupConfig
from pipeline.dedup.minhash import MinHashConfig
from pipeline.filters import FiltersConfig, QualityConfig
from pipeline.licensed.manifest import MANIFEST_KEYS

REFERENCE = Path(__file__).parents[1] / "docs" / "reference.md"


def documented(heading: str) -> list[str]:
    """The keys of the ``| key | type | default | meaning |`` tables under ``## heading``."""
    return [row[0] for row in rows(heading)]


def rows(heading: str) -> list[list[str]]:
    """The rows of the ``| key | type | default | meaning |`` tables under ``## heading``."""
    text = REFERENCE.read_text(encoding="utf-8")
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    keys: list[list[str]] = []
    in_table = False
    for line in section.splitlines():
        if line.startswith("| key | type | default | meaning |"):
            in_table = True
        elif not line.startswith("|"):
            in_table = False
        elif in_table and not line.startswith("| ---"):
            keys.append([cell.strip().strip("`") for cell in line.split("|")[1:-1]])
    return keys


def shown(table: str, key: str) -> str:
    return f"[{table}] {key}" if table else key


def job_keys() -> list[str]:
    return [shown(table, key) for table, keys in JOB_KEYS.items() for key in keys]


def build_keys() -> list[str]:
    plain = [shown(t, k) for t, keys in BUILD_KEYS.items() if t != "filters" for k in keys]
    filters = [
        shown(f"filters.{group.name}", key.name)
        for group in fields(FiltersConfig)
        for key in fields(group.default_factory())  # type: ignore[misc]
    ]
    return plain + filters


def manifest_keys() -> list[str]:
    names = {"files": "[files]"}  # an array of tables: `[[files]] path`
    return [shown(names.get(t, t), k) for t, keys in MANIFEST_KEYS.items() for k in keys]


@pytest.mark.parametrize(
    ("heading", "in_code"),
    [("Job files", job_keys), ("Build configs", build_keys), ("Licensed manifests", manifest_keys)],
)
def test_every_key_in_code_is_documented_and_every_documented_key_exists(
    heading: str, in_code: object
) -> None:
    code = in_code()  # type: ignore[operator]
    docs = documented(heading)
    assert sorted(set(code) - set(docs)) == [], "keys in code missing from docs/reference.md"
    assert sorted(set(docs) - set(code)) == [], "keys in docs/reference.md the code lacks"
    assert len(docs) == len(set(docs)), "a key documented twice"


def scalar_defaults() -> list[tuple[str, object]]:
    """``("[quality] min_words", 50)`` for every bool or number key of a build config."""
    groups = [("quality", QualityConfig()), ("dedup", DedupConfig()), ("dedup", MinHashConfig())]
    groups += [(f"filters.{g.name}", g.default_factory()) for g in fields(FiltersConfig)]  # type: ignore[misc]
    found = []
    for table, config in groups:
        for spec in fields(config):  # type: ignore[arg-type]
            value = getattr(config, spec.name)
            if isinstance(value, bool | int | float):
                found.append((f"[{table}] {spec.name}", value))
    return found


@pytest.mark.parametrize(("key", "default"), scalar_defaults())
def test_a_build_key_is_documented_with_its_default(key: str, default: object) -> None:
    cells = {row[0]: row for row in rows("Build configs")}
    expected = str(default).lower() if isinstance(default, bool) else str(default)
    assert cells[key][2] == expected
