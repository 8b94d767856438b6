"""``gleaner optout refresh`` on the example web: a publisher opts out after the crawl.

One story, told once per module: crawl two publishers (plus the licensed sample), build,
refresh with nothing changed, flip one publisher's robots.txt to refuse the training token
(the crawl token keeps its rules), refresh, take the other publisher down, refresh. Each
test checks one thing the story must show, against the parent version as ground truth and
the example web's own request log.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from crawler.spawn import crawl_in_subprocess
from gleaner.cli import cli
from gleaner.demo import demo_job
from gleaner.exampleweb import PUBLISHERS, TRAINING_TOKEN, ExampleWeb, RequestLogEntry
from gleaner.optout_refresh import RefreshResult, refresh_dataset
from gleaner.samples import LICENSED_SAMPLE_MANIFEST
from pipeline.build import build
from pipeline.config import BuildConfig
from pipeline.lineage import read_manifest, view

LATE, OTHER = "aipref", "noai"  # the publisher that opts out late, and one that does not


@dataclass(frozen=True)
class Story:
    dataset: Path
    first: Path  # the version built from the crawl
    bases: dict[str, str]
    unchanged: RefreshResult
    dry: RefreshResult
    flipped: RefreshResult
    flip_requests: list[RequestLogEntry]
    down: RefreshResult
    job: Path


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    out = tmp_path_factory.mktemp("refresh")
    publishers = {name: PUBLISHERS[name] for name in (LATE, OTHER)}
    with ExampleWeb(publishers=publishers) as web:
        job = out / "job.toml"
        job.write_text(demo_job([f"{u}/" for u in web.base_urls.values()], out / "runs"))
        run = crawl_in_subprocess(job)
        dataset = out / "datasets" / "news"
        first = build(
            BuildConfig(
                output=dataset,
                crawls=(run,),
                licensed=(LICENSED_SAMPLE_MANIFEST,),
                workers=2,
                max_rows_per_shard=40,  # several shards, so that some hold none of LATE's
            )
        ).version
        unchanged = refresh_dataset(dataset)
        web.opt_out_of_training(LATE)
        dry = refresh_dataset(dataset, dry_run=True)
        before = len(web.requests)
        flipped = refresh_dataset(dataset)
        flip_requests = web.requests[before:]
        web.stop_publisher(OTHER)
        down = refresh_dataset(dataset, job=job)
        return Story(
            dataset, first, web.base_urls, unchanged, dry, flipped, flip_requests, down, job
        )


def _rows(version: Path, columns: list[str]) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    for shard in view(version).shards:
        found += pq.read_table(shard, columns=columns).to_pylist()
    return found


def _ids_of(version: Path, base: str) -> set[str]:
    rows = _rows(version, ["id", "url"])
    return {str(r["id"]) for r in rows if str(r["url"] or "").startswith(base + "/")}


def test_a_refresh_with_nothing_changed_writes_no_version(story: Story) -> None:
    assert story.unchanged.derived.version is None
    assert not story.unchanged.derived.removals
    assert all(h.before == h.after for h in story.unchanged.hosts)
    assert (story.unchanged.run / "state" / "finished").is_file()


def test_a_dry_run_judges_and_writes_nothing(story: Story) -> None:
    assert story.dry.derived.version is None
    late = _ids_of(story.first, story.bases[LATE])
    assert {r["id"] for r in story.dry.derived.removals} == late


def test_the_refresh_requests_only_site_files_politely_and_identified(story: Story) -> None:
    assert story.flip_requests
    paths = {e.path for e in story.flip_requests}
    assert paths <= {"/robots.txt", "/.well-known/tdmrep.json"}
    job_agent = "Mozilla/5.0 (compatible; Gleaner/0.1; +https://gleaner.invalid/bot)"
    assert {e.user_agent for e in story.flip_requests} == {job_agent}
    for name in (LATE, OTHER):
        stamps = sorted(e.time for e in story.flip_requests if e.publisher == name)
        assert stamps[:1] and all(b - a >= 1.0 - 0.001 for a, b in pairwise(stamps)), name


def test_exactly_the_late_publishers_documents_are_removed(story: Story) -> None:
    new = story.flipped.derived.version
    assert new is not None
    late = _ids_of(story.first, story.bases[LATE])
    assert late
    assert {r["id"] for r in story.flipped.derived.removals} == late
    after = {str(r["id"]) for r in _rows(new, ["id"])}
    before = {str(r["id"]) for r in _rows(story.first, ["id"])}
    assert after == before - late


def test_untouched_shards_are_hard_links_of_the_parents(story: Story) -> None:
    new = story.flipped.derived.version
    assert new is not None
    late = _ids_of(story.first, story.bases[LATE])
    reused = 0
    for entry in read_manifest(story.first)["shards"]:
        ids = set(pq.read_table(story.first / entry["path"], columns=["id"])["id"].to_pylist())
        if ids & late:
            continue
        reused += 1
        old, now = os.stat(story.first / entry["path"]), os.stat(new / entry["path"])
        assert (old.st_dev, old.st_ino) == (now.st_dev, now.st_ino), entry["path"]
    assert reused


def test_removals_name_the_signal_and_the_new_robots_digest(story: Story) -> None:
    new = story.flipped.derived.version
    assert new is not None
    rows = pq.read_table(new / "removals.parquet").to_pylist()
    digest = _new_digest(story.flipped.run, story.bases[LATE])
    for row in rows:
        assert row["reason"] == "opt_out/robots_training_token"
        assert row["rule"] == "Disallow: /"
        assert digest in row["evidence"] and TRAINING_TOKEN in row["evidence"]
        assert row["request"] == "optout refresh" and row["removed_from"] == story.first.name


def _new_digest(run: Path, base: str) -> str:
    rows = pq.read_table(run / "robots").to_pylist()
    (row,) = [r for r in rows if r["authority"] == base]
    return str(row["sha256"])


def test_refresh_rows_land_in_the_logs_with_their_stage(story: Story) -> None:
    decisions = pq.read_table(story.flipped.run / "decisions").to_pylist()
    assert {d["stage"] for d in decisions} == {"refresh"}
    late = [d for d in decisions if d["url"] == story.bases[LATE] + "/"]
    assert late and late[0]["may_fetch"] and late[0]["training_signal"] == "disallowed"
    assert story.flipped.run in [
        Path(r) for r in read_manifest(story.flipped.derived.version)["crawl_runs"]
    ]  # type: ignore[arg-type]


def test_an_unreachable_robots_txt_removes_the_hosts_documents(story: Story) -> None:
    new, parent = story.down.derived.version, story.flipped.derived.version
    assert new is not None and parent is not None
    other = _ids_of(parent, story.bases[OTHER])
    assert other and {r["id"] for r in story.down.derived.removals} == other
    rows = pq.read_table(new / "removals.parquet").to_pylist()
    assert {r["reason"] for r in rows} == {"robots_unreachable"}
    assert all("unreachable" in r["evidence"] for r in rows)


def test_the_new_versions_verify(story: Story) -> None:
    for version in (story.flipped.derived.version, story.down.derived.version):
        result = CliRunner().invoke(cli, ["verify", str(version)])
        assert result.exit_code == 0, result.output


def test_the_audit_shows_the_late_opt_out_with_both_digests(
    story: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    host = story.bases[LATE].split("//")[1]
    monkeypatch.chdir(story.dataset.parents[1])  # a relative dataset path, as a user types it
    relative = story.dataset.relative_to(story.dataset.parents[1])
    args = ["audit", str(relative), "--host", host, "--format", "json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    audit = json.loads(result.stdout)
    fetches = audit["robots_fetches"]
    # The crawl's fetch, then one per refresh that asked this host (unchanged, dry run,
    # flip; the last refresh no longer asks it: none of its documents is left), each once.
    runs = [f["run"] for f in fetches]
    assert len(runs) == len(set(runs)) == 4, runs
    digests = list(dict.fromkeys(f["sha256"] for f in fetches if f["sha256"]))
    assert len(digests) == 2  # the crawl's robots.txt, and the one refusing training
    before, after = digests
    assert any(
        (c["from_sha256"], c["to_sha256"]) == (before, after) for c in audit["robots_changes"]
    )
    removed = {r["id"] for r in audit["removals"]}
    assert removed == _ids_of(story.first, story.bases[LATE])
