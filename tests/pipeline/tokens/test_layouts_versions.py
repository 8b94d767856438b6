"""Token outputs across versions and runs: a document stays on its side of the split when
a removal makes a new version, and the same inputs give the same bytes, whatever the
number of workers."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from pipeline.lineage import view
from pipeline.mixture import Mixture
from pipeline.tokens import tokenize_version
from pipeline.versions.derive import derive_version
from pipeline.versions.select import Selector
from tests.pipeline.tokens.layouts import is_validation, read_index, shard_rows

VALIDATION = 0.4
MIXTURE = Mixture.parse(["web=1.5"], seed=3)


@pytest.fixture(scope="module")
def dataset(token_dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built dataset with a second version: host 127.0.0.1:8002 removed."""
    dataset = Path(shutil.copytree(token_dataset, tmp_path_factory.mktemp("versions") / "ds"))
    removal = Selector("host", ("127.0.0.1:8002",)).judge()
    derive_version(dataset, removal, kind="remove", request="remove", note="test")
    return dataset


@pytest.fixture(scope="module")
def tokenizer_file(small_tokenizer: Path) -> Path:
    return small_tokenizer


def tokenize(dataset: Path, tokenizer: Path, out: Path, **options: Any) -> Path:
    options = {"version": None, "fmt": "megatron", "validation": VALIDATION} | options
    tokenize_version(dataset, tokenizer=tokenizer, out=out, mixture=MIXTURE, **options)
    return out


def fingerprint(folder: Path) -> dict[str, str]:
    """sha256 of every file but the manifest, whose ``seconds`` is a measurement."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "tokens.json"
    }


def manifest_without_time(folder: Path) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads((folder / "tokens.json").read_text(encoding="utf-8"))
    manifest.pop("seconds")
    return manifest


def sides(out: Path) -> dict[str, str]:
    """id -> the split every one of its copies is on (two sides would fail here)."""
    found: dict[str, set[str]] = {}
    for entry in read_index(out):
        found.setdefault(entry["id"], set()).add(entry["split"])
    assert all(len(splits) == 1 for splits in found.values())
    return {doc_id: splits.pop() for doc_id, splits in found.items()}


def test_every_document_keeps_its_side_in_the_next_version(
    dataset: Path, tokenizer_file: Path, tmp_path: Path
) -> None:
    first = sides(tokenize(dataset, tokenizer_file, tmp_path / "v1", version="v0001"))
    second = sides(tokenize(dataset, tokenizer_file, tmp_path / "v2", version="v0002"))
    removed = {
        r["id"]
        for shard in shard_rows(view(dataset / "v0001").shards)
        for r in shard
        if r["host"] == "127.0.0.1:8002"
    }
    assert removed and set(first) - set(second) == removed
    assert {"train", "val"} <= set(second.values())
    assert all(second[doc_id] == first[doc_id] for doc_id in second)
    assert all(
        side == ("val" if is_validation(i, VALIDATION) else "train") for i, side in first.items()
    )


@pytest.mark.parametrize("fmt", ["megatron", "nanogpt", "parquet"])
def test_an_update_writes_what_a_fresh_run_writes(
    dataset: Path, tokenizer_file: Path, tmp_path: Path, fmt: str
) -> None:
    fresh = tokenize(dataset, tokenizer_file, tmp_path / "fresh", version="v0002", fmt=fmt)
    updated = tokenize(dataset, tokenizer_file, tmp_path / "old", version="v0001", fmt=fmt)
    tokenize_version(dataset, version=None, tokenizer=None, fmt=fmt, out=updated, update=True)
    assert fingerprint(updated) == fingerprint(fresh)
    manifest = manifest_without_time(updated)
    assert manifest["version"] == "v0002"
    assert manifest["updated_from"]["version"] == "v0001"
    assert manifest["updated_from"]["reused_units"] >= 1


@pytest.mark.parametrize("fmt", ["megatron", "nanogpt", "parquet"])
def test_the_same_inputs_give_the_same_bytes_with_one_or_two_workers(
    dataset: Path, tokenizer_file: Path, tmp_path: Path, fmt: str
) -> None:
    runs = [
        tokenize(dataset, tokenizer_file, tmp_path / f"run-{n}-{workers}", fmt=fmt, workers=workers)
        for n, workers in enumerate([1, 1, 2])
    ]
    assert fingerprint(runs[0]) == fingerprint(runs[1]) == fingerprint(runs[2])


def test_the_same_inputs_give_the_same_manifest_but_its_time(
    dataset: Path, tokenizer_file: Path, tmp_path: Path
) -> None:
    runs = [tokenize(dataset, tokenizer_file, tmp_path / f"run-{n}", workers=n) for n in (1, 2)]
    assert manifest_without_time(runs[0]) == manifest_without_time(runs[1])
