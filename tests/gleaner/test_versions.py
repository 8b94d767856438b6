"""``gleaner remove`` and ``gleaner expire`` on a real small dataset."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from gleaner.cli import cli
from tests.pipeline.versions.datasets import build_dataset


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_dataset(tmp_path_factory.mktemp("cli-versions"))


@pytest.fixture
def dataset(built: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built, tmp_path / "ds"))


def gleaner(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.output


def test_remove_by_host_prints_what_it_removed_and_the_version(dataset: Path) -> None:
    code, output = gleaner("remove", dataset, "--host", "127.0.0.1:8001", "--reason", "mail")
    assert code == 0, output
    assert output.splitlines() == [
        "removed 4 document(s) from v0001:",
        "        4  127.0.0.1:8001  web",
        f"{dataset / 'v0002'}: 12 documents",
    ]
    rows = pq.read_table(dataset / "v0002" / "removals.parquet").to_pylist()
    assert {(r["reason"], r["note"], r["request"]) for r in rows} == {
        ("requested", "mail", "remove")
    }


def test_remove_by_url_prefix(dataset: Path) -> None:
    prefix = "http://127.0.0.1:8003/news/1"
    code, output = gleaner("remove", dataset, "--url-prefix", prefix, "--reason", "contract 12")
    assert code == 0, output
    assert "        2  127.0.0.1:8003  web" in output.splitlines()


def test_a_dry_run_counts_and_writes_nothing(dataset: Path) -> None:
    code, output = gleaner(
        "remove", dataset, "--licensor", "Acme Ltd.", "--reason", "x", "--dry-run"
    )
    assert code == 0, output
    assert output.splitlines() == [
        "would remove 4 document(s) from v0001:",
        "        4  -  acme",
        "dry run: no version written",
    ]
    assert sorted(p.name for p in dataset.iterdir()) == ["v0001"]


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["--reason", "x"], "give exactly one of --host, --domain", 2),
        (["--host", "a", "--id", "b", "--reason", "x"], "give exactly one of", 2),
        (["--host", "127.0.0.1:8001"], "Missing option '--reason'", 2),
        (
            ["--host", "127.0.0.1:9999", "--reason", "x"],
            "nothing in v0001 matches --host 127.0.0.1:9999: no version written",
            1,
        ),
    ],
)
def test_remove_refusals_are_one_line(
    dataset: Path, args: list[str], message: str, code: int
) -> None:
    exit_code, output = gleaner("remove", dataset, *args)
    assert exit_code == code
    assert output.splitlines()[-1].startswith("Error: ") and message in output
    assert sorted(p.name for p in dataset.iterdir()) == ["v0001"]


def test_expire_on_a_day_after_the_licence(dataset: Path) -> None:
    code, output = gleaner("expire", dataset, "--on", "2030-01-02")
    assert code == 0, output
    assert output.splitlines() == [
        "removed 4 document(s) from v0001:",
        "        4  -  acme",
        f"{dataset / 'v0002'}: 12 documents",
    ]


def test_expire_with_nothing_expired_says_so(dataset: Path) -> None:
    code, output = gleaner("expire", dataset, "--on", "2030-01-01")
    assert code == 0
    assert (
        output == f"{dataset}: no licence in v0001 expired before 2030-01-01: no version written\n"
    )
    assert sorted(p.name for p in dataset.iterdir()) == ["v0001"]


def test_a_folder_without_versions_is_one_line(tmp_path: Path) -> None:
    code, output = gleaner("expire", tmp_path)
    assert code == 1
    assert output == f"Error: {tmp_path}: not a dataset version and holds no versions\n"


def test_a_version_folder_is_refused_for_its_dataset(dataset: Path) -> None:
    code, output = gleaner("remove", dataset / "v0001", "--id", "x", "--reason", "r")
    assert code == 1
    assert output == (
        f"Error: {dataset / 'v0001'}: a version folder; give its dataset folder ({dataset})\n"
    )
