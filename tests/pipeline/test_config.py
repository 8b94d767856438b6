from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.config import load_build_config
from pipeline.errors import ConfigError
from pipeline.filters import FiltersConfig, LanguageConfig, filter_steps
from pipeline.filters.gopher import QualityConfig

GOOD = """
output = "out"
[inputs]
warcs = ["in"]
[quality]
min_words = 20
[filters.language]
languages = ["en", "de"]
min_score = 0.5
[filters.repetition]
top_ngrams = [[2, 0.25]]
[filters.pii]
phones = false
[filters.c4]
enabled = false
[extract]
timeout = 5
"""


def test_filter_tables_reach_the_steps(tmp_path: Path) -> None:
    path = tmp_path / "build.toml"
    path.write_text(GOOD)
    cfg = load_build_config(path)
    assert cfg.quality.min_words == 20 and cfg.extract_timeout == 5
    assert cfg.filters.language == LanguageConfig(languages=("en", "de"), min_score=0.5)
    assert cfg.filters.repetition.top_ngrams == ((2, 0.25),)
    names = [s.name for s in filter_steps(cfg.quality, cfg.filters)]
    assert names == ["language", "repetition", "quality", "fineweb", "pii"]
    assert cfg.to_json()["filters"]["language"]["languages"] == ("en", "de")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("[filters.nope]\nx = 1\n", "unknown table [filters.nope]; known: c4, fineweb,"),
        ("[filters.c44]\nx = 1\n", "unknown table [filters.c44]; did you mean [filters.c4]?"),
        (
            "[filters.language]\nlanguage = 'en'\n",
            "unknown key [filters.language] language; did you mean languages?",
        ),
        ("[quality]\nmin_wordz = 1\n", "unknown key [quality] min_wordz; did you mean min_words?"),
        ("[qualty]\nmin_words = 1\n", "unknown table [qualty]; did you mean [quality]?"),
        ("[dedup]\njacard = 0.9\n", "unknown key [dedup] jacard; did you mean jaccard?"),
        ("[consent]\nthird_party = 'allow'\n", "did you mean third_party_training?"),
        ("[extract]\ntimout = 5\n", "unknown key [extract] timout; did you mean timeout?"),
        ("[shards]\nmax_row = 5\n", "unknown key [shards] max_row; did you mean max_rows?"),
        ("worker = 2\n", "unknown key worker; did you mean workers?"),
        ("[inputs]\ncrawl = ['x']\n", "unknown key [inputs] crawl; did you mean crawls?"),
        ("inputs = 3\n", "[inputs] must be a table"),
        ("[extract]\ntimeout = 0\n", "[extract] timeout (0) must be > 0"),
        ("executor = 'spark'\n", "executor ('spark') must be 'local' or 'ray'"),
        ("ray_address = 'h:6379'\n", "ray_address ('h:6379') needs executor 'ray'"),
        ("executor = 'ray'\nray_adress = 'h:6379'\n", "did you mean ray_address?"),
    ],
)
def test_bad_filter_settings_are_refused_naming_them(
    tmp_path: Path, extra: str, message: str
) -> None:
    path = tmp_path / "build.toml"
    inputs = "" if extra.startswith(("[inputs]", "inputs")) else '[inputs]\nwarcs = ["in"]\n'
    if extra.startswith("["):  # a table goes last, a top-level key before every table
        path.write_text('output = "out"\n' + inputs + extra)
    else:
        path.write_text(extra + 'output = "out"\n' + inputs)
    with pytest.raises(ConfigError, match=f"^{re.escape(str(path))}: .*{re.escape(message)}"):
        load_build_config(path)


def test_the_executor_keys_and_flags(tmp_path: Path) -> None:
    path = tmp_path / "build.toml"
    path.write_text('executor = "ray"\nray_address = "10.0.0.5:6379"\n[inputs]\nwarcs = ["in"]\n')
    assert (load_build_config(path).executor, load_build_config(path).ray_address) == (
        "ray",
        "10.0.0.5:6379",
    )
    local = load_build_config(path, executor="local", ray_address="")
    assert local.executor == "local" and local.ray_address == "", "a flag wins over the file"
    path.write_text('[inputs]\nwarcs = ["in"]\n')
    assert load_build_config(path).executor == "local", "local unless asked"


def test_everything_is_on_by_default() -> None:
    steps = filter_steps(QualityConfig(), FiltersConfig())
    assert [s.name for s in steps] == ["language", "repetition", "quality", "c4", "fineweb", "pii"]
