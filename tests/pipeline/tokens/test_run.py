"""Staging, completion markers and --resume: a stopped run keeps the units it finished."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import ConfigError
from pipeline.mixture import Mixture
from pipeline.tokens import encode as encode_module
from pipeline.tokens import run as run_module
from pipeline.tokens import tokenize_version
from tests.pipeline.tokens.reading import output_files


def run(dataset: Path, tokenizer: Path, out: Path, **options: Any) -> dict[str, Any]:
    options = {"fmt": "megatron", "validation": 0.25} | options
    return tokenize_version(dataset, version=None, tokenizer=tokenizer, out=out, **options)


class Crash(Exception):
    pass


def crash_at(monkeypatch: pytest.MonkeyPatch, unit: int) -> list[int]:
    """Make unit ``unit`` raise; return the list of units that did run."""
    ran: list[int] = []
    real = encode_module.encode_unit

    def encode(u: Any, settings: Any, part: Path, stop: Any = None) -> Any:
        ran.append(u.index)
        if u.index == unit:
            raise Crash(f"unit {unit}")
        return real(u, settings, part, stop)

    monkeypatch.setattr(run_module, "encode_unit", encode)
    return ran


def test_a_failed_run_writes_no_output_and_keeps_its_finished_units(
    token_dataset: Path, small_tokenizer: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    crash_at(monkeypatch, 2)
    with pytest.raises(Crash):
        run(token_dataset, small_tokenizer, out)
    assert not out.exists()
    done = sorted(p.name for p in (tmp_path / "out.partial" / "done").iterdir())
    assert done == ["00000.json", "00001.json"]


def test_resume_runs_only_the_rest_and_writes_what_a_fresh_run_writes(
    token_dataset: Path, small_tokenizer: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    crash_at(monkeypatch, 2)
    with pytest.raises(Crash):
        run(token_dataset, small_tokenizer, out)
    ran = crash_at(monkeypatch, -1)
    result = run(token_dataset, small_tokenizer, out, resume=True)
    assert ran == [2, 3]
    assert not (tmp_path / "out.partial").exists()
    monkeypatch.undo()
    run(token_dataset, small_tokenizer, tmp_path / "fresh")
    assert output_files(out) == output_files(tmp_path / "fresh")
    assert [u["origin"] for u in result["units"]] == ["tokenized"] * 4


def test_a_unit_without_its_part_runs_again(
    token_dataset: Path, small_tokenizer: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    crash_at(monkeypatch, 3)
    with pytest.raises(Crash):
        run(token_dataset, small_tokenizer, out)
    marker = tmp_path / "out.partial" / "done" / "00001.json"
    (tmp_path / "out.partial" / "parts" / "00001" / "rows.parquet").unlink()
    assert json.loads(marker.read_text())["unit"] == 1
    ran = crash_at(monkeypatch, -1)
    run(token_dataset, small_tokenizer, out, resume=True)
    assert ran == [1, 3]


def test_resume_refuses_another_plan(
    token_dataset: Path, small_tokenizer: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    crash_at(monkeypatch, 1)
    with pytest.raises(Crash):
        run(token_dataset, small_tokenizer, out)
    with pytest.raises(ConfigError, match="cannot resume: the version, tokenizer or options"):
        run(token_dataset, small_tokenizer, out, resume=True, validation=0.5)
    with pytest.raises(ConfigError, match="cannot resume"):
        run(token_dataset, small_tokenizer, out, resume=True, fmt="nanogpt")


def test_resume_with_nothing_to_resume(
    token_dataset: Path, small_tokenizer: Path, tmp_path: Path
) -> None:
    with pytest.raises(ConfigError, match="nothing to resume"):
        run(token_dataset, small_tokenizer, tmp_path / "out", resume=True)


def test_a_new_run_starts_again(
    token_dataset: Path, small_tokenizer: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    crash_at(monkeypatch, 1)
    with pytest.raises(Crash):
        run(token_dataset, small_tokenizer, out)
    ran = crash_at(monkeypatch, -1)
    run(token_dataset, small_tokenizer, out)
    assert ran == [0, 1, 2, 3]


def test_a_stopped_unit_gives_up_between_batches(
    token_dataset: Path, small_tokenizer: Path, tmp_path: Path
) -> None:
    """Ctrl-C (or a failed unit) sets the stop flag; a unit checks it before each batch."""
    from pipeline.dataset import resolve_version
    from pipeline.lineage import view
    from pipeline.tokens.encode import Stopped, encode_unit
    from pipeline.tokens.plan import plan_units
    from pipeline.tokens.tokenize import _new_settings

    stop = threading.Event()
    stop.set()
    settings = _new_settings(tmp_path / "out", small_tokenizer, "megatron", 0.0, Mixture())
    unit = plan_units(view(resolve_version(token_dataset)), settings)[0]
    with pytest.raises(Stopped):
        encode_unit(unit, settings, tmp_path / "part", stop)


def test_with_two_workers_a_failed_unit_stops_the_run_and_keeps_what_finished(
    token_dataset: Path, small_tokenizer: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    crash_at(monkeypatch, 0)
    with pytest.raises(Crash):
        run(token_dataset, small_tokenizer, out, workers=2)
    assert not out.exists()
    monkeypatch.undo()
    resumed = run(token_dataset, small_tokenizer, out, workers=2, resume=True)
    fresh = run(token_dataset, small_tokenizer, tmp_path / "fresh")
    assert output_files(out) == output_files(tmp_path / "fresh")
    assert resumed["counts"] == fresh["counts"]
