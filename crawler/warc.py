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
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from scrapy import signals
from scrapy.exceptions import NotConfigured, StopDownload
from scrapy.http import Request, Response
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler._warc_recover import finish_open_files, next_sequence
from crawler.errors import SettingError
from crawler.logs import _extension

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["WarcArchive", "WarcCaptureMiddleware", "warc_prefix"]

_HOP_BY_HOP = {b"transfer-encoding"}  # the body is stored de-chunked
_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"


def warc_prefix(run_dir: Path, worker: str | None) -> str:
    """``<job>-<run>``, and ``-<worker>`` for one of a frontier's workers."""
    base = f"{run_dir.parent.name}-{run_dir.name}"
    return f"{base}-{worker}" if worker else base


class WarcArchive:
    """Extension owning the run's WARC files under ``<run>/warc/``."""

    def __init__(
        self, folder: Path, prefix: str, max_size: int, software: str, *, shared: bool = False
    ) -> None:
        if max_size <= 0:
            raise SettingError("WARC_MAX_SIZE", max_size, "must be > 0")
        self.folder, self.prefix, self.max_size, self.software = folder, prefix, max_size, software
        self._stream: BinaryIO | None = None
        self._writer: WARCWriter | None = None
        folder.mkdir(parents=True, exist_ok=True)
        # A resumed run: finish what a killed process left open, then number on from there.
        # In a folder ``shared`` with other workers, only the files of our own prefix.
        finish_open_files(folder, prefix if shared else None)
        self.sequence = next_sequence(folder, prefix if shared else None)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcArchive:
        settings = crawler.settings
        if not settings.getbool("WARC_ENABLED") or not settings.get("GLEANER_RUN_DIR"):
            raise NotConfigured
        run_dir = Path(settings["GLEANER_RUN_DIR"])
        worker = settings.get("FRONTIER_WORKER")
        archive = cls(
            run_dir / "warc",
            warc_prefix(run_dir, worker),
            settings.getint("WARC_MAX_SIZE"),
            f"Gleaner ({settings['USER_AGENT']})",
            shared=bool(worker),
        )
        crawler.signals.connect(archive.close, signal=signals.spider_closed)
        return archive

    @property
    def current_name(self) -> str:
        return f"{self.prefix}-{self.sequence:05d}.warc.gz"

    def write_exchange(
        self, request: Request, response: Response, truncated: bool = False
    ) -> tuple[str, str, str]:
        """Write request + response (or revisit) records; return file, record id and date."""
        writer = self._ensure_open()
        known = request.meta.get("gleaner_known")
        if response.status == 304 and known is not None and known.record_id:
            response_record = _revisit_record(writer, response, known)
        else:
            response_record = _response_record(writer, response, truncated)
        response_id = response_record.rec_headers.get_header("WARC-Record-ID")
        request_record = _request_record(writer, request, response_id)
        writer.write_record(request_record)
        writer.write_record(response_record)
        name = self.current_name
        self._rotate_if_full()
        return name, response_id, response_record.rec_headers.get_header("WARC-Date")

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


def _http_headers(response: Response) -> StatusAndHeaders:
    protocol = (response.protocol or "HTTP/1.1").upper()
    status = f"{response.status} {_reason(response.status)}"
    headers = [
        (k.decode("latin-1"), v.decode("latin-1"))
        for k, values in response.headers.items()
        if k.lower() not in _HOP_BY_HOP
        for v in values
    ]
    return StatusAndHeaders(status, headers, protocol=protocol)


def _revisit_record(writer: WARCWriter, response: Response, known: Any) -> Any:
    """A ``304`` to a conditional GET: the payload is the earlier capture's."""
    refers = {
        "WARC-Profile": _NOT_MODIFIED,
        "WARC-Refers-To": known.record_id,
        "WARC-Refers-To-Target-URI": known.url,
        "WARC-Refers-To-Date": known.record_date or "",
    }
    return writer.create_warc_record(
        response.url,
        "revisit",
        payload=BytesIO(b""),
        http_headers=_http_headers(response),
        warc_headers_dict=refers,
    )


def _response_record(writer: WARCWriter, response: Response, truncated: bool) -> Any:
    http = _http_headers(response)
    extra = {"WARC-IP-Address": str(response.ip_address)} if response.ip_address else {}
    if truncated:
        extra["WARC-Truncated"] = "length"  # the body ran past DOWNLOAD_MAXSIZE
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
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


class WarcCaptureMiddleware:
    """Downloader middleware: archive each exchange before anything decodes it.

    A page is read on past the archive's cap (``DOWNLOAD_MAXSIZE``, the job's
    ``max_body_bytes``) up to ``SIGNALS_MAX_BYTES``: the WARC keeps the first
    ``DOWNLOAD_MAXSIZE`` bytes, marked ``WARC-Truncated: length``, while the policy gate
    reads the page's signals in the whole body. A body still going at the read cap is
    cut there, and the gate is told (``gleaner_body_cut_at``): its signals are unreadable.
    """

    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.getbool("WARC_ENABLED"):
            raise NotConfigured
        self.crawler = crawler
        self.max_size = crawler.settings.getint("DOWNLOAD_MAXSIZE")
        self.signal_size = crawler.settings.getint("SIGNALS_MAX_BYTES")
        if self.signal_size < self.max_size:
            why = f"must be >= DOWNLOAD_MAXSIZE ({self.max_size!r})"
            raise SettingError("SIGNALS_MAX_BYTES", self.signal_size, why)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCaptureMiddleware:
        mw = cls(crawler)
        crawler.signals.connect(mw.bytes_received, signal=signals.bytes_received)
        return mw

    def process_request(self, request: Request) -> None:
        # Scrapy would cancel a body over the cap and keep nothing; we keep the first
        # ``cap`` bytes instead (WARC-Truncated: length). The read cap comes back on the
        # way out, where decompression applies it to the inflated body.
        cap = request.meta.get("download_maxsize", self.max_size)
        # robots.txt keeps Scrapy's cancel: RFC 9309 reads a truncated file as unreachable.
        if cap and not request.meta.get("gleaner_wellknown"):
            # Sitemaps carry no page signals: they stop at their own cap.
            sitemap = request.meta.get("gleaner_sitemap")
            request.meta["gleaner_cap"] = cap
            request.meta["gleaner_read_cap"] = cap if sitemap else max(cap, self.signal_size)
            request.meta["gleaner_received"] = 0
            request.meta["download_maxsize"] = 0
        return None

    def bytes_received(self, data: bytes, request: Request, **_: Any) -> None:
        read_cap = request.meta.get("gleaner_read_cap")
        if read_cap:
            request.meta["gleaner_received"] += len(data)
            if request.meta["gleaner_received"] >= read_cap:
                raise StopDownload(fail=False)

    def process_response(self, request: Request, response: Response) -> Response:
        cap = request.meta.pop("gleaner_cap", None)
        read_cap = request.meta.pop("gleaner_read_cap", None)
        archived, truncated = response, False
        if cap:
            request.meta["download_maxsize"] = read_cap
            stopped = "download_stopped" in response.flags
            if stopped:
                request.meta["gleaner_body_cut_at"] = len(response.body)
            truncated = len(response.body) > cap or stopped
            if truncated:
                archived = response.replace(body=response.body[:cap])
                self.crawler.stats.inc_value("warc/truncated")
        archive: WarcArchive = _extension(self.crawler, WarcArchive)
        name, record_id, date = archive.write_exchange(request, archived, truncated=truncated)
        request.meta["warc_file"] = name
        request.meta["warc_record_id"] = record_id
        request.meta["warc_date"] = date
        self.crawler.stats.inc_value("warc/records", 2)
        return response
