"""``--update``: a token output made again for a newer version, reusing unchanged units.

The output's own ``tokenizer.json``, format, validation fraction and mixture are kept
(options that contradict them are refused). A unit of the new version whose key is in
the old manifest (same shard digest, same tokenizer and settings) holds the same tokens,
so its part is copied from the old files' ranges and the old index rows, moved back to
the unit's start and renamed to the new unit; every other unit is tokenized. Assembled,
the files are the ones a fresh run on the new version writes.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.errors import ConfigError, InputError
from pipeline.mixture import Mixture
from pipeline.tokens.parts import tokens_file, write_rows
from pipeline.tokens.plan import TokenSettings, Unit
from pipeline.tokens.run import Reuse
from pipeline.tokens.schema import INDEX_SCHEMA
from pipeline.tokens.split import SPLITS
from pipeline.tokens.tokenizer_file import load_tokenizer

__all__ = ["TOKENIZER_COPY", "reusers", "update_settings"]

TOKENIZER_COPY = "tokenizer.json"


def update_settings(
    out: Path,
    manifest: dict[str, Any],
    tokenizer: Path | None,
    fmt: str | None,
    validation: float,
    mixture: Mixture,
) -> TokenSettings:
    """The old output's settings; options given must agree with them."""
    kept = load_tokenizer(out / TOKENIZER_COPY)
    if kept.sha256 != manifest["tokenizer"]["sha256"]:
        raise InputError(f"{out / TOKENIZER_COPY}: not the tokenizer {out}'s manifest names")
    if tokenizer is not None and load_tokenizer(tokenizer).sha256 != kept.sha256:
        raise ConfigError(
            f"{tokenizer}: not the tokenizer {out} was made with; --update keeps its tokenizer"
        )
    old_mixture = Mixture(
        manifest["mixture"]["sources"],
        manifest["mixture"]["languages"],
        manifest["mixture"]["seed"],
    )
    given = [
        ("format", fmt, manifest["format"], bool(fmt)),
        ("validation", validation, manifest["validation"], validation != 0.0),
        ("weights and seed", mixture.to_json(), old_mixture.to_json(), mixture != Mixture()),
    ]
    for name, value, old, set_ in given:
        if set_ and value != old:
            raise ConfigError(
                f"{out}: was made with {name} {old!r}, not {value!r}; --update keeps it"
            )
    return TokenSettings(
        manifest["format"], manifest["dtype"], kept, manifest["validation"], old_mixture
    )


def reusers(
    out: Path, manifest: dict[str, Any], units: list[Unit], settings: TokenSettings
) -> dict[int, Reuse]:
    """For each unit the old output already holds, how to copy it from there."""
    old = {entry["key"]: entry for entry in manifest["units"]}
    return {u.index: partial(_reuse, out, old[u.key], settings) for u in units if u.key in old}


def _reuse(
    out: Path, old: dict[str, Any], settings: TokenSettings, unit: Unit, part: Path
) -> dict[str, dict[str, int]]:
    part.mkdir(parents=True, exist_ok=True)
    rows = pq.read_table(out / old["index"]).cast(INDEX_SCHEMA)
    pieces = []
    for side in SPLITS:
        split = old["splits"][side]
        tokens_file(part, side).write_bytes(_old_tokens(out, split, side, settings))
        mine = rows.filter(pc.equal(rows["split"], side))
        pieces.append(_moved_back(mine, split, unit))
    return write_rows(part, pieces)


def _old_tokens(out: Path, split: dict[str, Any], side: str, settings: TokenSettings) -> bytes:
    if not split["documents"]:
        return b""
    dtype = settings.numpy_dtype
    if settings.fmt == "parquet":
        lists = pq.read_table(out / split["file"], columns=["tokens"])["tokens"].combine_chunks()
        return bytes(lists.flatten().to_numpy().astype(dtype, copy=False).tobytes())
    with (out / f"{side}.bin").open("rb") as handle:
        handle.seek(int(split["token_start"]) * dtype.itemsize)
        data = handle.read(int(split["tokens"]) * dtype.itemsize)
    if len(data) != int(split["tokens"]) * dtype.itemsize:
        raise InputError(f"{out / f'{side}.bin'}: shorter than its manifest says; tokenize afresh")
    return data


def _moved_back(rows: pa.Table, split: dict[str, Any], unit: Unit) -> pa.Table:
    """Old index rows as a part's: counted from the unit's start, named for the new unit."""
    count = rows.num_rows
    columns = {
        "file": pa.array([""] * count, pa.string()),
        "row": pc.subtract(rows["row"], split["row_start"]),
        "offset": pc.subtract(rows["offset"], split["token_start"]),
        "unit": pa.array([unit.index] * count, pa.int32()),
        "shard": pa.array([unit.relative] * count, pa.string()),
    }
    for name, column in columns.items():
        rows = rows.set_column(rows.schema.get_field_index(name), name, column)
    return rows.cast(INDEX_SCHEMA)
