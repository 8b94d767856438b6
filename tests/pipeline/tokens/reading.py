"""Reading a token output back in the tests: the tokens an index row points at, and the
documents of the version by id (a plain reader, not the conformance reader)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq

from pipeline.dataset import resolve_version
from pipeline.lineage import view


def manifest(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "tokens.json").read_text(encoding="utf-8"))
    return data


def index_rows(out: Path) -> list[dict[str, Any]]:
    """Every index row, in unit order."""
    return [
        r
        for path in sorted((out / "index").glob("*.parquet"))
        for r in pq.read_table(path).to_pylist()
    ]


def tokens_of(out: Path, row: dict[str, Any]) -> list[int]:
    """The tokens ``row`` points at, read from its file by offset and length."""
    dtype = manifest(out)["dtype"]
    path = out / row["file"]
    if path.suffix == ".parquet":
        tokens = pq.read_table(path)["tokens"][row["row"]].as_py()
        assert len(tokens) == row["length"]
        return list(tokens)
    data = np.fromfile(path, dtype=dtype)
    return data[row["offset"] : row["offset"] + row["length"]].tolist()


def texts(dataset: Path, version: str | None = None) -> dict[str, dict[str, Any]]:
    """The version's document rows by id."""
    shards = view(resolve_version(dataset, version)).shards
    return {r["id"]: r for shard in shards for r in pq.read_table(shard).to_pylist()}


def output_files(out: Path) -> dict[str, bytes]:
    """Every file of ``out`` but the manifest, by relative path."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != "tokens.json"
    }
