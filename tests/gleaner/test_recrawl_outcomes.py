"""A recrawl of the example web: 304s and a refused content type are outcomes, not opt-outs.

Run 1 fetches a few pages of two publishers (``open``, and ``extended``, whose robots.txt
refuses ``Gleaner-Extended`` under ``/members/``) and the open publisher's stylesheet, a type
the job does not take. Run 2 asks again for every known page and gets ``304``s. Only the
publisher's refusal may show as an opt-out, in the rows and in ``stats.json``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from gleaner.exampleweb import PUBLISHERS, ExampleWeb
from record import OUTCOMES
from tests.adversarial.test_recrawl import documented
from tests.crawler.conftest import crawl

JOB = """\
[job]
name = "recrawl"
output = "{output}"
seeds = [{seeds}]
[scope]
allowed_hosts = ["127.0.0.1"]
allow_private = ["127.0.0.1"]
max_depth = 1
max_pages_per_host = 2
[limits]
content_types = ["text/html"]
[identity]
user_agent = "Mozilla/5.0 (compatible; Gleaner/0.1; +https://gleaner.invalid/bot)"
"""


@dataclass
class Runs:
    first: Path
    second: Path
    stylesheet: str

    def rows(self, run: Path, where: str) -> list[dict[str, Any]]:
        rel = duckdb.sql(
            f"SELECT * FROM read_parquet('{run}/decisions/*.parquet') WHERE {where} ORDER BY url"
        )
        return [dict(zip(rel.columns, row, strict=True)) for row in rel.fetchall()]


def member_page() -> str:
    return next(p.path for p in PUBLISHERS["extended"].pages if p.path.startswith("/members/"))


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    tmp_path = tmp_path_factory.mktemp("recrawl-exampleweb")
    with ExampleWeb() as web:
        stylesheet = web.base_urls["open"] + "/static/site.css"
        seeds = [web.base_urls["open"] + "/", web.base_urls["extended"] + member_page(), stylesheet]
        quoted = ", ".join(f'"{s}"' for s in seeds)
        (tmp_path / "job.toml").write_text(JOB.format(output=tmp_path / "runs", seeds=quoted))
        first = crawl(tmp_path)
        second = crawl(tmp_path)  # the same job again: every known page is asked conditionally
    yield Runs(first, second, stylesheet)


def stats(run: Path) -> dict[str, Any]:
    return dict(json.loads((run / "stats.json").read_text()))


def test_a_refused_type_is_recorded_as_an_outcome(runs: Runs) -> None:
    [row] = runs.rows(runs.first, f"stage = 'page' AND url = '{runs.stylesheet}'")
    assert (row["outcome"], row["http_status"]) == ("content_type", 200)
    assert (row["may_train"], row["training_signal"], row["deciding_signal"]) == (
        None,
        "unknown",
        None,
    )
    assert row["evidence"] == "Content-Type: text/css; charset=utf-8"


def test_the_recrawl_gets_304s_recorded_as_outcomes(runs: Runs) -> None:
    revisits = runs.rows(runs.second, "stage = 'page' AND http_status = 304")
    assert revisits, "run 2 asks again for what run 1 fetched"
    assert {r["outcome"] for r in revisits} == {"not_modified"}
    # A publisher that refuses training (robots.txt, a TDMRep file) stays on record at the 304.
    refused = [r for r in revisits if r["training_signal"] == "disallowed"]
    assert all(r["may_train"] is False and r["deciding_signal"] for r in refused)
    members = [r["deciding_signal"] for r in refused if "/members/" in r["url"]]
    assert members == ["robots_training_token"]
    others = [r for r in revisits if r["training_signal"] != "disallowed"]
    assert others and all((r["may_train"], r["deciding_signal"]) == (None, None) for r in others)
    counters = stats(runs.second)
    assert counters["policy/page/outcome/not_modified"] == len(others)
    opt_outs = Counter(f"policy/page/opt_out/{r['deciding_signal']}" for r in refused)
    assert {k: v for k, v in counters.items() if "/opt_out/" in k} == opt_outs


@pytest.mark.parametrize("run", ["first", "second"])
def test_no_outcome_is_counted_as_an_opt_out(runs: Runs, run: str) -> None:
    folder = getattr(runs, run)
    opt_outs = {k.rsplit("/", 1)[1] for k in stats(folder) if k.startswith("policy/page/opt_out/")}
    assert opt_outs and not opt_outs & set(OUTCOMES)
    con = duckdb.connect()
    con.execute(f"CREATE VIEW decisions AS SELECT * FROM read_parquet('{folder}/decisions/*')")
    by_signal = con.execute(documented("Opt-outs by signal")).fetchall()
    signals = {signal for signal, *_ in by_signal}
    assert "robots_training_token" in signals and not signals & set(OUTCOMES)
