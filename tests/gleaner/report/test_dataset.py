"""``gleaner report`` on a real small build: the verb, the page, and the page in Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from gleaner.cli import cli
from pipeline import BuildResult
from tests.gleaner.browser import load_page, require_chromium
from tests.pipeline.built import build_small
from tests.pipeline.report.made import hand_made_removal


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    built: BuildResult = build_small(tmp_path_factory.mktemp("report"))
    hand_made_removal(built.version)
    return built.version.parent


def report(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["report", *args])
    return result.exit_code, result.output


def test_the_verb_writes_the_page_and_prints_its_path(dataset: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    code, output = report(str(dataset), "--out", str(out))
    assert (code, output.strip()) == (0, str(out))
    page = out.read_text(encoding="utf-8")
    assert "Dataset ds, v0002" in page and "requested" in page  # the latest: the removal


def test_version_picks_an_older_one(dataset: Path, tmp_path: Path) -> None:
    code, _ = report(str(dataset), "--version", "v0001", "--out", str(tmp_path / "r.html"))
    assert code == 0
    assert "Dataset ds, v0001" in (tmp_path / "r.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--version", "v0009"], "no such version"),
        (["--out", "{dataset}/v0001/report.html"], "immutable"),
    ],
)
def test_wrong_requests_are_one_line_and_exit_1(
    dataset: Path, tmp_path: Path, args: list[str], said: str
) -> None:
    given = [a.format(dataset=dataset) for a in args]
    if "--out" not in given:
        given += ["--out", str(tmp_path / "r.html")]
    code, output = report(str(dataset), *given)
    assert code == 1
    assert output.startswith("Error: ") and said in output and "Traceback" not in output
    assert not (dataset / "v0001" / "report.html").exists()


def test_out_is_required(dataset: Path) -> None:
    code, output = report(str(dataset))
    assert code == 2 and "--out" in output


def test_the_page_is_self_contained(dataset: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    report(str(dataset), "--out", str(out))
    page = out.read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page)
    assert "<script" not in page and "<link" not in page and "@import" not in page


def test_the_page_opens_in_chromium_with_every_plot_drawn(dataset: Path, tmp_path: Path) -> None:
    require_chromium()
    out = tmp_path / "report.html"
    report(str(dataset), "--out", str(out))
    load = load_page(out, tmp_path / "report.png")
    load.assert_clean()
    # Composition (4), filters (2), versions (2): every plot with data is drawn.
    assert len(load.plots) >= 8
    for heading in ("Composition", "Consent", "Filters and dedup", "Versions"):
        assert heading in load.text
    assert load.title == "Dataset ds, v0002"


def test_a_missing_shard_is_one_line_naming_verify(dataset: Path, tmp_path: Path) -> None:
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(dataset / "v0001", broken / "v0001")
    next((broken / "v0001" / "shards").glob("*.parquet")).unlink()
    code, output = report(str(broken), "--out", str(tmp_path / "r.html"))
    assert code == 1 and output.startswith("Error: ") and "gleaner verify" in output
    assert "Traceback" not in output and not (tmp_path / "r.html").exists()
