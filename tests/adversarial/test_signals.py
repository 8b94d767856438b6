"""Issue 9, item 1: page signals are read in full, or the page is not trained on.

Findings: a ``noai`` meta past the crawler's ``max_body_bytes`` cut, or after more than 256
nested elements (where lxml stopped building the tree), was missed and the page shipped,
from our own crawl and from third-party WARCs alike.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import policies
from gleaner.cli import cli
from pipeline import BuildConfig
from pipeline.build import build
from tests.crawler.conftest import Publisher, crawl, publisher, text, write_job

URL = "http://127.0.0.1:1/page"
NOAI = '<meta name="robots" content="noai">'
HTML = "text/html; charset=utf-8"

# Four unrelated stories, so that no page is a near-duplicate of another.
STORIES = {
    "harbour": (
        "The harbour was quiet in the early morning, and the fishermen had already gone out to "
        "sea with their nets. Along the quay the market traders were setting up their stalls, "
        "arranging crates of apples and pears that had come down from the hills the evening "
        "before. A few gulls circled overhead while the baker opened his shutters and the smell "
        "of fresh bread drifted across the cobbles to the water."
        " Later the boats came back with their catch. The market filled with buyers from the "
        "inland villages, and by noon the quay was empty again."
    ),
    "mountain": (
        "Up in the valley the last walkers were coming down from the ridge as the light turned "
        "amber, their boots heavy with the mud of the upper path. The hut warden counted them in "
        "at the door and wrote each name in a ledger that had been kept since the first refuge "
        "was built on the col. Inside, a stove ticked as it warmed and soup was served in bowls."
        " Somebody unfolded a map to argue about the route for the next day. Outside the wind "
        "picked up over the scree. Before dawn the warden lit the lamps again."
    ),
    "library": (
        "The reading room of the old library opened at nine, and by ten every desk under the "
        "green lamps was taken. Students copied passages from atlases too heavy to lift, a "
        "retired engineer traced the plans of a bridge that no longer stood, and the archivist "
        "wheeled a trolley of boxed letters between the shelves without making a single sound."
        " At noon the doors closed for an hour. Most readers ate their sandwiches on the steps "
        "outside. In the afternoon the rain came, and the room grew quiet and warm."
    ),
    "orchard": (
        "In the orchard the pickers started at first light, moving ladders from tree to tree "
        "while the dew was still on the grass. Baskets filled quickly with russet apples, and "
        "the farmer's daughter drove the tractor down the rows to collect them, stopping at the "
        "gate to let the neighbour's sheep cross the lane towards the river meadows below."
        " By evening the barn was full of crates. The cider press would start the next morning."
        " Everybody in the village knew the smell that would soon drift over the hedges."
    ),
}


def article(story: str, *, head: str = "", tail: str = "") -> bytes:
    """A real-looking page: ``head`` goes in <head>, ``tail`` after the article."""
    body = f"<article><h1>{story.title()}</h1><p>{STORIES[story]}</p>"
    html = f"<html><head><title>{story}</title>{head}</head><body>{body}</article>{tail}"
    return (html + "</body></html>").encode()


def deep(depth: int) -> str:
    return "<div>" * depth + NOAI + "</div>" * depth


def filler(size: int) -> str:
    """Page furniture that pushes what follows ``size`` bytes further down."""
    return "<!-- " + "related links and footer markup " * (size // 32) + "-->"


def full_evaluate(html: bytes | str, cut_at: int | None = None) -> policies.Verdict:
    # Training defaults to yes, so only a signal (or unreadable signals) can stop it.
    config = policies.PolicyConfig(train_when_unknown=True, train_when_unknown_without_robots=True)
    robots = policies.RobotsTxt.parse(b"User-agent: *\nAllow: /\n")
    cut = {} if cut_at is None else {"html_cut_at": cut_at}
    return policies.evaluate(
        URL, crawl_agent="Gleaner", robots=robots, html=html, config=config, **cut
    )


# --- Policy level: the scan does not depend on depth, and a cut body is unreadable ----------


@pytest.mark.parametrize(
    ("html", "cut_at", "signal", "deciding"),
    [
        (article("harbour"), None, "unknown", None),
        (article("harbour", head=NOAI), None, "disallowed", "meta_robots"),
        (article("harbour", tail=deep(300)), None, "disallowed", "meta_robots"),
        (article("harbour", tail=deep(5000)), None, "disallowed", "meta_robots"),
        (
            article("harbour", tail="<table><tr><td>" * 400 + NOAI),
            None,
            "disallowed",
            "meta_robots",
        ),
        (article("harbour"), 200, "unreadable", "signals_unreadable"),
        (article("harbour", head=NOAI)[:300], 300, "disallowed", "meta_robots"),
        (
            article("harbour", head='<meta charset="no-such-charset">'),
            None,
            "unreadable",
            "signals_unreadable",
        ),
        (
            article("harbour", head='<meta charset="utf-8">') + b"\xff\xfe",
            None,
            "unreadable",
            "signals_unreadable",
        ),
    ],
    ids=[
        "control_no_signal_trains",
        "noai_in_head",
        "noai_after_300_nested_divs_is_found",
        "noai_after_5000_nested_divs_is_found",
        "noai_after_400_nested_tables_is_found",
        "body_cut_before_its_end_is_unreadable",
        "noai_before_the_cut_still_disallows",
        "unknown_charset_is_unreadable",
        "bytes_invalid_in_declared_charset_are_unreadable",
    ],
)
def test_page_signals_are_read_in_full_or_not_trained_on(
    html: bytes, cut_at: int | None, signal: str, deciding: str | None
) -> None:
    verdict = full_evaluate(html[:cut_at] if cut_at else html, cut_at)
    reason = verdict.deciding_reason
    assert (verdict.training_signal, reason.signal if reason else None) == (signal, deciding)
    assert verdict.may_train is (signal == "unknown")


def test_cut_body_evidence_says_where() -> None:
    verdict = full_evaluate(article("harbour")[:200], 200)
    assert verdict.deciding_reason is not None
    assert verdict.deciding_reason.evidence == "body cut at 200 bytes, before its end"


# --- Property: wherever a noai goes, evaluate never says may_train --------------------------

_META_FORMS = [
    NOAI,
    "<META NAME=ROBOTS CONTENT=NOAI>",
    "<meta  content='noai'  name='robots' />",
    '<meta\tname=robots\ncontent="noindex, noai">',
    '<meta name = "robots" content = " NoAI " >',
    '<meta/name="robots"/content="noai">',
    "<meta name=robots content=no&#97;i>",
    '<meta name="Gleaner" content="noai">',
    '<meta name="robots" content="noai"',  # never closed: the page ends inside the tag
]
_FRAGMENTS = st.one_of(
    st.sampled_from(
        [
            "<div>",
            "</div>",
            "<p>",
            "</span>",
            "<table><tr><td>",
            '<span class="x">',
            "<!-- a comment -->",
            "<!-- unclosed comment ",
            "--!>",
            "<!-->",
            '<script>var s = "</div><!--";</script>',
            "<script>",
            "</script>",
            "<style>p { color: red }</style>",
            "<textarea>",
            "<![CDATA[ x ]]>",
            "<!doctype html>",
            "<?xml version='1.0'?>",
            '<div class="unterminated',
            "<p <b>",
            "</ >",
            "<",
            "&amp",
            "<svg><title>",
            "<meta charset=utf-8>",
            '<meta name="tdm-reservation" content="0">',
        ]
    ),
    st.text(max_size=40),
    st.integers(min_value=1, max_value=3000).map(lambda n: "<div><b>" * n),
)


@st.composite
def pages_with_noai(draw: st.DrawFn) -> tuple[bytes | str, int | None]:
    parts = draw(st.lists(_FRAGMENTS, max_size=30))
    text = "".join(parts)
    at = draw(st.integers(min_value=0, max_value=len(text)))  # anywhere, mid-tag included
    page = text[:at] + draw(st.sampled_from(_META_FORMS)) + text[at:]
    body = page.encode("utf-8", "surrogatepass")
    cut = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=len(body))))
    if cut is not None:
        return body[:cut], cut
    return (page if draw(st.booleans()) else body), None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages_with_noai())
def test_a_noai_anywhere_never_becomes_may_train(case: tuple[bytes | str, int | None]) -> None:
    html, cut = case
    verdict = full_evaluate(html, cut)
    assert not verdict.may_train
    assert verdict.training_signal in {"disallowed", "unreadable"}


# --- Crawl level: a real crawl of a local publisher, then a build of the run ----------------


__all__ = ["publisher"]  # the real local publisher fixture of the crawler tests

CUT = 20_000  # [limits] max_body_bytes of the crawl below
READ = 120_000  # [limits] max_signal_bytes


def _crawl_signal_pages(tmp_path: Path, publisher: Publisher) -> Path:
    publisher.routes = {
        "/robots.txt": text("User-agent: *\nAllow: /\n"),
        "/": (200, {"Content-Type": HTML}, _index()),
        "/plain": (200, {"Content-Type": HTML}, article("harbour")),
        # Long, no signal: archived cut, decided on the whole body, and trained on.
        "/long": (200, {"Content-Type": HTML}, article("mountain", tail=filler(2 * CUT))),
        "/late-noai": (
            200,
            {"Content-Type": HTML},
            article("library", tail=filler(2 * CUT) + NOAI),
        ),
        "/deep-noai": (200, {"Content-Type": HTML}, article("orchard", tail=deep(1000))),
        "/endless": (200, {"Content-Type": HTML}, article("harbour", tail=filler(2 * READ))),
    }
    job = write_job(tmp_path, publisher.url + "/")
    limits = f"[limits]\nmax_body_bytes = {CUT}\nmax_signal_bytes = {READ}\n"
    job.write_text(job.read_text() + limits)
    return crawl(tmp_path)


def _index() -> bytes:
    links = " ".join(f'<a href="/{p}">{p}</a>' for p in PATHS)
    return f"<html><head><title>Index</title></head><body>{links}</body></html>".encode()


PATHS = ("plain", "long", "late-noai", "deep-noai", "endless")


def _page_decisions(run: Path) -> dict[str, tuple[bool, str, str | None]]:
    rows = duckdb.sql(
        "SELECT url, may_train, training_signal, deciding_signal "
        f"FROM read_parquet('{run}/decisions/*.parquet') WHERE stage = 'page'"
    ).fetchall()
    return {
        url.rsplit("/", 1)[1]: (may_train, signal, deciding)
        for url, may_train, signal, deciding in rows
    }


def _truncated_records(run: Path) -> set[str]:
    found = set()
    for path in (run / "warc").glob("*.warc.gz"):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "response" and record.rec_headers.get_header(
                    "WARC-Truncated"
                ):
                    found.add(record.rec_headers.get_header("WARC-Target-URI").rsplit("/", 1)[1])
    return found


def _shipped(version: Path) -> set[str]:
    rows = duckdb.sql(f"SELECT url FROM read_parquet('{version}/shards/*.parquet')").fetchall()
    return {url.rsplit("/", 1)[1] for (url,) in rows}


def test_crawl_reads_signals_past_the_archive_cut_and_at_any_depth(
    tmp_path: Path, publisher: Publisher
) -> None:
    run = _crawl_signal_pages(tmp_path, publisher)
    decisions = _page_decisions(run)
    assert {path: decisions[path] for path in PATHS} == {
        "plain": (True, "unknown", None),
        "long": (True, "unknown", None),
        "late-noai": (False, "disallowed", "meta_robots"),
        "deep-noai": (False, "disallowed", "meta_robots"),
        "endless": (False, "unreadable", "signals_unreadable"),
    }
    # The WARC still keeps only max_body_bytes of the long pages, marked as cut.
    assert _truncated_records(run) == {"long", "late-noai", "endless"}
    result = build(BuildConfig(output=tmp_path / "ds", crawls=(run,), workers=1))
    shipped = _shipped(result.version)
    assert {"plain", "long"} <= shipped
    assert not shipped & {"late-noai", "deep-noai", "endless"}
    assert result.stats["consent"]["dropped/opt_out/meta_robots"] == 2
    assert result.stats["consent"]["dropped/signals_unreadable"] == 1


# --- Third-party WARCs: gleaner build --warc ... --third-party-training allow ---------------


def _warc(path: Path, pages: list[tuple[str, bytes, bool]]) -> Path:
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, body, truncated in pages:
        http = StatusAndHeaders("200 OK", [("Content-Type", HTML)], protocol="HTTP/1.1")
        extra = {"WARC-Truncated": "length"} if truncated else {}
        record = writer.create_warc_record(
            url, "response", payload=BytesIO(body), http_headers=http, warc_headers_dict=extra
        )
        writer.write_record(record)
    path.write_bytes(buffer.getvalue())
    return path


def test_third_party_build_drops_deep_noai_and_truncated_captures(tmp_path: Path) -> None:
    long_page = article("library", tail=filler(4000) + NOAI)
    warc = _warc(
        tmp_path / "others.warc.gz",
        [
            ("http://127.0.0.1:1/plain", article("harbour"), False),
            ("http://127.0.0.1:1/deep-noai", article("orchard", tail=deep(1000)), False),
            ("http://127.0.0.1:1/truncated", long_page[:3000], True),
        ],
    )
    args = ["build", "--warc", str(warc), "--third-party-training", "allow"]
    out = CliRunner().invoke(cli, [*args, "--output", str(tmp_path / "ds"), "--workers", "1"])
    assert out.exit_code == 0, out.output
    version = Path(out.output.strip().splitlines()[-1].split(":")[0])
    assert _shipped(version) == {"plain"}
    stats = duckdb.sql(
        f"SELECT counter, value FROM read_parquet('{version}/stats/stats.parquet') "
        "WHERE step = 'consent'"
    ).fetchall()
    counters = dict(stats)
    assert counters["dropped/opt_out/meta_robots"] == 1
    assert counters["dropped/signals_unreadable"] == 1
