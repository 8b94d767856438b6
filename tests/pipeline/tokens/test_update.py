"""--update after a removal: only the changed shards are tokenized again, and the files
are the ones a fresh run on the new version writes."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import ConfigError, InputError
from pipeline.mixture import Mixture
from pipeline.tokens import tokenize_version
from pipeline.versions.derive import derive_version
from pipeline.versions.select import Selector
from tests.pipeline.tokens.reading import index_rows, output_files, texts

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def dataset(token_dataset: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(token_dataset, tmp_path / "ds"))


def remove_host(dataset: Path, host: str) -> None:
    remove(dataset, "host", host)


def remove(dataset: Path, kind: str, value: str) -> None:
    judge = Selector(kind, (value,)).judge()
    derive_version(dataset, judge, kind="remove", request="remove", now=NOW)


def tokenize(dataset: Path, out: Path, **options: Any) -> dict[str, Any]:
    return tokenize_version(dataset, version=options.pop("version", None), out=out, **options)


@pytest.mark.parametrize("fmt", ["megatron", "nanogpt", "parquet"])
def test_update_retokenizes_only_changed_shards(
    dataset: Path, small_tokenizer: Path, tmp_path: Path, fmt: str
) -> None:
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    mixture = Mixture.parse(["web=1.5"], seed=2)
    settings = {"tokenizer": small_tokenizer, "fmt": fmt, "validation": 0.3, "mixture": mixture}
    before = tokenize(dataset, out, **settings)
    gone = list(texts(dataset))[5]  # in the second shard: that shard is rewritten
    remove(dataset, "id", gone)
    result = tokenize(dataset, out, tokenizer=None, fmt="", update=True)
    old_keys = {u["key"] for u in before["units"]}
    changed = [u for u in result["units"] if u["key"] not in old_keys]
    assert [u["unit"] for u in changed] == [1]
    assert [u["origin"] for u in result["units"]] == [
        "tokenized" if u in changed else "reused" for u in result["units"]
    ]
    assert result["version"] == "v0002"
    assert result["updated_from"] == {
        "version": "v0001",
        "reused_units": len(result["units"]) - len(changed),
        "tokenized_units": len(changed),
    }
    tokenize(dataset, fresh, **settings)
    assert output_files(out) == output_files(fresh)
    assert {r["id"] for r in index_rows(out)} <= set(texts(dataset))
    assert gone not in {r["id"] for r in index_rows(out)}


def test_a_shard_removed_whole_moves_the_units_after_it(
    dataset: Path, small_tokenizer: Path, tmp_path: Path
) -> None:
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    tokenize(dataset, out, tokenizer=small_tokenizer, fmt="megatron", validation=0.3)
    remove_host(dataset, "127.0.0.1:8002")
    result = tokenize(dataset, out, tokenizer=None, fmt="", update=True)
    assert {u["origin"] for u in result["units"]} == {"reused"}
    tokenize(dataset, fresh, tokenizer=small_tokenizer, fmt="megatron", validation=0.3)
    assert output_files(out) == output_files(fresh)
    assert not any(r["host"] == "127.0.0.1:8002" for r in index_rows(out))


def test_split_is_stable_across_versions(
    dataset: Path, small_tokenizer: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    tokenize(dataset, out, tokenizer=small_tokenizer, fmt="nanogpt", validation=0.4)
    first = {r["id"]: r["split"] for r in index_rows(out)}
    remove_host(dataset, "127.0.0.1:8001")
    tokenize(dataset, out, tokenizer=None, fmt="", update=True)
    second = {r["id"]: r["split"] for r in index_rows(out)}
    assert second and all(first[i] == side for i, side in second.items())


def test_update_refuses_what_contradicts_the_output(
    dataset: Path, small_tokenizer: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    tokenize(dataset, out, tokenizer=small_tokenizer, fmt="megatron")
    other = tmp_path / "other.json"
    other.write_text(small_tokenizer.read_text().replace('"<|pad|>"', '"<|padding|>"'))
    with pytest.raises(ConfigError, match=r"not the tokenizer .* was made with"):
        tokenize(dataset, out, tokenizer=other, fmt="", update=True)
    with pytest.raises(ConfigError, match="format 'megatron', not 'parquet'"):
        tokenize(dataset, out, tokenizer=None, fmt="parquet", update=True)
    with pytest.raises(ConfigError, match=r"validation 0\.0, not 0\.5"):
        tokenize(dataset, out, tokenizer=None, fmt="", update=True, validation=0.5)
    with pytest.raises(InputError, match="not a token output"):
        tokenize(dataset, tmp_path / "none", tokenizer=None, fmt="", update=True)


@pytest.mark.parametrize("killed", ["between_renames", "before_new_in_place"])
def test_an_update_killed_while_putting_its_output_in_place_leaves_a_whole_output(
    dataset: Path, small_tokenizer: Path, tmp_path: Path, killed: str
) -> None:
    """``commit`` moves OUT aside, then OUT.partial into place: a kill in between is finished
    (the new output when it was complete) or undone (the old one), never OUT missing."""
    from pipeline.tokens.manifest import MANIFEST_FILE
    from pipeline.tokens.run import finish_commit, staging_for

    out, fresh = tmp_path / "out", tmp_path / "fresh"
    tokenize(dataset, out, tokenizer=small_tokenizer, fmt="megatron", validation=0.3)
    before = output_files(out)
    remove_host(dataset, "127.0.0.1:8002")
    tokenize(dataset, fresh, tokenizer=small_tokenizer, fmt="megatron", validation=0.3)
    staging, old = staging_for(out), out.with_name(".out.old")
    if killed == "between_renames":  # the finished output waits in OUT.partial
        shutil.copytree(fresh, staging)
        expected = output_files(fresh)
    else:  # the staging folder was not finished: no manifest in it
        staging.mkdir()
        expected = before
    out.rename(old)
    finish_commit(out, MANIFEST_FILE)  # what the next run does first
    assert output_files(out) == expected and not old.exists()
    tokenize(dataset, out, tokenizer=None, fmt="", update=True)
    assert not staging.exists()
    assert output_files(out) == output_files(fresh)
