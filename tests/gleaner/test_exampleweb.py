"""The example web keeps every publisher's consent story, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import difflib
import itertools
import json
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections.abc import Iterator
from email.message import Message
from html import escape

import pytest

from gleaner.exampleweb import (
    CRAWL_TOKEN,
    EXPECTED,
    PUBLISHERS,
    ExampleWeb,
    PageRef,
    RequestLogEntry,
    Signal,
)
from gleaner.exampleweb._app import PublisherApp
from gleaner.exampleweb.publishers import build_publishers

UA = "GleanerTests/1.0 (+http://127.0.0.1/tests)"
Fetched = tuple[int, dict[str, str], bytes]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, method: str = "GET") -> Fetched:
    """(status, lower-cased headers, body) without raising on 4xx/5xx."""
    request = urllib.request.Request(url, method=method, headers={"User-Agent": UA})
    try:
        with _OPENER.open(request, timeout=10) as response:
            return response.status, _headers(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, _headers(error.headers), error.read()


def _headers(message: Message) -> dict[str, str]:
    return {k.lower(): v for k, v in message.items()}


def shingles(text: str, size: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def jaccard(a: str, b: str) -> float:
    x, y = shingles(a), shingles(b)
    return len(x & y) / len(x | y)


@pytest.fixture(scope="module")
def web() -> Iterator[ExampleWeb]:
    with ExampleWeb(delay_scale=0) as running:
        yield running


def all_pages() -> list[tuple[str, str]]:
    return [(name, path) for name, t in EXPECTED.publishers.items() for path in sorted(t.pages)]


# --- the servers -------------------------------------------------------------------------


def test_each_publisher_has_its_own_loopback_port(web: ExampleWeb) -> None:
    assert list(web.base_urls) == list(PUBLISHERS)
    ports = {url.rsplit(":", 1)[1] for url in web.base_urls.values()}
    assert len(ports) == len(PUBLISHERS)
    assert all(url.startswith("http://127.0.0.1:") for url in web.base_urls.values())


def test_seeds_are_home_pages_then_the_sitemap(web: ExampleWeb) -> None:
    homes = [f"{url}/" for url in web.base_urls.values()]
    assert web.seeds == [*homes, f"{web.base_urls['sitemap']}/sitemap.xml"]


def test_stop_frees_every_port() -> None:
    other = ExampleWeb(delay_scale=0).start()
    with pytest.raises(RuntimeError, match="already running"):
        other.start()
    ports = [int(url.rsplit(":", 1)[1]) for url in other.base_urls.values()]
    other.stop()
    other.stop()  # a second stop is a no-op
    assert not other.running
    for port in ports:
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", port))


def test_negative_delay_scale_is_refused() -> None:
    with pytest.raises(ValueError, match=r"delay_scale \(-1\) must be >= 0"):
        ExampleWeb(delay_scale=-1)


def test_slow_publisher_is_slow_only_when_asked() -> None:
    path = sorted(EXPECTED.publishers["slow"].articles)[0]
    with ExampleWeb(delay_scale=1.0) as slow_web:
        started = time.monotonic()
        assert fetch(slow_web.base_urls["slow"] + path)[0] == 200
        assert time.monotonic() - started >= 0.15


# --- robots.txt ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("publisher", "lines"),
    [
        ("open", ["User-agent: *", "User-agent: Gleaner", "Disallow: /private/"]),
        ("extended", ["User-agent: Gleaner", "User-agent: Gleaner-Extended",
                      "Disallow: /members/", "Disallow: /premium/"]),
        ("noai", ["User-agent: *", "Disallow:"]),
        ("tdmrep", ["User-agent: *", "Allow: /"]),
        ("aipref", ["User-agent: *", "Content-Usage: /labs/ train-ai=n"]),
        ("slow", ["User-agent: *", "Crawl-delay: 2"]),
        ("sitemap", ["Sitemap: {sitemap}/sitemap.xml"]),
        ("calendar", ["User-agent: *", "Allow: /"]),
        ("mirror", ["User-agent: *", "Allow: /"]),
    ],
)  # fmt: skip
def test_robots_txt_says_the_story(web: ExampleWeb, publisher: str, lines: list[str]) -> None:
    status, headers, body = fetch(web.base_urls[publisher] + "/robots.txt")
    assert (status, headers["content-type"]) == (200, "text/plain; charset=utf-8")
    served = body.decode().splitlines()
    for line in lines:
        assert line.format(sitemap=web.base_urls["sitemap"]) in served


def test_down_robots_txt_answers_503_every_time(web: ExampleWeb) -> None:
    for _ in range(3):
        status, headers, body = fetch(web.base_urls["down"] + "/robots.txt")
        assert (status, headers["retry-after"]) == (503, "3600")
        assert b"User-agent" not in body
    assert EXPECTED.publishers["down"].crawl_disallowed == EXPECTED.publishers["down"].pages


@pytest.mark.parametrize("publisher", [p for p in PUBLISHERS if p != "down"])
def test_served_robots_agree_with_the_expected_crawl_decisions(
    web: ExampleWeb, publisher: str
) -> None:
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(fetch(web.base_urls[publisher] + "/robots.txt")[2].decode().splitlines())
    truth = EXPECTED.publishers[publisher]
    refused = {path for path in truth.pages if not parser.can_fetch(CRAWL_TOKEN, path)}
    assert refused == truth.crawl_disallowed


def test_open_site_links_to_its_disallowed_pages_and_to_down(web: ExampleWeb) -> None:
    home = fetch(web.base_urls["open"] + "/")[2].decode()
    assert 'href="/private/drafts/"' in home
    assert f'href="{web.base_urls["down"]}/"' in home
    assert EXPECTED.publishers["open"].crawl_disallowed == {
        "/private/drafts/", "/private/staff-rota/", "/private/budget-2027/",
    }  # fmt: skip


# --- page-level signals --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("signal", "publisher", "count"),
    [
        ("robots_training_token", "extended", 12),
        ("x_robots_tag", "noai", 5),
        ("meta_robots", "noai", 5),
        ("tdmrep", "tdmrep", 10),
        ("content_usage", "aipref", 6),
    ],
)
def test_opt_outs_by_signal(signal: Signal, publisher: str, count: int) -> None:
    refs = EXPECTED.optouts(signal)
    assert {ref.publisher for ref in refs} == {publisher}
    assert len(refs) == count


def signalled_pages() -> list[tuple[str, str]]:
    return [(p.name, page.path) for p in PUBLISHERS.values() for page in p.pages
            if page.headers or page.meta]  # fmt: skip


@pytest.mark.parametrize(("publisher", "path"), signalled_pages())
def test_pages_carry_their_declared_headers_and_meta(
    web: ExampleWeb, publisher: str, path: str
) -> None:
    page = PUBLISHERS[publisher].page(path)
    assert page is not None
    status, headers, body = fetch(web.base_urls[publisher] + path)
    assert status == 200
    for name, value in page.headers:
        assert headers[name.lower()] == value
    for name, content in page.meta:
        assert f'<meta name="{name}" content="{escape(content)}">' in body.decode()


def test_tdmrep_precedence_file_then_header_then_meta() -> None:
    publisher, truth = PUBLISHERS["tdmrep"], EXPECTED.publishers["tdmrep"]
    research = [page for page in publisher.pages if page.path.startswith("/research/")]
    by_header = [page.path for page in research if ("tdm-reservation", "1") in page.headers]
    by_meta = [page.path for page in research if ("tdm-reservation", "1") in page.meta]
    assert len(by_header) == len(by_meta) == 1
    for path in by_header + by_meta:
        assert truth.training_optouts[path] == {"tdmrep"}
    left_open = {page.path for page in research} - {*by_header, *by_meta}
    assert len(left_open) == 3 and left_open <= truth.trainable  # the file says 0 there
    elsewhere = [path for path in truth.pages if not path.startswith("/research/")]
    assert all(truth.training_optouts[path] == {"tdmrep"} for path in elsewhere)


def test_tdmrep_file_and_policy(web: ExampleWeb) -> None:
    base = web.base_urls["tdmrep"]
    status, headers, body = fetch(base + "/.well-known/tdmrep.json")
    assert (status, headers["content-type"]) == (200, "application/json; charset=utf-8")
    assert json.loads(body) == [
        {"location": "/research/", "tdm-reservation": 0},
        {"location": "/", "tdm-reservation": 1, "tdm-policy": f"{base}/policy.json"},
    ]
    policy = json.loads(fetch(base + "/policy.json")[2])
    assert policy["permission"][0]["action"] == "tdm:mine"
    assert fetch(web.base_urls["open"] + "/.well-known/tdmrep.json")[0] == 404


# --- sitemap, calendar, 404, HEAD -----------------------------------------------------------


def test_sitemap_lists_articles_the_home_page_does_not_link(web: ExampleWeb) -> None:
    base = web.base_urls["sitemap"]
    status, headers, body = fetch(base + "/sitemap.xml")
    assert (status, headers["content-type"]) == (200, "application/xml; charset=utf-8")
    listed = set(re.findall(r"<loc>([^<]+)</loc>", body.decode()))
    truth = EXPECTED.publishers["sitemap"]
    assert listed == {base + path for path in truth.sitemap_paths}
    assert truth.sitemap_paths == set(truth.articles) and len(listed) == 15
    home = fetch(base + "/")[2].decode()
    assert sum(f'href="{path}"' in home for path in truth.sitemap_paths) == 3


def test_calendar_is_endless_but_each_page_is_finite(web: ExampleWeb) -> None:
    base, path, seen = web.base_urls["calendar"], "/calendar/2026/11", set()
    for _ in range(30):
        status, _, body = fetch(base + path)
        html = body.decode()
        links = re.findall(r'href="([^"]+)"', html)
        assert status == 200 and len(links) < 50
        assert path not in seen
        seen.add(path)
        following = re.search(r'href="([^"]+)">Next month<', html)
        assert following is not None
        path = following[1]
    assert path == "/calendar/2029/05"
    assert EXPECTED.trap_prefixes == {"calendar": "/calendar/"}


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/calendar/2026/11/05", 200),
        ("/calendar/0001/01", 200),
        ("/calendar/9999/12/31", 200),
        ("/calendar/2026/13", 404),
        ("/calendar/2026/02/30", 404),
        ("/calendar/0000/01", 404),
        ("/calendar/2026/11/", 404),
        ("/no/such/page", 404),
    ],
)
def test_calendar_urls_and_unknown_paths(web: ExampleWeb, path: str, status: int) -> None:
    got, headers, _ = fetch(web.base_urls["calendar"] + path)
    assert (got, headers["content-type"]) == (status, "text/html; charset=utf-8")


def test_head_sends_the_get_headers_without_a_body(web: ExampleWeb) -> None:
    url = web.base_urls["noai"] + sorted(EXPECTED.publishers["noai"].training_optouts)[0]
    get_status, get_headers, body = fetch(url)
    head_status, head_headers, empty = fetch(url, method="HEAD")
    assert (head_status, empty) == (get_status, b"")
    assert head_headers["content-length"] == str(len(body))
    assert head_headers.get("x-robots-tag") == get_headers.get("x-robots-tag")


# --- the request log -----------------------------------------------------------------------


def test_request_log_records_every_response(web: ExampleWeb) -> None:
    before = time.time()
    fetch(web.base_urls["open"] + "/missing?x=1")
    fetch(web.base_urls["down"] + "/robots.txt")
    fetch(web.base_urls["mirror"] + "/", method="POST")
    after = time.time()
    recent = [e for e in web.requests if before <= e.time <= after and e.user_agent == UA]
    port = int(web.base_urls["open"].rsplit(":", 1)[1])
    assert RequestLogEntry(recent[0].time, "open", port, "GET", "/missing?x=1", UA, 404) in recent
    assert [(e.publisher, e.method, e.status) for e in recent] == [
        ("open", "GET", 404), ("down", "GET", 503), ("mirror", "POST", 405),
    ]  # fmt: skip


# --- every page: HTML, charset, no external links, real articles --------------------------


@pytest.mark.parametrize(("publisher", "path"), all_pages())
def test_every_page_is_html_with_loopback_links_only(
    web: ExampleWeb, publisher: str, path: str
) -> None:
    status, headers, body = fetch(web.base_urls[publisher] + path)
    assert (status, headers["content-type"]) == (200, "text/html; charset=utf-8")
    html = body.decode("utf-8")
    for target in re.findall(r'(?:href|src)="([^"]+)"', html):
        assert target.startswith(("/", "#", *web.base_urls.values())), target
    assert not re.search(r"https?://(?!127\.0\.0\.1:)", html)
    assert 'class="cookie-banner"' in html and "<footer" in html


@pytest.mark.parametrize(
    ("publisher", "articles"),
    [("open", 30), ("extended", 20), ("noai", 15), ("tdmrep", 12), ("aipref", 10),
     ("down", 4), ("slow", 5), ("sitemap", 15), ("calendar", 5), ("mirror", 8)],
)  # fmt: skip
def test_article_counts_and_shape(web: ExampleWeb, publisher: str, articles: int) -> None:
    truth = EXPECTED.publishers[publisher]
    assert len(truth.articles) == articles
    path, article = sorted(truth.articles.items())[0]
    html = fetch(web.base_urls[publisher] + path)[2].decode()
    for paragraph in article.text.split("\n\n"):
        assert f"<p>{escape(paragraph)}</p>" in html
    for a in truth.articles.values():
        assert 3 <= len(a.text.split("\n\n")) <= 8 and len(a.text.split()) >= 250


# --- duplicates and determinism -------------------------------------------------------------


def test_exact_duplicates_share_text_but_not_boilerplate(web: ExampleWeb) -> None:
    assert len(EXPECTED.exact_duplicates) == 4
    for group in EXPECTED.exact_duplicates:
        texts = {EXPECTED.publishers[r.publisher].articles[r.path].text for r in group}
        assert len(texts) == 1 and {r.publisher for r in group} == {"open", "mirror"}
        # Same article, different boilerplate per site; within the mirror, /top/ is an alias
        # of /syndicated/ (byte-identical pages at two URLs, as real CMSes produce).
        pages = {r.publisher: fetch(web.url(r))[2] for r in group}
        assert len(set(pages.values())) == 2


def test_near_duplicates_are_about_ninety_percent_the_same() -> None:
    assert len(EXPECTED.near_duplicates) == 3
    for group in EXPECTED.near_duplicates:
        a, b = (EXPECTED.publishers[r.publisher].articles[r.path].text for r in group)
        assert 0.8 <= jaccard(a, b) < 1
        assert difflib.SequenceMatcher(None, a.split(), b.split()).ratio() >= 0.9


def test_no_accidental_near_duplicates() -> None:
    grouped = {r for g in EXPECTED.exact_duplicates + EXPECTED.near_duplicates for r in g}
    texts = [(PageRef(n, p), a.text) for n, t in EXPECTED.publishers.items()
             for p, a in t.articles.items() if PageRef(n, p) not in grouped]  # fmt: skip
    worst = max(jaccard(a, b) for (_, a), (_, b) in itertools.combinations(texts, 2))
    assert worst < 0.5


def test_the_web_is_deterministic() -> None:
    assert build_publishers() == tuple(PUBLISHERS.values())
    bases = {name: f"http://127.0.0.1:{8000 + i}" for i, name in enumerate(PUBLISHERS)}
    for publisher in PUBLISHERS.values():
        first, second = PublisherApp(publisher, bases, 0), PublisherApp(publisher, bases, 0)
        for path in ("/", "/robots.txt", "/calendar/2026/11", publisher.pages[-1].path):
            assert first.respond(path) == second.respond(path)


def test_module_serves_until_interrupted() -> None:
    command = [sys.executable, "-m", "gleaner.exampleweb", "--delay-scale", "0"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(len(PUBLISHERS) + 2)]
        proc.send_signal(signal.SIGINT)
        rest = proc.communicate(timeout=10)[0]
    assert lines[0].startswith("open") and "http://127.0.0.1:" in lines[0]
    assert lines[-1].startswith("Serving") and "stopped after" in rest
    assert proc.returncode == 0
