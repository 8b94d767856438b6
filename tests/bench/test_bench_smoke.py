"""The benchmark input generator and table, without the anchor venv or any timing."""

from __future__ import annotations

from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from bench._html import kind_for
from bench.make_input import ensure_input, make_input, page_url
from bench.report import table_cells
from bench.results import Result, Side, Unavailable, fastest
from bench.run import parse_args, row_names

ANCHOR_SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "anchors" / "datatrove_build.py"


def read_records(paths: tuple[Path, ...]) -> list[tuple[str, dict[str, str], str, bytes]]:
    """(WARC-Type, WARC headers, HTTP Content-Type, body) for every record; digests checked."""
    records = []
    for path in paths:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream, check_digests="raise"):
                http = record.http_headers
                ctype = http.get_header("Content-Type") if http else ""
                headers = dict(record.rec_headers.headers)
                records.append((record.rec_type, headers, ctype, record.content_stream().read()))
    return records


@pytest.fixture(scope="module")
def tiny_input(tmp_path_factory: pytest.TempPathFactory):
    return make_input(tmp_path_factory.mktemp("input"), docs=25, files=3, seed=0)


def test_writes_one_response_per_page_over_the_files(tiny_input):
    records = read_records(tiny_input.files)
    responses = [r for r in records if r[0] == "response"]
    assert len(tiny_input.files) == 3
    assert [r[0] for r in records].count("warcinfo") == 3
    assert len(responses) == tiny_input.docs == 25
    assert [r[1]["WARC-Target-URI"] for r in responses] == [page_url(i) for i in range(25)]


def test_responses_carry_html_headers(tiny_input):
    for rec_type, headers, ctype, body in read_records(tiny_input.files):
        if rec_type != "response":
            continue
        assert headers["WARC-Target-URI"].startswith("http://127.0.0.1:")
        assert headers["WARC-Identified-Payload-Type"] == "text/html"
        assert ctype == "text/html; charset=utf-8"
        html = body.decode("utf-8")
        assert html.startswith("<!DOCTYPE html>")
        assert "<article>" in html and html.rstrip().endswith("</html>")


def test_pages_are_article_sized(tiny_input):
    mean_kb = tiny_input.html_bytes / tiny_input.docs / 1024
    assert 20 <= mean_kb <= 40  # ANCHORS.md's anchor figures are for ~33 KB pages


def test_every_page_kind_is_present(tiny_input):
    assert tiny_input.kinds == {"article": 20, "numbers": 1, "short": 2, "spam": 1, "teasers": 1}


@pytest.mark.parametrize(
    ("index", "kind"),
    [(0, "article"), (3, "short"), (7, "spam"), (11, "numbers"), (15, "teasers"), (23, "short")],
)
def test_page_kind_depends_only_on_index(index, kind):
    assert kind_for(index) == kind


def test_output_is_byte_identical_for_the_same_parameters(tmp_path):
    first = make_input(tmp_path / "a", docs=6, files=2, seed=3)
    second = make_input(tmp_path / "b", docs=6, files=2, seed=3)
    for one, two in zip(first.files, second.files, strict=True):
        assert one.read_bytes() == two.read_bytes()


def test_ensure_input_reuses_matching_input_and_remakes_otherwise(tmp_path):
    made = ensure_input(tmp_path, docs=4, files=2)
    stamp = made.files[0].stat().st_mtime_ns
    assert ensure_input(tmp_path, docs=4, files=2).files[0].stat().st_mtime_ns == stamp
    remade = ensure_input(tmp_path, docs=5, files=2)
    assert remade.docs == 5
    assert len(read_records(remade.files)) == 5 + 2


def test_rejects_empty_input(tmp_path):
    with pytest.raises(ValueError, match=r"docs \(0\)"):
        make_input(tmp_path, docs=0)


def test_missing_anchor_becomes_a_numbered_note():
    ours = Side(rate=30.0, seconds=2.0, docs_in=60, docs_out=48)
    missing = Unavailable("anchor unavailable: no network")
    results = [Result("build, 1 worker", ours, missing), Result("build, 2 workers", ours, missing)]
    cells, notes = table_cells(results)
    assert cells[0][2:5] == ("30.0 (2.0 s)", "n/a [1]", "-")
    assert cells[1][3] == "n/a [1]"
    assert notes == ["[1] anchor unavailable: no network"]


def test_ratio_is_ours_over_theirs():
    result = Result("x", Side(60.0, 1.0, 60, 50), Side(30.0, 2.0, 60, 50))
    assert result.ratio == 2.0


def test_smoke_mode_is_tiny_and_single_worker():
    args = parse_args(["--smoke"])
    assert (args.docs, args.files, args.workers) == (50, 2, (1,))
    assert parse_args(["--workers", "1,2"]).workers == (1, 2)


@pytest.mark.parametrize(
    ("only", "rows"),
    [
        (None, None),  # every row
        ("build_scale", {"build_scale"}),
        ("robots, crawl", {"robots", "crawl"}),
    ],
)
def test_only_picks_rows_by_module_name(only, rows):
    args = parse_args(["--smoke"] + (["--only", only] if only else []))
    assert args.only == (frozenset(row_names()) if rows is None else rows)


@pytest.mark.parametrize("only", ["nope", "build_scale,nope", ","])
def test_only_refuses_a_row_that_does_not_exist(only, capsys):
    with pytest.raises(SystemExit):
        parse_args(["--only", only])
    assert "--only" in capsys.readouterr().err


def test_anchor_script_is_present_and_self_contained():
    # It runs in another interpreter, so it must not import the harness.
    source = ANCHOR_SCRIPT.read_text()
    assert "import bench" not in source and "from bench" not in source


def test_repeats_keep_the_fastest_run_unless_one_failed():
    slow, quick = Side(10.0, 6.0, 60, 50), Side(20.0, 3.0, 60, 50)
    broken = Unavailable("gleaner build failed (exit 1)")
    assert fastest([slow, quick]) is quick
    assert fastest([quick, broken]) is broken
