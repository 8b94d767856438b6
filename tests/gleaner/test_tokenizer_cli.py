"""``gleaner tokenizer train``: the files and a short report, or one ``Error:`` line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gleaner.cli import cli
from tests.pipeline.versions.datasets import build_dataset


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_dataset(tmp_path_factory.mktemp("tokenizer-cli"))


def train(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["tokenizer", "train", *args])
    return result.exit_code, result.output


def test_train_writes_the_tokenizer_and_its_card(dataset: Path, tmp_path: Path) -> None:
    code, output = train(
        str(dataset), "--vocab-size", "400", "--sample-chars", "5000", "--weight", "web=0",
        "--seed", "4", "--out", str(tmp_path),
    )  # fmt: skip
    assert code == 0, output
    card = json.loads((tmp_path / "tokenizer-card.json").read_text(encoding="utf-8"))
    acme = card["sampled"]["by_source"]["acme"]["chars"]
    assert list(card["sampled"]["by_source"]) == ["acme"]
    assert card["sample"] == {
        "chars": 5000,
        "mixture": {"sources": {"web": 0.0}, "languages": {}, "seed": 4},
    }
    assert f"v0001: characters sampled: acme {acme:,}\n" in output
    assert f"  by language: en {acme:,}\n" in output
    assert (tmp_path / "tokenizer.json").is_file()
    assert (tmp_path / "tokenizer_config.json").is_file()


def test_a_language_weight_is_taken(dataset: Path, tmp_path: Path) -> None:
    code, output = train(
        str(dataset), "--vocab-size", "400", "--sample-chars", "3000", "--weight", "lang:en=2",
        "--out", str(tmp_path),
    )  # fmt: skip
    assert code == 0, output
    card = json.loads((tmp_path / "tokenizer-card.json").read_text(encoding="utf-8"))
    assert card["sample"]["mixture"]["languages"] == {"en": 2.0}
    assert 0 < card["sampled"]["by_language"]["en"]["chars"] <= 3000


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--weight", "nosuch=1"],
            "Error: no nosuch in this version (sources: acme, web; languages: en)",
        ),
        (["--weight", "lang:xx=1"], "Error: no lang:xx in this version"),
        (["--weight", "web=-1"], "Error: weight of 'web' (-1.0) must be a number >= 0"),
        (["--weight", "web"], "Error: weight 'web': expected SOURCE=W or lang:CODE=W"),
        (["--preset", "49k"], "Error: give exactly one of a preset (49k, 100k)"),
        (["--version", "v0009"], "no such version"),
    ],
)
def test_a_bad_option_is_one_error_line(
    dataset: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "out"
    code, output = train(str(dataset), "--vocab-size", "400", *args, "--out", str(out))
    assert code == 1
    assert output.count("\n") == 1 and output.startswith("Error: ")
    assert message in output
    assert not out.exists()


def test_train_without_out_is_a_usage_error(dataset: Path) -> None:
    code, output = train(str(dataset), "--preset", "49k")
    assert code == 2
    assert output.splitlines()[-1] == "Error: Missing option '--out'."


@pytest.mark.parametrize(("size", "warned"), [("400", False), ("60000", True)])
def test_a_sample_too_small_for_the_vocabulary_is_named(
    dataset: Path, tmp_path: Path, size: str, warned: bool
) -> None:
    code, output = train(str(dataset), "--vocab-size", size, "--out", str(tmp_path))
    assert code == 0, output
    learned = json.loads((tmp_path / "tokenizer-card.json").read_text())["vocab_size"]
    warning = f"too little text for {int(size):,} tokens; only {learned:,} were learned"
    assert (warning in output) is warned
