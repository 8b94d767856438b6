"""``gleaner check`` and ``gleaner crawl --dry-run``: judge a file, run and write nothing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from gleaner.cli import cli
from gleaner.commands.check import file_kind
from pipeline.errors import ConfigError
from tests.crawler.conftest import Publisher, write_job

SAMPLE_MANIFEST = Path(__file__).parents[2] / "gleaner" / "samples" / "licensed" / "manifest.toml"
BUILD = 'output = "out"\n[inputs]\nwarcs = ["in"]\n[dedup]\njaccard = 0.9\n'


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def publisher() -> Iterator[Publisher]:
    pub = Publisher(routes={})
    pub.start()
    yield pub
    pub.stop()


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    shutil.copytree(SAMPLE_MANIFEST.parent, tmp_path / "licensed")
    return tmp_path / "licensed" / "manifest.toml"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("[job]\nname = 'x'\n", "job"),
        ("[jbo]\nname = 'x'\n", "job"),  # a misspelt table still says what the file is
        ("[politeness]\nmin_delay = 2\n", "job"),
        ("[corpus]\nname = 'x'\n", "manifest"),
        ("[[files]]\npath = 'x'\n", "manifest"),
        ("[inputs]\nwarcs = []\n", "build config"),
        ("workers = 2\n", "build config"),
        ("[filters.c4]\nenabled = false\n", "build config"),
    ],
)
def test_the_kind_of_file_is_told_by_its_tables(tmp_path: Path, text: str, kind: str) -> None:
    path = tmp_path / "file.toml"
    path.write_text(text)
    assert file_kind(path) == kind


@pytest.mark.parametrize("text", ["", "[zzz]\nq = 1\n", "not = [toml"])
def test_a_file_of_no_known_kind_is_one_line(tmp_path: Path, text: str) -> None:
    path = tmp_path / "file.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=f"^{path}: "):
        file_kind(path)


def test_a_job_is_printed_with_every_default_filled_in(tmp_path: Path) -> None:
    code, out, _ = run("check", str(write_job(tmp_path, "http://127.0.0.1:9/")))
    assert code == 0
    assert "a valid job" in out
    for line in ("[politeness]", "min_delay = 1.0", "max_pages_per_host = 20", "# cron (not set)"):
        assert line in out.splitlines()
    assert not (tmp_path / "runs").exists()


def test_a_manifest_is_printed_with_its_files(manifest: Path) -> None:
    code, out, _ = run("check", str(manifest))
    assert code == 0 and "a valid manifest" in out
    assert 'on_error = "raise"' in out and "[[files]]" in out


def test_a_build_config_is_printed_with_every_table(tmp_path: Path) -> None:
    path = tmp_path / "build.toml"
    path.write_text(BUILD)
    code, out, _ = run("check", str(path))
    assert code == 0 and "a valid build config" in out
    lines = out.splitlines()
    assert "jaccard = 0.9" in lines and "bands = 14" in lines and "[filters.c4]" in lines
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("kind", "old", "new", "message"),
    [
        ("job", "max_pages_per_host", "max_page_per_host", "did you mean max_pages_per_host?"),
        ("job", "[scope]", "[scop]", "unknown table [scop]; did you mean [scope]?"),
        ("job", "max_depth = 3", "max_depth = 'deep'", "[scope] max_depth ('deep') must be int"),
        ("job", "max_depth = 3", "max_depth = 0", "[scope] max_depth (0) must be at least 1"),
        ("build", "jaccard", "jacard", "unknown key [dedup] jacard; did you mean jaccard?"),
        ("build", "jaccard = 0.9", "jaccard = 2", "jaccard (2) must be in (0, 1]"),
        ("build", "[inputs]", "[input]", "unknown table [input]; did you mean [inputs]?"),
        ("manifest", "attribution", "atribution", "did you mean attribution?"),
        ("manifest", "training_allowed = true", "training_allowed = 1", "must be bool"),
    ],
)
def test_a_bad_file_is_one_line_naming_the_key_and_exit_1(
    tmp_path: Path, manifest: Path, kind: str, old: str, new: str, message: str
) -> None:
    if kind == "job":
        path = write_job(tmp_path, "http://127.0.0.1:9/")
    elif kind == "build":
        path = tmp_path / "build.toml"
        path.write_text(BUILD)
    else:
        path = manifest
    path.write_text(path.read_text().replace(old, new, 1))
    before = sorted(tmp_path.rglob("*"))
    code, out, err = run("check", str(path))
    assert code == 1 and out == ""
    assert err.startswith(f"Error: {path}: ") and message in err
    assert err.count("\n") == 1
    assert sorted(tmp_path.rglob("*")) == before


def test_a_dry_run_fetches_nothing_and_says_what_would_be_refused(
    tmp_path: Path, publisher: Publisher
) -> None:
    seeds = (f"{publisher.url}/", "http://127.0.0.2/", "http://elsewhere.example/")
    job = write_job(tmp_path, *seeds, hosts=("127.0.0.1", "127.0.0.2"))
    code, out, _ = run("crawl", str(job), "--dry-run")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"{job}: dry run, nothing fetched"
    assert f"seed {publisher.url}/ (127.0.0.1): would be requested" in lines
    assert any(
        line.startswith("seed http://127.0.0.2/ (127.0.0.2): refused by address guard")
        for line in lines
    )
    assert "seed http://elsewhere.example/: refused by scope" in out
    assert "2 of 3 refused" in lines[-1]
    assert publisher.log == [] and not (tmp_path / "runs").exists()


def test_a_dry_run_where_every_seed_is_refused_exits_1(tmp_path: Path) -> None:
    job = write_job(tmp_path, "http://127.0.0.3/")
    code, out, _ = run("crawl", str(job), "--dry-run")
    assert code == 1 and "1 of 1 refused" in out
