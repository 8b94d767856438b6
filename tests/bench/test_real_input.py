"""The real-page input writer: one response per page, at its URL, with a server's headers."""

from __future__ import annotations

from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from bench.extraction_set import LabelledPage
from bench.real_input import ensure_real_input, write_real_input


def page(package: str, path: str) -> LabelledPage:
    html = f"<html><body><p>{path}</p></body></html>".encode()
    url = f"https://example.org/{path}"
    return LabelledPage(url, html, path, package, path, "docs", (), 1_700_000_000.0)


def test_writes_one_file_per_package_and_one_response_per_page(tmp_path: Path) -> None:
    pages = [page("sqlite3-doc", "a.html"), page("apache2-doc", "b.html")]
    pages.append(page("sqlite3-doc", "c.html"))
    made = write_real_input(tmp_path, pages)
    assert made.docs == 3 and len(made.files) == 2
    responses = {}
    for path in made.files:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream, check_digests="raise"):
                if record.rec_type == "response":
                    uri = record.rec_headers.get_header("WARC-Target-URI")
                    responses[uri] = (record.http_headers, record.content_stream().read())
    headers, body = responses["https://example.org/c.html"]
    assert body == pages[2].html
    assert headers.get_header("Last-Modified") == "Tue, 14 Nov 2023 22:13:20 GMT"
    assert headers.get_header("Content-Length") == str(len(body))
    assert headers.get_header("Server") == "althttpd"


def test_input_is_reused_while_the_manifest_matches(tmp_path: Path) -> None:
    made = write_real_input(tmp_path / "real-input", [page("sqlite3-doc", "a.html")])
    assert ensure_real_input(tmp_path) == made
