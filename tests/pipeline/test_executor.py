"""Completion markers and --resume: a killed build finishes without redoing or duplicating."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from pipeline import BuildConfig
from pipeline.build import build, plan_units
from pipeline.errors import ConfigError
from pipeline.executor import run_units
from pipeline.resume import start_or_resume
from pipeline.sql import query


def _config(warcs: Path, tmp_path: Path, **extra: object) -> BuildConfig:
    return BuildConfig(
        output=tmp_path / "ds", warcs=(warcs,), workers=1, third_party_training="allow", **extra
    )


def _killed_after_first_unit(config: BuildConfig) -> Path:
    """Leave a staging folder as a build killed after its first input would."""
    units, _ = plan_units(config)
    version = start_or_resume(config, units)
    run_units(units[:1], config, version.staging / "work")
    (version.staging / "work" / ".00001-00000.parquet.tmp").write_bytes(b"half a file")
    return version.staging


def test_resume_skips_finished_units_and_redoes_the_rest(warcs: Path, tmp_path: Path) -> None:
    fresh = build(_config(warcs, tmp_path / "fresh"))
    staging = _killed_after_first_unit(_config(warcs, tmp_path))
    before = (staging / "completions" / "00000.json").stat().st_mtime_ns
    resumed = build(_config(warcs, tmp_path, resume=True))
    after = (resumed.version / "completions" / "00000.json").stat().st_mtime_ns
    assert after == before, "a finished unit is not run again"
    assert resumed.version.name == "v0001" and resumed.documents == fresh.documents
    shards = f"read_parquet('{resumed.version}/shards/*.parquet')"
    ids = duckdb.sql(f"SELECT count(DISTINCT id), count(*) FROM {shards}")
    distinct, total = ids.fetchall()[0]
    assert distinct == total == fresh.documents
    assert resumed.stats["read_warc"]["total"] == fresh.stats["read_warc"]["total"]


def test_without_resume_a_new_build_starts_afresh(warcs: Path, tmp_path: Path) -> None:
    staging = _killed_after_first_unit(_config(warcs, tmp_path))
    result = build(_config(warcs, tmp_path))
    assert result.stats["read_warc"]["total"] == 3 and not staging.exists()


def test_resume_refuses_a_different_plan(warcs: Path, tmp_path: Path) -> None:
    _killed_after_first_unit(_config(warcs, tmp_path))
    with pytest.raises(ConfigError, match="cannot resume"):
        build(_config(warcs, tmp_path, resume=True, extract_timeout=7.0))


def test_markers_and_stats_carry_step_timings(warcs: Path, tmp_path: Path) -> None:
    result = build(_config(warcs, tmp_path))
    marker = json.loads((result.version / "completions" / "00000.json").read_text())
    assert marker["seconds"] > 0 and marker["stats"]["extract"]["time_ms"] >= 0
    assert {"read_warc", "extract", "language", "pii"} <= set(result.stats)
    assert all("time_ms" in counts for step, counts in result.stats.items() if step != "dedup")
    _, rows = query(result.version, "SELECT step FROM stats WHERE counter = 'time_ms'")
    assert {"extract", "quality"} <= {row[0] for row in rows}


def test_every_dropped_document_is_kept_with_step_and_reason(warcs: Path, tmp_path: Path) -> None:
    result = build(BuildConfig(output=tmp_path / "ds", warcs=(warcs,), workers=1, allow_empty=True))
    rows = duckdb.sql(
        f"SELECT step, reason, url, warc_record_id FROM "
        f"read_parquet('{result.version}/exclusions/*.parquet') ORDER BY url"
    ).fetchall()
    assert [(s, r, u) for s, r, u, _ in rows] == [
        ("consent", "opt_out/unknown", f"http://127.0.0.1:{port}/{path}")
        for port, path in ((1, "a"), (1, "copy"), (2, "b"))
    ]
    assert all(record_id.startswith("<urn:uuid:") for *_, record_id in rows)


def _touch(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))


def _forget_inputs(marker: Path) -> None:
    data = json.loads(marker.read_text())
    del data["inputs"]
    marker.write_text(json.dumps(data))


@pytest.mark.parametrize(
    ("meddle", "rerun"),
    [
        (lambda staging, warcs: None, False),
        (lambda staging, warcs: _touch(warcs / "a.warc.gz"), False),  # same bytes: reused
        (lambda staging, warcs: _forget_inputs(staging / "completions" / "00000.json"), True),
    ],
    ids=["untouched", "touched_but_same_content", "marker_without_recorded_inputs"],
)
def test_resume_reuses_a_unit_only_when_its_recorded_inputs_still_match(
    warcs: Path, tmp_path: Path, meddle: Callable[[Path, Path], None], rerun: bool
) -> None:
    staging = _killed_after_first_unit(_config(warcs, tmp_path))
    meddle(staging, warcs)
    before = (staging / "completions" / "00000.json").stat().st_mtime_ns
    resumed = build(_config(warcs, tmp_path, resume=True))
    after = (resumed.version / "completions" / "00000.json").stat().st_mtime_ns
    assert (after != before) is rerun
    marker = json.loads((resumed.version / "completions" / "00000.json").read_text())
    assert [key["path"] for key in marker["inputs"]] == [str((warcs / "a.warc.gz").resolve())]
