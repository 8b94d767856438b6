"""Routing for one publisher: a request target in, a complete response out. No sockets here,
so every answer of the example web can be checked without starting a server."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from types import MappingProxyType
from urllib.parse import urlsplit

from ._calendar import render_calendar
from ._model import Header, Publisher
from ._render import render_document, render_page
from ._resources import resources

__all__ = ["PublisherApp", "Response", "conditional"]

_HTML = "text/html; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    content_type: str
    body: bytes
    headers: tuple[Header, ...] = ()


class PublisherApp:
    """Answers requests for ``publisher``; ``base_urls`` are every publisher's live URLs."""

    def __init__(
        self, publisher: Publisher, base_urls: Mapping[str, str], delay_scale: float = 1.0
    ) -> None:
        self.publisher = publisher
        self._base_urls = MappingProxyType(dict(base_urls))
        self._delay = publisher.response_delay * delay_scale
        self._resources = resources(publisher)

    def respond(self, target: str) -> Response:
        """The response to a GET of ``target`` (origin-form or absolute-form)."""
        path = urlsplit(target).path or "/"
        renderer = self._resources.get(path)
        if renderer is not None:
            found = renderer(self.publisher, self._base_urls[self.publisher.name])
            return Response(found.status, found.content_type, found.body.encode(), found.headers)
        page = self.publisher.page(path)
        if page is not None:
            self._slow_down()
            html = render_page(self.publisher, page, self._base_urls)
            return Response(200, _HTML, html.encode(), page.headers)
        trap = render_calendar(self.publisher, path, self._base_urls)
        if trap is not None:
            self._slow_down()
            return Response(200, _HTML, trap.encode())
        return Response(404, _HTML, self._not_found(path).encode())

    def _slow_down(self) -> None:
        if self._delay > 0:
            time.sleep(self._delay)

    def _not_found(self, path: str) -> str:
        main = (
            f"<h1>Page not found</h1>\n<p>There is no page at {escape(path)}. "
            'It may have moved; try the <a href="/">front page</a>.</p>'
        )
        return render_document(self.publisher, "Page not found", main, self._base_urls)


def conditional(response: Response, if_none_match: str | None) -> Response:
    """``response`` with a strong ``ETag`` (from its body) when it is a 200, or a bodiless
    ``304`` when the request's ``If-None-Match`` names that tag: a recrawl of an unchanged
    page gets what a real server would send."""
    if response.status != 200:
        return response
    etag = f'"{hashlib.sha256(response.body).hexdigest()[:16]}"'
    headers = (*response.headers, ("ETag", etag))
    if if_none_match is not None and etag in (t.strip() for t in if_none_match.split(",")):
        return Response(304, response.content_type, b"", headers)
    return Response(response.status, response.content_type, response.body, headers)
