"""The HTTP side: one stdlib ``ThreadingHTTPServer`` per publisher and its request handler."""

from __future__ import annotations

import socketserver
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from time import time
from typing import Any

from ._app import PublisherApp, conditional
from ._log import RequestLog, RequestLogEntry

__all__ = ["PublisherHandler", "PublisherServer"]


class PublisherServer(ThreadingHTTPServer):
    """Serves one publisher on ``address``; port 0 lets the OS choose a free port."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], publisher: str, log: RequestLog) -> None:
        self.publisher = publisher
        self.request_log = log
        self.app: PublisherApp | None = None  # set once every publisher's port is known
        super().__init__(address, PublisherHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host's FQDN, a DNS lookup we neither need nor want.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.port

    @property
    def port(self) -> int:
        return int(self.server_address[1])


class PublisherHandler(BaseHTTPRequestHandler):
    """GET and HEAD from the publisher's app; every response goes to the request log."""

    server: PublisherServer
    _arrived: float | None = None
    protocol_version = "HTTP/1.1"  # keep-alive, as crawlers expect
    server_version = "ExampleWeb/1.0"
    timeout = 10  # an idle keep-alive connection frees its thread after this many seconds

    def version_string(self) -> str:
        return self.server_version

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def _not_allowed(self) -> None:
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed

    def _serve(self, send_body: bool) -> None:
        # Politeness is judged by when requests arrive, not by how long a page took to render.
        self._arrived = time()
        if self.server.app is None:
            self.send_error(HTTPStatus.SERVICE_UNAVAILABLE, "starting")
            return
        response = conditional(self.server.app.respond(self.path), self.headers["If-None-Match"])
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(response.body)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # send_response (and send_error) call this for every response, malformed requests too.
        headers = getattr(self, "headers", None)
        arrived = self._arrived
        self._arrived = None  # keep-alive: the next request on this connection sets its own
        entry = RequestLogEntry(
            time=arrived or time(),
            publisher=self.server.publisher,
            port=self.server.port,
            method=getattr(self, "command", None) or "",
            path=getattr(self, "path", ""),
            user_agent=headers.get("User-Agent", "") if headers is not None else "",
            status=int(code) if isinstance(code, int) or code.isdigit() else 0,
        )
        self.server.request_log.record(entry)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the request log is the record, stderr stays clean for the demo."""
