"""WARC capture: every exchange the crawler makes, as received, in WARC 1.1.

:class:`WarcCaptureMiddleware` sits next to the downloader, below Scrapy's
decompression, so response bodies are stored as they came over the wire; it
writes a ``request`` and a ``response`` record per exchange (robots.txt and
TDMRep fetches included) through the :class:`WarcArchive` extension, which
owns the files: a ``warcinfo`` record first, gzip per record, rotation by size,
and a ``.open`` suffix until a file is closed.
"""

from __future__ import annotations

import json
import os
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler._warc_recover import finish_open_files, next_sequence
from crawler.logs import _extension

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["WarcArchive", "WarcCaptureMiddleware"]

_HOP_BY_HOP = {b"transfer-encoding"}  # the body is stored de-chunked


class WarcArchive:
    """Extension owning the run's WARC files under ``<run>/warc/``."""

    def __init__(self, folder: Path, prefix: str, max_size: int, software: str) -> None:
        if max_size <= 0:
            raise ValueError(f"WARC_MAX_SIZE ({max_size!r}) must be > 0")
        self.folder, self.prefix, self.max_size, self.software = folder, prefix, max_size, software
        self._stream: BinaryIO | None = None
        self._writer: WARCWriter | None = None
        folder.mkdir(parents=True, exist_ok=True)
        # A resumed run: finish what a killed process left open, then number on from there.
        finish_open_files(folder)
        self.sequence = next_sequence(folder)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcArchive:
        settings = crawler.settings
        if not settings.getbool("WARC_ENABLED") or not settings.get("GLEANER_RUN_DIR"):
            raise NotConfigured
        run_dir = Path(settings["GLEANER_RUN_DIR"])
        prefix = f"{run_dir.parent.name}-{run_dir.name}"
        archive = cls(
            run_dir / "warc",
            prefix,
            settings.getint("WARC_MAX_SIZE"),
            f"Gleaner ({settings['USER_AGENT']})",
        )
        crawler.signals.connect(archive.close, signal=signals.spider_closed)
        return archive

    @property
    def current_name(self) -> str:
        return f"{self.prefix}-{self.sequence:05d}.warc.gz"

    def write_exchange(self, request: Request, response: Response) -> tuple[str, str]:
        """Write request + response records; return (file name, response record id)."""
        writer = self._ensure_open()
        response_record = _response_record(writer, response)
        response_id = response_record.rec_headers.get_header("WARC-Record-ID")
        request_record = _request_record(writer, request, response_id)
        writer.write_record(request_record)
        writer.write_record(response_record)
        name = self.current_name
        self._rotate_if_full()
        return name, response_id

    def write_metadata(self, url: str, concurrent_to: str, data: dict[str, Any]) -> None:
        """A ``metadata`` record (our decision, as JSON) linked to a response."""
        writer = self._ensure_open()
        payload = json.dumps(data, sort_keys=True, default=str).encode("utf-8")
        record = writer.create_warc_record(
            url,
            "metadata",
            payload=BytesIO(payload),
            warc_content_type="application/json",
            warc_headers_dict={"WARC-Concurrent-To": concurrent_to},
        )
        writer.write_record(record)
        self._rotate_if_full()

    def _ensure_open(self) -> WARCWriter:
        if self._writer is None:
            path = self.folder / f"{self.current_name}.open"
            self._stream = path.open("wb")
            self._writer = WARCWriter(self._stream, gzip=True, warc_version="WARC/1.1")
            info = {
                "software": self.software,
                "format": "WARC File Format 1.1",
                "conformsTo": "https://iipc.github.io/warc-specifications/",
            }
            self._writer.write_record(self._writer.create_warcinfo_record(self.current_name, info))
        return self._writer

    def _rotate_if_full(self) -> None:
        if self._stream is not None and self._stream.tell() >= self.max_size:
            self.close()
            self.sequence += 1

    def close(self) -> None:
        """Close the open file and drop its ``.open`` suffix: it is complete."""
        if self._stream is None:
            return
        self._stream.close()
        os.replace(self.folder / f"{self.current_name}.open", self.folder / self.current_name)
        self._stream = self._writer = None


def _response_record(writer: WARCWriter, response: Response) -> Any:
    protocol = (response.protocol or "HTTP/1.1").upper()
    status = f"{response.status} {_reason(response.status)}"
    headers = [
        (k.decode("latin-1"), v.decode("latin-1"))
        for k, values in response.headers.items()
        if k.lower() not in _HOP_BY_HOP
        for v in values
    ]
    http = StatusAndHeaders(status, headers, protocol=protocol)
    extra = {"WARC-IP-Address": str(response.ip_address)} if response.ip_address else {}
    return writer.create_warc_record(
        response.url,
        "response",
        payload=BytesIO(response.body),
        http_headers=http,
        warc_headers_dict=extra,
    )


def _request_record(writer: WARCWriter, request: Request, response_id: str) -> Any:
    target = request.url.split("#", 1)[0]
    parts = target.split("/", 3)
    path = "/" + (parts[3] if len(parts) > 3 else "")
    headers = [("Host", parts[2] if len(parts) > 2 else "")]
    headers += [
        (k.decode("latin-1"), v.decode("latin-1"))
        for k, values in request.headers.items()
        for v in values
    ]
    http = StatusAndHeaders(f"{request.method} {path} HTTP/1.1", headers, is_http_request=True)
    return writer.create_warc_record(
        request.url,
        "request",
        payload=BytesIO(request.body),
        http_headers=http,
        warc_headers_dict={"WARC-Concurrent-To": response_id},
    )


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


class WarcCaptureMiddleware:
    """Downloader middleware: archive each exchange before anything decodes it."""

    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.getbool("WARC_ENABLED"):
            raise NotConfigured
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCaptureMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        archive: WarcArchive = _extension(self.crawler, WarcArchive)
        name, record_id = archive.write_exchange(request, response)
        request.meta["warc_file"] = name
        request.meta["warc_record_id"] = record_id
        self.crawler.stats.inc_value("warc/records", 2)
        return response
