"""WARC capture: what a crawl archives, read back with warcio."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.errors import SettingError
from tests.crawler.conftest import Publisher, crawl, page, text


def records(run: Path) -> list[tuple[str, str, dict[str, str], bytes]]:
    found = []
    for path in sorted((run / "warc").glob("*.warc.gz")):
        with path.open("rb") as stream:
            for rec in ArchiveIterator(stream):
                headers = dict(rec.rec_headers.headers)
                found.append(
                    (
                        rec.rec_type,
                        headers.get("WARC-Target-URI", ""),
                        headers,
                        rec.content_stream().read(),
                    )
                )
    return found


def test_every_exchange_is_archived_and_linked(tmp_path: Path, publisher: Publisher) -> None:
    gz = gzip.compress(page("Zipped", "/")[2])
    publisher.routes = {
        "/robots.txt": text("User-agent: *\nDisallow: /private/\n"),
        "/": page("Home", "/z", "/private/x"),
        "/z": (200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, gz),
    }
    run = crawl(tmp_path, publisher.url + "/")
    found = records(run)
    assert found[0][0] == "warcinfo"
    assert not list((run / "warc").glob("*.open")), "closed files lose their .open suffix"
    responses = {uri: (h, body) for kind, uri, h, body in found if kind == "response"}
    assert set(responses) >= {
        publisher.url + "/robots.txt",
        publisher.url + "/",
        publisher.url + "/z",
    }
    assert publisher.url + "/private/x" not in responses
    ids = {h["WARC-Record-ID"] for kind, _, h, _ in found}
    for kind, _, headers, _ in found:
        if kind in ("request", "metadata"):
            assert headers["WARC-Concurrent-To"] in ids
    # warcio decodes the stored body; the stored bytes are the gzip we sent.
    assert b"Zipped" in responses[publisher.url + "/z"][1]
    meta = [json.loads(body) for kind, _, _, body in found if kind == "metadata"]
    assert all("decision" in m and "may_train" in m["decision"] for m in meta)
    assert len(meta) == 2  # one per page, none for robots.txt or tdmrep.json


def test_decisions_point_at_real_records(tmp_path: Path, publisher: Publisher) -> None:
    publisher.routes = {"/robots.txt": text(""), "/": page("Home")}
    run = crawl(tmp_path, publisher.url + "/")
    ids = {h["WARC-Record-ID"] for _, _, h, _ in records(run)}
    rows = duckdb.sql(
        f"SELECT warc_record_id FROM read_parquet('{run}/decisions/*.parquet') WHERE stage = 'page'"
    ).fetchall()
    assert rows and all(r[0] in ids for r in rows)
    robots = duckdb.sql(
        f"SELECT outcome, warc_record_id FROM read_parquet('{run}/robots/*.parquet')"
    )
    [(outcome, record_id)] = robots.fetchall()
    assert outcome == "parsed" and record_id in ids


def test_warcio_check_accepts_our_files(tmp_path: Path, publisher: Publisher) -> None:
    publisher.routes = {"/robots.txt": text(""), "/": page("Home")}
    run = crawl(tmp_path, publisher.url + "/")
    for path in (run / "warc").glob("*.warc.gz"):
        done = subprocess.run(
            [sys.executable, "-m", "warcio.cli", "check", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr


def test_a_body_over_the_cap_is_kept_truncated(tmp_path: Path, publisher: Publisher) -> None:
    big = page("Big")[2].replace(b"</body>", b"<p>" + b"x" * 3_000_000 + b"</p></body>")
    publisher.routes = {
        "/robots.txt": text("User-agent: *\n"),
        "/": page("Home", "/big"),
        "/big": (200, {"Content-Type": "text/html"}, big),
    }
    run = crawl(tmp_path, publisher.url + "/", settings=("DOWNLOAD_MAXSIZE=1000000",))
    found = {url: (h, body) for kind, url, h, body in records(run) if kind == "response"}
    headers, body = found[publisher.url + "/big"]
    assert headers["WARC-Truncated"] == "length"
    assert body == big[:1_000_000]
    assert "WARC-Truncated" not in found[publisher.url + "/"][0]


def test_fastwarc_reads_our_files_and_checks_their_digests(
    tmp_path: Path, publisher: Publisher
) -> None:
    from fastwarc.warc import ArchiveIterator as FastIterator

    publisher.routes = {"/robots.txt": text(""), "/": page("Home", "/a"), "/a": page("A")}
    run = crawl(tmp_path, publisher.url + "/")
    ours = records(run)
    seen = []
    for path in sorted((run / "warc").glob("*.warc.gz")):
        with path.open("rb") as stream:
            for record in FastIterator(stream, parse_http=False):
                assert record.verify_block_digest(), record.headers.get("WARC-Record-ID")
                seen.append(record.headers.get("WARC-Record-ID"))
    assert seen == [h["WARC-Record-ID"] for _, _, h, _ in ours]


def test_a_signal_cap_below_the_archive_cap_is_refused_at_startup() -> None:
    from scrapy.utils.test import get_crawler

    from crawler.warc import WarcCaptureMiddleware

    caps = {"DOWNLOAD_MAXSIZE": 2000, "SIGNALS_MAX_BYTES": 1000}
    crawler = get_crawler(settings_dict={"WARC_ENABLED": True, **caps})
    message = r"SIGNALS_MAX_BYTES \(1000\) must be >= DOWNLOAD_MAXSIZE"
    with pytest.raises(SettingError, match=message):
        WarcCaptureMiddleware(crawler)
