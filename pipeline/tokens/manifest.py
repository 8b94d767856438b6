"""The token manifest, ``tokens.json``: what a token output was made from and holds.

Written last, into the staging folder, so an output with a manifest is complete. It
names the dataset version (and its manifest digest), the tokenizer (sha256, vocabulary,
end-of-text id), the format and token type, the validation fraction and the mixture;
lists every unit (its shard, key, index file, whether it was tokenized or reused, and per
side its documents, tokens and start in its file) and every file with its size and
sha256; and counts documents and tokens per side and per source, language and domain
(a repeated document counts once per copy; a missing language or domain is ``unknown``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.errors import InputError
from pipeline.lineage import VersionView
from pipeline.shards import file_sha256
from pipeline.tokens.formats.assemble import Starts, index_file
from pipeline.tokens.plan import TokenSettings, Unit
from pipeline.tokens.split import SPLITS

__all__ = [
    "FORMAT_VERSION",
    "MANIFEST_FILE",
    "counts",
    "file_list",
    "make_manifest",
    "read_token_manifest",
    "write_manifest",
]

MANIFEST_FILE = "tokens.json"
FORMAT_VERSION = 1
_UNKNOWN = "unknown"
_GROUPS = (
    ("split", "split"),
    ("by_source", "source"),
    ("by_language", "language"),
    ("by_domain", "domain"),
)


def make_manifest(
    snapshot: VersionView,
    settings: TokenSettings,
    units: Sequence[Unit],
    markers: Sequence[dict[str, Any]],
    starts: Sequence[Starts],
    staging: Path,
) -> dict[str, Any]:
    """The manifest of the output assembled in ``staging`` (without timing or update)."""
    return {
        "format_version": FORMAT_VERSION,
        "format": settings.fmt,
        "dtype": settings.dtype,
        "dataset": str(snapshot.folder.parent.resolve()),
        "version": snapshot.name,
        "manifest_digest": snapshot.manifest.get("digest"),
        "tokenizer": settings.tokenizer.to_json(),
        "validation": settings.validation,
        "mixture": settings.mixture.to_json(),
        "units": [_unit_entry(u, m, s) for u, m, s in zip(units, markers, starts, strict=True)],
        "files": file_list(staging),
        "counts": counts(staging, units),
        "updated_from": None,
    }


def _unit_entry(unit: Unit, marker: dict[str, Any], start: Starts) -> dict[str, Any]:
    splits = {side: marker["splits"][side] | start[side] for side in SPLITS}
    return unit.to_json() | {
        "key": unit.key,
        "index": index_file(unit.index),
        "origin": marker["origin"],
        "splits": splits,
    }


def file_list(staging: Path) -> list[dict[str, Any]]:
    """Every file of the output but the manifest, with its size and sha256, by path."""
    files = []
    for path in sorted(p for p in staging.rglob("*") if p.is_file()):
        relative = path.relative_to(staging).as_posix()
        if relative != MANIFEST_FILE:
            files.append(
                {"path": relative, "bytes": path.stat().st_size, "sha256": file_sha256(path)}
            )
    return files


def counts(staging: Path, units: Sequence[Unit]) -> dict[str, Any]:
    """Documents and tokens per side, source, language and domain, from the index."""
    columns = ["split", "source", "language", "domain", "length"]
    tables = [pq.read_table(staging / index_file(u.index), columns=columns) for u in units]
    table = pa.concat_tables(tables) if tables else None
    result: dict[str, Any] = {}
    for key, column in _GROUPS:
        result[key] = _grouped(table, column)
    sides = result.pop("split")
    for side in SPLITS:
        result[side] = sides.get(side, {"documents": 0, "tokens": 0})
    return result


def _grouped(table: pa.Table | None, column: str) -> dict[str, dict[str, int]]:
    if table is None or table.num_rows == 0:
        return {}
    grouped = table.group_by(column).aggregate([("length", "count"), ("length", "sum")])
    names = grouped[column].to_pylist()
    documents = grouped["length_count"].to_pylist()
    tokens = grouped["length_sum"].to_pylist()
    found = {
        (name if name is not None else _UNKNOWN): {"documents": d, "tokens": t}
        for name, d, t in zip(names, documents, tokens, strict=True)
    }
    return dict(sorted(found.items()))


def write_manifest(staging: Path, manifest: dict[str, Any]) -> None:
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    (staging / MANIFEST_FILE).write_text(text, encoding="utf-8")


def read_token_manifest(out: Path) -> dict[str, Any]:
    """The manifest of the token output ``out``; InputError when it is none."""
    path = out / MANIFEST_FILE
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{out}: not a token output (no {MANIFEST_FILE})") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: unreadable token manifest ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format_version") != FORMAT_VERSION:
        raise InputError(f"{path}: not a token manifest of format version {FORMAT_VERSION}")
    return manifest
