"""``gleaner tokenize`` and ``gleaner sql --tokens`` from the command line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from gleaner.cli import cli
from pipeline.tokens import read_token_manifest
from tests.pipeline.tokens.conftest import small_tokenizer, token_dataset  # noqa: F401


def invoke(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_tokenize_prints_one_summary_line(
    token_dataset: Path, small_tokenizer: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    code, stdout, _ = invoke(
        "tokenize", token_dataset, "--tokenizer", small_tokenizer, "--format", "megatron",
        "--out", out, "--validation", "0.25", "--weight", "acme=2",
    )  # fmt: skip
    assert code == 0, stdout
    manifest = read_token_manifest(out)
    train, val = manifest["counts"]["train"]["tokens"], manifest["counts"]["val"]["tokens"]
    assert stdout.splitlines()[-1] == (
        f"{out}: {train + val:,} tokens (train {train:,} / val {val:,}) from v0001 "
        "in megatron (uint16); 4 shard(s), 0 reused"
    )
    assert manifest["mixture"]["sources"] == {"acme": 2.0}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "megatron"], "give --tokenizer and --format"),
        (["--format", "megatron", "--tokenizer", "missing.json"], "cannot read the tokenizer"),
        (["--format", "megatron", "--tokenizer", "TOK", "--weight", "web"], "expected SOURCE=W"),
        (["--format", "megatron", "--tokenizer", "TOK", "--update"], "not a token output"),
        (["--format", "megatron", "--tokenizer", "TOK", "--resume"], "nothing to resume"),
    ],
)
def test_errors_are_one_line(
    token_dataset: Path, small_tokenizer: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    args = [str(small_tokenizer) if a == "TOK" else a for a in args]
    code, stdout, stderr = invoke("tokenize", token_dataset, "--out", tmp_path / "out", *args)
    assert code != 0 and message in stderr
    assert "Traceback" not in stdout + stderr
    assert not (tmp_path / "out").exists()


def test_an_existing_output_suggests_update(
    token_dataset: Path, small_tokenizer: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    options = ["--tokenizer", small_tokenizer, "--format", "nanogpt", "--out", out]
    assert invoke("tokenize", token_dataset, *options)[0] == 0
    code, _, stderr = invoke("tokenize", token_dataset, *options)
    assert code == 1 and stderr.startswith("Error: ") and "--update" in stderr
    code, stdout, _ = invoke("tokenize", token_dataset, "--update", "--out", out)
    assert code == 0 and stdout.rstrip().endswith("4 shard(s), 4 reused")


def test_sql_tokens_view_counts_tokens_per_source(
    token_dataset: Path, small_tokenizer: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    invoke(
        "tokenize",
        token_dataset,
        "--tokenizer",
        small_tokenizer,
        "--format",
        "parquet",
        "--out",
        out,
    )
    sql = "SELECT source, sum(length) AS tokens FROM tokens GROUP BY ALL ORDER BY source"
    code, stdout, stderr = invoke("sql", token_dataset, "--tokens", out, "--format", "csv", sql)
    assert code == 0, stderr
    by_source = read_token_manifest(out)["counts"]["by_source"]
    expected = [f"{s},{c['tokens']}" for s, c in sorted(by_source.items())]
    assert stdout.splitlines() == ["source,tokens", *expected]
    assert "warning" not in stderr


def test_sql_warns_when_the_tokens_are_of_another_version(
    token_dataset: Path, small_tokenizer: Path, tmp_path: Path
) -> None:
    dataset = Path(shutil.copytree(token_dataset, tmp_path / "ds"))
    out = tmp_path / "out"
    invoke("tokenize", dataset, "--tokenizer", small_tokenizer, "--format", "parquet", "--out", out)
    assert invoke("remove", dataset, "--host", "127.0.0.1:8002", "--reason", "test")[0] == 0
    code, _, stderr = invoke("sql", dataset, "--tokens", out, "SELECT count(*) FROM tokens")
    assert code == 0
    assert f"warning: {out} was made from v0001, not v0002" in stderr


def test_sql_tokens_view_is_empty_without_tokens(token_dataset: Path) -> None:
    code, stdout, _ = invoke("sql", token_dataset, "--format", "csv", "SELECT count(*) FROM tokens")
    assert code == 0 and stdout.splitlines() == ["count_star()", "0"]
