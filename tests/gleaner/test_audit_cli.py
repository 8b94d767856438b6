"""``gleaner audit``: text for people, JSON as docs/audit.md documents it, one-line errors."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from gleaner.cli import cli
from pipeline.audit import SECTIONS
from tests.gleaner.browser import load_page, require_chromium
from tests.pipeline.audit.crawled import Crawled, crawl_and_build

DOC = Path(__file__).parents[2] / "docs" / "audit.md"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Crawled:
    return crawl_and_build(tmp_path_factory.mktemp("audit-cli"))


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["audit", *args])
    return result.exit_code, result.output


def documented_keys() -> set[str]:
    """Every key the JSON example in docs/audit.md shows, at any depth."""
    example = DOC.read_text(encoding="utf-8").split("```json\n", 1)[1].split("\n```", 1)[0]
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            found.update(value)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads(example))
    return found


def keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys(v)}
    return set()


def test_text_names_the_digest_the_rules_the_refusals_and_the_documents(crawled: Crawled) -> None:
    code, out = run(str(crawled.dataset), "--host", crawled.hosts["extended"])
    assert code == 0
    data = json.loads(
        run(str(crawled.dataset), "--host", crawled.hosts["extended"], "--format", "json")[1]
    )
    [fetch] = data["robots_fetches"]
    assert f"sha256 {fetch['sha256']}" in out
    assert "training token Gleaner-Extended: User-agent: Gleaner-Extended" in out
    assert re.search(r"line \d+: Disallow: /members/", out)
    assert "robots_training_token: Disallow: /premium/" in out
    for doc in data["documents"]:
        assert doc["url"] in out
    assert "admitted " in out


def test_json_is_complete_and_every_key_is_documented(crawled: Crawled) -> None:
    code, out = run(str(crawled.dataset), "--host", crawled.hosts["extended"], "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["format_version"] == 1
    assert list(data)[-len(SECTIONS) :] == list(SECTIONS)
    assert data["publisher"] == {"host": crawled.hosts["extended"]}
    assert keys(data) <= documented_keys()


def test_out_writes_the_file_whole(crawled: Crawled, tmp_path: Path) -> None:
    target = tmp_path / "audit.json"
    code, _ = run(
        str(crawled.dataset),
        "--host",
        crawled.hosts["open"],
        "--format",
        "json",
        "--out",
        str(target),
    )
    assert code == 0
    assert json.loads(target.read_text())["summary"]["refused_before_fetch"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["audit.json"]


def test_a_host_never_crawled_is_a_clear_empty_answer(crawled: Crawled) -> None:
    code, out = run(str(crawled.dataset), "--host", "never.example")
    assert code == 0
    assert f"no record of never.example in {crawled.dataset}" in out
    code, out = run(str(crawled.dataset), "--host", "never.example", "--format", "json")
    data = json.loads(out)
    assert data["empty"] is True
    assert all(data[name] == [] for name in SECTIONS if name != "versions")


@pytest.mark.parametrize(
    ("args", "code", "last_line"),
    [
        ((), 2, "Error: give exactly one of --host or --domain"),
        (("--host", "a.example", "--domain", "a.example"), 2, "Error: give exactly one of"),
        (("--host", "a.example", "--version", "v0009"), 1, "v0009: no such version"),
        (("--host", "a/b"), 1, "Error: --host 'a/b': give a host[:port]"),
        (("--domain", "a.example", "--format", "xml"), 2, "'xml' is not one of"),
    ],
)
def test_wrong_inputs_are_one_line(
    crawled: Crawled, args: tuple[str, ...], code: int, last_line: str
) -> None:
    got, out = run(str(crawled.dataset), *args)
    assert got == code
    assert last_line in out.strip().splitlines()[-1]
    assert "Traceback" not in out


def test_a_folder_with_no_versions_is_one_line(tmp_path: Path) -> None:
    code, out = run(str(tmp_path), "--host", "a.example")
    assert (code, out.strip()) == (
        1,
        f"Error: {tmp_path}: not a dataset version and holds no versions",
    )


def test_html_is_one_page_with_the_robots_timeline_and_the_versions_plot(
    crawled: Crawled, tmp_path: Path
) -> None:
    target = tmp_path / "audit.html"
    code, _ = run(
        str(crawled.dataset),
        "--host",
        crawled.hosts["extended"],
        "--format",
        "html",
        "--out",
        str(target),
    )
    assert code == 0
    page = target.read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert 'aria-label="robots.txt fetches (digest; changes marked)"' in page
    assert 'aria-label="Documents per version"' in page
    data = json.loads(
        run(str(crawled.dataset), "--host", crawled.hosts["extended"], "--format", "json")[1]
    )
    assert data["robots_fetches"][0]["sha256"] in page
    assert all(doc["id"] in page for doc in data["documents"])
    assert "<script" not in page and "src=" not in page


def test_html_of_a_host_never_crawled_says_so(crawled: Crawled) -> None:
    code, out = run(str(crawled.dataset), "--host", "never.example", "--format", "html")
    assert code == 0
    assert f"no record of never.example in {crawled.dataset}" in out


def test_a_removal_is_listed_with_its_reason_and_the_version_that_made_it(
    crawled: Crawled, tmp_path: Path
) -> None:
    dataset = tmp_path / "ds"
    shutil.copytree(crawled.dataset, dataset)
    host = crawled.hosts["extended"]
    before = json.loads(run(str(dataset), "--host", host, "--format", "json")[1])
    gone = before["documents"][0]
    removed = CliRunner().invoke(
        cli, ["remove", str(dataset), "--id", gone["id"], "--reason", "mail of 2026-12-01"]
    )
    assert removed.exit_code == 0, removed.output
    after = json.loads(run(str(dataset), "--host", host, "--format", "json")[1])
    [removal] = after["removals"]
    assert (removal["id"], removal["version"], removal["removed_from"]) == (
        gone["id"],
        "v0002",
        "v0001",
    )
    assert (removal["reason"], removal["request"], removal["note"]) == (
        "requested",
        "remove",
        "mail of 2026-12-01",
    )
    assert [(v["version"], v["kind"], v["removed"]) for v in after["versions"]] == [
        ("v0001", "build", 0),
        ("v0002", "remove", 1),
    ]
    kept = {d["id"]: d["versions"] for d in after["documents"]}
    assert kept[gone["id"]] == ["v0001"]
    assert all(v == ["v0001", "v0002"] for i, v in kept.items() if i != gone["id"])
    _, text = run(str(dataset), "--host", host)
    assert f"v0002  {gone['url']}  requested" in text
    assert "note: mail of 2026-12-01" in text


def test_the_html_page_opens_in_chromium_with_every_plot_drawn(
    crawled: Crawled, tmp_path: Path
) -> None:
    require_chromium()
    out = tmp_path / "audit.html"
    code, _ = run(
        str(crawled.dataset),
        "--host",
        crawled.hosts["extended"],
        "--format",
        "html",
        "--out",
        str(out),
    )
    assert code == 0
    load = load_page(out, tmp_path / "audit.png")
    load.assert_clean()
    labels = {plot["label"] for plot in load.plots}
    assert labels == {
        "robots.txt fetches (digest; changes marked)",
        "Documents per version",
        "Refusals by signal",
    }
    assert load.title == f"Audit of host {crawled.hosts['extended']}"
