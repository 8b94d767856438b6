"""Encoded bodies: chunked, gzip, deflate (zlib and raw), br and zstd, decoded or counted."""

from __future__ import annotations

import gzip
import logging
import zlib
from io import BytesIO
from pathlib import Path

import brotli
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.readers import WarcReader
from pipeline.readers._body import BodyError, dechunk, decode_body
from tests.pipeline.conftest import ARTICLE

try:
    from compression import zstd  # type: ignore[import-not-found]
except ImportError:
    from backports import zstd

HTML = ARTICLE.encode()
URL = "http://news.example/a"


def _raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def _chunked(body: bytes) -> bytes:
    parts = (body[:100], body[100:])
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


def _warc(path: Path, payload: bytes, headers: list[tuple[str, str]]) -> Path:
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    http = StatusAndHeaders(
        "200 OK", [("Content-Type", "text/html"), *headers], protocol="HTTP/1.1"
    )
    writer.write_record(
        writer.create_warc_record(URL, "response", payload=BytesIO(payload), http_headers=http)
    )
    path.write_bytes(buffer.getvalue())
    return path


ENCODED = {
    "br": (brotli.compress(HTML), "br", ""),
    "gzip": (gzip.compress(HTML), "gzip", ""),
    "deflate_zlib": (zlib.compress(HTML), "deflate", ""),
    "deflate_raw": (_raw_deflate(HTML), "deflate", ""),
    "zstd": (zstd.compress(HTML), "zstd", ""),
    "chunked_br": (_chunked(brotli.compress(HTML)), "br", "chunked"),
    "gzip_then_br": (brotli.compress(gzip.compress(HTML)), "gzip, br", ""),
    "stored_decoded": (HTML, "gzip", ""),
    "identity": (HTML, "identity", ""),
}


@pytest.mark.parametrize("name", list(ENCODED))
def test_encoded_bodies_are_decoded(tmp_path: Path, name: str) -> None:
    payload, encoding, transfer = ENCODED[name]
    headers = [("Content-Encoding", encoding)]
    if transfer:
        headers.append(("Transfer-Encoding", transfer))
    reader = WarcReader(_warc(tmp_path / "x.warc.gz", payload, headers))
    assert [d.text for d in reader()] == [ARTICLE]
    assert reader.stats.as_dict() == {"total": 1, "kept": 1}


@pytest.mark.parametrize(
    ("payload", "encoding"),
    [
        (b"\x8b\x00\xfe\x01" * 64, "br"),
        (gzip.compress(HTML)[:10] + b"\xff" * 50, "gzip"),
        (b"\x28\xb5\x2f\xfd\xff\xff\xff" * 9, "zstd"),
        (HTML, "compress"),
    ],
    ids=["br", "gzip", "zstd", "unknown"],
)
def test_undecodable_body_is_a_counted_drop_naming_file_and_offset(
    tmp_path: Path, payload: bytes, encoding: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = _warc(tmp_path / "bad.warc.gz", payload, [("Content-Encoding", encoding)])
    reader = WarcReader(path)
    with caplog.at_level(logging.WARNING):
        assert list(reader()) == []
    assert reader.stats.as_dict() == {"total": 1, "dropped": 1, "dropped/undecodable_body": 1}
    assert f"{path}@0" in caplog.text


def test_decoding_never_makes_more_than_the_limit() -> None:
    bomb = brotli.compress(b"a" * 10_000_000)
    assert len(decode_body(bomb, "", "br", 1000)) == 1000
    assert len(decode_body(gzip.compress(b"a" * 10_000_000), "", "gzip", 1000)) == 1000


@pytest.mark.parametrize(
    ("raw", "data"),
    [
        (b"5\r\nhello\r\n0\r\n\r\n", b"hello"),
        (b"5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", b"hello world"),
        (b"5\r\nhel", b"hel"),  # cut inside a chunk: what arrived
        (b"<html>not chunked</html>", b"<html>not chunked</html>"),
    ],
)
def test_dechunk(raw: bytes, data: bytes) -> None:
    assert dechunk(raw) == data


def test_broken_chunking_raises() -> None:
    with pytest.raises(BodyError):
        dechunk(b"5\r\nhelloXX\r\nnot a size\r\n")
