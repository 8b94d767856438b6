"""Archives made by others: WET text, revisits, encoded bodies, robots.txt captures, ARC."""

from __future__ import annotations

import gzip
import logging
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.consent import ConsentGate
from pipeline.readers import WarcReader
from pipeline.sites_collect import collect_site_signals
from policies import authority
from tests.pipeline.conftest import ARTICLE

URL = "http://news.example/a"
_HTML = [("Content-Type", "text/html")]


def _write(path: Path, records: list[tuple[str, str, bytes, list[tuple[str, str]] | None]]) -> Path:
    """(type, url, payload, http headers or None) records to a gzipped WARC."""
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for kind, url, payload, headers in records:
        http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1") if headers else None
        extra = {"WARC-Refers-To": "<urn:uuid:x>"} if kind == "revisit" else None
        if url.endswith("/cut"):
            extra = {"WARC-Truncated": "length"}
        record = writer.create_warc_record(
            url, kind, payload=BytesIO(payload), http_headers=http, warc_headers_dict=extra
        )
        writer.write_record(record)
    path.write_bytes(buffer.getvalue())
    return path


def _chunked(body: bytes) -> bytes:
    return (
        b"".join(
            f"{len(part):x}\r\n".encode() + part + b"\r\n" for part in (body[:100], body[100:])
        )
        + b"0\r\n\r\n"
    )


def test_wet_conversion_records_are_text_documents(tmp_path: Path) -> None:
    wet = _write(tmp_path / "x.warc.wet.gz", [("conversion", URL, b"Plain text of a page.", None)])
    docs = list(WarcReader(wet)())
    assert [(d.url, d.text, d.metadata["extracted"]) for d in docs] == [
        (URL, "Plain text of a page.", True)
    ]


def test_unresolved_revisits_are_counted_and_encoded_bodies_decoded(tmp_path: Path) -> None:
    html = ARTICLE.encode()
    headers = [
        ("Content-Type", "text/html"),
        ("Content-Encoding", "gzip"),
        ("Transfer-Encoding", "chunked"),
    ]
    path = _write(
        tmp_path / "enc.warc.gz",
        [("response", URL, _chunked(gzip.compress(html)), headers), ("revisit", URL, b"", None)],
    )
    reader = WarcReader(path)
    docs = list(reader())
    assert docs[0].text == ARTICLE
    assert reader.stats.as_dict() == {
        "total": 2,
        "kept": 1,
        "dropped": 1,
        "dropped/revisit_unresolved": 1,
    }


def test_garbage_after_good_records_is_counted_naming_the_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    good = _write(tmp_path / "good.warc.gz", [("response", URL, ARTICLE.encode(), _HTML)])
    path = tmp_path / "tail.warc.gz"
    path.write_bytes(good.read_bytes() + b"\x1f\x8b\x08 truncated member")
    reader = WarcReader(path)
    with caplog.at_level(logging.WARNING):
        docs = list(reader())
    assert [d.url for d in docs] == [URL]
    assert reader.stats.as_dict()["broken_file"] == 1 and "tail.warc.gz" in caplog.text


def test_arc_files_are_read(tmp_path: Path) -> None:
    body = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + ARTICLE.encode()
    header = b"filedesc://x.arc 0.0.0.0 20240101000000 text/plain 75\n"
    version = b"1 0 Example\nURL IP-address Archive-date Content-type Archive-length\n\n"
    head = header.replace(b"75", str(len(version)).encode()) + version + b"\n"
    line = f"{URL} 10.0.0.1 20240101000000 text/html {len(body)}\n".encode()
    path = tmp_path / "old.arc"
    path.write_bytes(head + line + body + b"\n")
    docs = list(WarcReader(path)())
    assert [d.url for d in docs] == [URL] and "<article>" in docs[0].text


ROBOTS_NO_TRAINING = b"User-agent: *\nAllow: /\n\nUser-agent: Gleaner-Extended\nDisallow: /\n"


@pytest.mark.parametrize(
    ("robots", "reason"),
    [
        (ROBOTS_NO_TRAINING, "opt_out/robots_training_token"),
        (b"User-agent: *\nAllow: /\n", None),
        (None, "opt_out/unknown"),
    ],
)
def test_archived_robots_txt_decides_third_party_pages(
    tmp_path: Path, robots: bytes | None, reason: str | None
) -> None:
    html = [("Content-Type", "text/html")]
    records = [("response", URL, ARTICLE.encode(), html)]
    if robots is not None:
        records.insert(0, ("response", "http://news.example/robots.txt", robots, html))
    path = _write(tmp_path / "cc.warc.gz", records)
    sites = collect_site_signals([], [path], [])
    assert sites.known("robots", authority(URL)) == (robots is not None)
    gate = ConsentGate(None, sites=sites)
    doc = next(d for d in WarcReader(path)() if d.url == URL)
    verdict = gate.decide(doc)
    assert (verdict.reason if verdict else None) == reason
    assert (doc.robots_sha256 is not None) == (robots is not None)


def test_truncated_records_are_kept_marked_and_counted(tmp_path: Path) -> None:
    path = _write(tmp_path / "cut.warc.gz", [("response", URL + "/cut", ARTICLE.encode(), _HTML)])
    reader = WarcReader(path)
    docs = list(reader())
    assert docs[0].metadata["truncated"] == "length" and reader.stats.as_dict()["truncated"] == 1
    assert docs[0].metadata["truncated_at"] == len(ARTICLE.encode())


def test_truncated_third_party_captures_are_not_trained_on(tmp_path: Path) -> None:
    path = _write(tmp_path / "cut.warc.gz", [("response", URL + "/cut", ARTICLE.encode(), _HTML)])
    doc = next(iter(WarcReader(path)()))
    drop = ConsentGate(None, third_party_training="allow").decide(doc)
    assert (drop.reason if drop else None, doc.training_signal) == (
        "signals_unreadable",
        "unreadable",
    )


def _arc_gz(path: Path, body: bytes) -> Path:
    version = b"1 0 Example\nURL IP-address Archive-date Content-type Archive-length\n\n"
    head = f"filedesc://{path.name} 0.0.0.0 20240101000000 text/plain {len(version)}\n"
    response = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
    line = f"{URL} 10.0.0.1 20240101000000 text/html {len(response)}\n".encode()
    path.write_bytes(
        gzip.compress(head.encode() + version + b"\n") + gzip.compress(line + response + b"\n")
    )
    return path


@pytest.mark.parametrize(
    ("second_body", "same_id"),
    [(ARTICLE.encode(), True), (ARTICLE.replace("quiet", "still").encode(), False)],
    ids=["same_bytes_elsewhere_same_id", "other_bytes_other_id"],
)
def test_arc_document_ids_come_from_file_content_and_offset(
    tmp_path: Path, second_body: bytes, same_id: bool
) -> None:
    (tmp_path / "b").mkdir()
    first = _arc_gz(tmp_path / "a.arc.gz", ARTICLE.encode())
    second = _arc_gz(tmp_path / "b" / "a.arc.gz", second_body)
    [doc] = WarcReader(first)()
    assert [d.id for d in WarcReader(first)()] == [doc.id], "stable from read to read"
    assert ([d.id for d in WarcReader(second)()] == [doc.id]) is same_id
    assert doc.warc_record_id is None, "warcio's random stand-in is not kept as provenance"


def test_warc_ids_still_come_from_url_and_record_id(tmp_path: Path) -> None:
    path = _write(tmp_path / "x.warc.gz", [("response", URL, ARTICLE.encode(), _HTML)])
    [doc] = WarcReader(path, name="run/warc/x.warc.gz")()
    copy = tmp_path / "copy.warc.gz"
    copy.write_bytes(path.read_bytes())
    [same] = WarcReader(copy)()
    assert doc.id == same.id and doc.warc_record_id == same.warc_record_id
    assert (doc.warc_file, same.warc_file) == ("run/warc/x.warc.gz", "copy.warc.gz")
