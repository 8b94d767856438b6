"""Issue 9, item 4: a build trusts input content, not names, and dies with its parent.

Each test is one finding: a resume that reused work from a changed input, a
manifest without checksums of a corpus's data files, workers that outlived a
``kill -9`` of the build and kept writing, ARC documents whose ids changed on
every read, and two ``example.arc.gz`` from different folders sharing a name.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipeline import BuildConfig
from pipeline.build import build, plan_units
from pipeline.executor import run_and_mark, run_units
from pipeline.readers import WarcReader
from pipeline.resume import start_or_resume
from pipeline.shards import file_sha256
from tests.pipeline.conftest import ARTICLE, OTHER, make_warc

HTML = "text/html; charset=utf-8"
HARBOUR = (
    "The harbour was quiet in the early morning, and the fishermen had already gone out to sea "
    "with their nets. Along the quay the market traders were setting up their stalls, arranging "
    "crates of apples and pears that had come down from the hills the evening before, while the "
    "baker at the corner of the square opened his shutters and the smell of bread drifted over."
)
MOUNTAIN = (
    "Up in the valley the last walkers were coming down from the ridge as the light turned amber, "
    "their boots heavy with the mud of the upper path. The hut warden counted them in at the door "
    "and wrote each name in a ledger that had been kept since the first refuge was built on the "
    "col, and inside a stove ticked as it warmed while soup was served in tin bowls to everyone."
)
CORPUS = """\
[corpus]
name = "acme"
licensor = "Acme Ltd."
license = "CC-BY-4.0"
training_allowed = true
valid_from = 2026-01-01
valid_until = 2026-12-31
[[files]]
path = "docs.jsonl"
[files.fields]
id = "id"
text = "body"
"""


def _config(tmp_path: Path, **inputs: object) -> BuildConfig:
    values: dict[str, object] = {
        "output": tmp_path / "ds",
        "workers": 1,
        "third_party_training": "allow",
        "build_date": date(2026, 6, 1),
        **inputs,
    }
    return BuildConfig(**values)  # type: ignore[arg-type]


def _texts(version: Path) -> list[str]:
    rows = duckdb.sql(f"SELECT text FROM read_parquet('{version}/shards/*.parquet')").fetchall()
    return [text for (text,) in rows]


def _corpus(folder: Path, body: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "docs.jsonl").write_text(json.dumps({"id": "1", "body": body}) + "\n")
    manifest = folder / "manifest.toml"
    manifest.write_text(CORPUS)
    return manifest


def _warcs(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    make_warc(folder / "a.warc.gz", [("http://127.0.0.1:1/harbour", ARTICLE, 200, HTML)])
    make_warc(folder / "b.warc.gz", [("http://127.0.0.1:2/mountain", OTHER, 200, HTML)])
    return folder


def _change_warc(inputs: Path) -> None:
    make_warc(inputs / "a.warc.gz", [("http://127.0.0.1:1/mountain", OTHER, 200, HTML)])


def _change_corpus(inputs: Path) -> None:
    _corpus(inputs, MOUNTAIN)  # rewrites docs.jsonl; manifest.toml is byte-identical


# (finding, input kind, make the inputs, change unit 0's content, text only the change has)
CHANGED_INPUTS = [
    ("resume_redoes_a_warc_whose_content_changed", "warcs", _warcs, _change_warc, "hut warden"),
    (
        "resume_redoes_a_corpus_whose_data_file_changed_under_the_same_manifest",
        "licensed",
        lambda folder: _corpus(folder, HARBOUR),
        _change_corpus,
        "hut warden",
    ),
]


@pytest.mark.parametrize(
    ("finding", "kind", "make", "change", "new_text"),
    CHANGED_INPUTS,
    ids=[row[0] for row in CHANGED_INPUTS],
)
def test_resume_with_a_changed_input(
    tmp_path: Path,
    finding: str,
    kind: str,
    make: Callable[[Path], Path],
    change: Callable[[Path], None],
    new_text: str,
) -> None:
    inputs = tmp_path / "in"
    config = _config(tmp_path, **{kind: (make(inputs),)})
    units, _ = plan_units(config)
    version = start_or_resume(config, units)
    run_units(units[:1], config, version.staging / "work")  # killed after unit 0
    change(inputs)
    resumed = build(_config(tmp_path, resume=True, **{kind: getattr(config, kind)}))
    texts = _texts(resumed.version)
    assert any(new_text in text for text in texts), "the changed input was read again"
    assert not any("fishermen" in text for text in texts), "no output of the old content is left"


def test_manifest_checksums_every_data_file_of_a_licensed_corpus(tmp_path: Path) -> None:
    manifest = _corpus(tmp_path / "corpus", HARBOUR)
    result = build(_config(tmp_path, licensed=(manifest,)))
    written = json.loads((result.version / "manifest.json").read_text())
    data = tmp_path / "corpus" / "docs.jsonl"
    assert {(f["path"], f["sha256"]) for f in written["inputs"][0]["files"]} == {
        (str(manifest.resolve()), file_sha256(manifest)),
        (str(data.resolve()), file_sha256(data)),
    }


def _arc(path: Path, url: str, html: str) -> Path:
    """An ARC file, one gzip member per record as ARC tools write them."""
    body = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + html.encode()
    version = b"1 0 Example\nURL IP-address Archive-date Content-type Archive-length\n\n"
    header = f"filedesc://{path.name} 0.0.0.0 20240101000000 text/plain {len(version)}\n"
    line = f"{url} 10.0.0.1 20240101000000 text/html {len(body)}\n".encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        gzip.compress(header.encode() + version + b"\n") + gzip.compress(line + body + b"\n")
    )
    return path


def test_arc_documents_keep_their_ids_from_read_to_read(tmp_path: Path) -> None:
    arc = _arc(tmp_path / "example.arc.gz", "http://127.0.0.1:1/harbour", ARTICLE)
    first, second = list(WarcReader(arc)()), list(WarcReader(arc)())
    assert len(first) == 1 and [d.id for d in first] == [d.id for d in second]
    assert [d.warc_record_id for d in first] == [d.warc_record_id for d in second]


def test_two_example_arc_gz_in_different_folders_keep_apart(tmp_path: Path) -> None:
    a = _arc(tmp_path / "a" / "example.arc.gz", "http://127.0.0.1:1/harbour", ARTICLE)
    b = _arc(tmp_path / "b" / "example.arc.gz", "http://127.0.0.1:2/mountain", OTHER)
    result = build(_config(tmp_path, warcs=(a, b)))
    rows = duckdb.sql(
        f"SELECT url, warc_file FROM read_parquet('{result.version}/shards/*.parquet') ORDER BY url"
    ).fetchall()
    assert rows == [
        ("http://127.0.0.1:1/harbour", "a/example.arc.gz"),
        ("http://127.0.0.1:2/mountain", "b/example.arc.gz"),
    ]


def test_a_worker_whose_staging_folder_was_taken_over_writes_nothing(tmp_path: Path) -> None:
    from pipeline.errors import StagingLost  # new API: imported here so the other tests
    from pipeline.lease import StagingLease  # still run against code that lacks it

    config = _config(tmp_path, warcs=(_warcs(tmp_path / "in"),))
    units, _ = plan_units(config)
    work = start_or_resume(config, units).staging / "work"
    stale = StagingLease.claim(work)
    StagingLease.claim(work)  # a resumed build takes the folder over
    with pytest.raises(StagingLost, match="taken this folder over"):
        run_and_mark(units[0], config, work, work.parent / "completions", stale)
    assert not list(work.glob("*.parquet")) and not (work.parent / "completions").exists()


# --- kill -9 of a running build ---------------------------------------------------------------

PAGES_PER_INPUT = 30
INPUTS = 8


def _proc_table() -> dict[int, tuple[int, str, str]]:
    """pid -> (parent pid, state, start time) of every live process, from /proc."""
    table: dict[int, tuple[int, str, str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        table[int(entry.name)] = (int(fields[1]), fields[0], fields[19])
    return table


def _descendants(root: int) -> set[tuple[int, str]]:
    """(pid, start time) of every process below ``root``, so a reused pid is not mistaken."""
    table, found, todo = _proc_table(), set(), [root]
    while todo:
        parent = todo.pop()
        for pid, (ppid, _state, started) in table.items():
            if ppid == parent:
                found.add((pid, started))
                todo.append(pid)
    return found


def _alive(processes: set[tuple[int, str]]) -> set[tuple[int, str]]:
    table = _proc_table()
    return {
        (pid, started)
        for pid, started in processes
        if pid in table and table[pid][2] == started and table[pid][1] != "Z"
    }


def _poll(condition: Callable[[], bool], limit: float) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def _outputs(dataset: Path) -> set[str]:
    """Completion markers and finished work files in the staging folder."""
    staging = dataset / ".building-v0001"
    found = {p.name for p in (staging / "completions").glob("*.json")}
    return found | {p.name for p in (staging / "work").glob("*.parquet")}


def _many_inputs(folder: Path) -> Path:
    folder.mkdir()
    for i in range(INPUTS):
        pages = [
            (
                f"http://127.0.0.1:{i + 1}/page-{n}",
                ARTICLE.replace("quiet", f"quiet {n}"),
                200,
                HTML,
            )
            for n in range(PAGES_PER_INPUT)
        ]
        make_warc(folder / f"input-{i:02d}.warc.gz", pages)
    return folder


def _gleaner_build(inputs: Path, dataset: Path, *flags: str) -> list[str]:
    return [
        sys.executable,
        "-c",
        "from gleaner.cli import main; main()",
        "build",
        "--warc",
        str(inputs),
        "--output",
        str(dataset),
        "--workers",
        "2",
        "--third-party-training",
        "allow",
        *flags,
    ]


Tree = set[tuple[int, str]]


@pytest.fixture
def running_build(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], Path, Tree]]:
    """A real two-worker build; ``Tree`` collects its processes as the test sees them."""
    inputs = _many_inputs(tmp_path / "in")
    process = subprocess.Popen(_gleaner_build(inputs, tmp_path / "ds"), stderr=subprocess.DEVNULL)
    tree: Tree = set()
    try:
        yield process, inputs, tree
    finally:
        tree |= _descendants(process.pid)
        process.kill()
        process.wait()
        for pid, _ in _alive(tree):  # only when the test failed: what it started and left
            os.kill(pid, signal.SIGKILL)


def test_kill_9_of_the_build_leaves_no_worker_behind_and_resume_finishes(
    running_build: tuple[subprocess.Popen[bytes], Path, Tree], tmp_path: Path
) -> None:
    build_process, inputs, tree = running_build
    dataset = tmp_path / "ds"

    def mid_stage_one() -> bool:
        # two workers, each with its extraction sandbox, and most inputs still to do
        tree.update(_descendants(build_process.pid))
        table = _proc_table()
        workers = [pid for pid, _ in tree if table.get(pid, (0,))[0] == build_process.pid]
        sandboxes = [pid for pid, _ in tree if table.get(pid, (0,))[0] in workers]
        return len(sandboxes) >= 2

    assert _poll(mid_stage_one, 120), "the build never reached stage 1 with two workers"
    tree.update(_descendants(build_process.pid))
    before = _outputs(dataset)
    build_process.send_signal(signal.SIGKILL)
    build_process.wait()
    _poll(lambda: not _alive(tree), 30)
    survivors, written = _alive(tree), _outputs(dataset) - before
    assert not survivors and not written, f"still running: {survivors}; written: {written}"

    resumed = subprocess.run(
        _gleaner_build(inputs, dataset, "--resume"), capture_output=True, text=True, check=False
    )
    assert resumed.returncode == 0, resumed.stderr
    fresh = build(_config(tmp_path / "fresh", warcs=(inputs,), workers=2))
    ids = "SELECT id FROM read_parquet('{}/shards/*.parquet') ORDER BY id"
    assert (
        duckdb.sql(ids.format(dataset / "v0001")).fetchall()
        == duckdb.sql(ids.format(fresh.version)).fetchall()
    )
