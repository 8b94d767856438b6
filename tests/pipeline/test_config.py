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
        ("[filters.nope]\nx = 1\n", "unknown [filters] tables: nope"),
        ("[filters.language]\nlanguage = 'en'\n", "unknown [filters.language] keys: language"),
        ("[quality]\nmin_wordz = 1\n", "unknown [quality] keys: min_wordz"),
        ("[extract]\ntimeout = 0\n", "[extract] timeout (0) must be > 0"),
    ],
)
def test_bad_filter_settings_are_refused_naming_them(
    tmp_path: Path, extra: str, message: str
) -> None:
    path = tmp_path / "build.toml"
    path.write_text('output = "out"\n[inputs]\nwarcs = ["in"]\n' + extra)
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_build_config(path)


def test_everything_is_on_by_default() -> None:
    steps = filter_steps(QualityConfig(), FiltersConfig())
    assert [s.name for s in steps] == ["language", "repetition", "quality", "c4", "fineweb", "pii"]
