"""Settings: every knob is Scrapy's or read by a component, and each one does something.

Components are built in-process the way Scrapy's own tests build them: a crawler
from ``get_crawler`` with real settings (ours, then the case's at ``cmdline``
priority, as ``-s`` gives them).
"""

from __future__ import annotations

import re
from operator import attrgetter
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.settings import Settings, default_settings
from scrapy.utils.test import get_crawler, get_reactor_settings

import crawler.settings
from crawler.errors import SettingError
from crawler.guard import AddressGuardMiddleware
from crawler.jobspec import JOB_SETTINGS
from crawler.limits import ContentTypeMiddleware
from crawler.logs import CrawlLogs
from crawler.politeness import HostPolitenessMiddleware
from crawler.progress import Progress
from crawler.recrawl import ConditionalGetMiddleware
from crawler.robots import RobotsMiddleware
from crawler.spiders.seed import SeedSpider
from crawler.warc import WarcArchive, WarcCaptureMiddleware
from tests.crawler.conftest import write_job

CRAWLER = Path(crawler.settings.__file__).parent
OURS = {name: getattr(crawler.settings, name) for name in dir(crawler.settings) if name.isupper()}
OWN = sorted(name for name in OURS if not hasattr(default_settings, name))


def readers_of(name: str) -> list[Path]:
    """Crawler modules that read ``name`` (settings.py sets it; jobspec.py maps onto it)."""
    skip = {"settings.py", "jobspec.py"}
    quoted = re.compile(rf"[\"']{name}[\"']")
    return [
        path
        for path in CRAWLER.rglob("*.py")
        if path.name not in skip and quoted.search(path.read_text(encoding="utf-8"))
    ]


@pytest.mark.parametrize("name", OWN)
def test_every_setting_of_our_own_is_read_by_a_component(name: str) -> None:
    assert readers_of(name), f"{name} is set in crawler/settings.py and read nowhere"


def test_the_other_settings_are_scrapy_s() -> None:
    # Anything else would be a name Scrapy does not know (a dead knob, or a typo).
    for name in set(OURS) - set(OWN):
        assert hasattr(default_settings, name), name


@pytest.mark.parametrize("setting", sorted(JOB_SETTINGS.values()))
def test_every_job_key_maps_onto_a_setting_declared_here(setting: str) -> None:
    assert setting in OURS


def crawler_with(tmp_path: Path, **values: Any) -> Crawler:
    """A crawler with our settings under the case's ``values`` (as ``-s`` would set them)."""
    settings = {**OURS, "EXTENSIONS": {}, "GLEANER_RUN_DIR": str(tmp_path)}
    settings.update(STATE_ENABLED=False)  # no journal: these components never start
    crawler = get_crawler(Spider, {**settings, **values})
    crawler.spider = crawler._create_spider("t")
    return crawler


BUILD = {
    "politeness": HostPolitenessMiddleware.from_crawler,
    "guard": AddressGuardMiddleware.from_crawler,
    "types": ContentTypeMiddleware.from_crawler,
    "robots": RobotsMiddleware.from_crawler,
    "archive": WarcArchive.from_crawler,
    "capture": WarcCaptureMiddleware.from_crawler,
    "logs": CrawlLogs.from_crawler,
    "recrawl": ConditionalGetMiddleware.from_crawler,
    "progress": Progress.from_crawler,
}


@pytest.mark.parametrize(
    ("component", "values", "message"),
    [
        ("politeness", {"DOWNLOAD_DELAY": 0.5}, r"DOWNLOAD_DELAY \(0.5\) must be >= 1 second"),
        ("politeness", {"POLITENESS_BACKOFF_BASE": 0}, r"POLITENESS_BACKOFF_BASE \(0.0\)"),
        ("politeness", {"POLITENESS_BACKOFF_MAX": -1}, r"POLITENESS_BACKOFF_MAX \(-1.0\)"),
        ("politeness", {"POLITENESS_MAX_RETRY_AFTER": 0}, r"POLITENESS_MAX_RETRY_AFTER \(0.0\)"),
        ("politeness", {"POLITENESS_PARK_AFTER": 0}, r"POLITENESS_PARK_AFTER \(0\) must be >= 1"),
        ("guard", {"GUARD_ALLOW_PRIVATE": ["intranet"]}, r"GUARD_ALLOW_PRIVATE \('intranet'\)"),
        ("types", {"GUARD_CONTENT_TYPES": ["html"]}, r"GUARD_CONTENT_TYPES \('html'\)"),
        ("robots", {"ROBOTSTXT_OBEY": False}, r"ROBOTSTXT_OBEY \(False\) must be True"),
        ("robots", {"ROBOTS_BACKEND": "nope"}, r"ROBOTS_BACKEND \('nope'\) is not usable"),
        ("archive", {"WARC_MAX_SIZE": 0}, r"WARC_MAX_SIZE \(0\) must be > 0"),
        ("capture", {"SIGNALS_MAX_BYTES": 10}, r"SIGNALS_MAX_BYTES \(10\) must be >= DOWNLOAD"),
        ("logs", {"DECISIONS_FLUSH_ROWS": 0}, r"DECISIONS_FLUSH_ROWS \(0\) must be > 0"),
    ],
)
def test_a_bad_value_stops_its_component_naming_the_setting(
    tmp_path: Path, component: str, values: dict[str, Any], message: str
) -> None:
    with pytest.raises(SettingError, match=message):
        BUILD[component](crawler_with(tmp_path, **values))


@pytest.mark.parametrize(
    ("component", "values"),
    [
        ("politeness", {"POLITENESS_ENABLED": False}),
        ("guard", {"GUARD_ENABLED": False}),
        ("types", {"GUARD_CONTENT_TYPES": []}),
        ("archive", {"WARC_ENABLED": False}),
        ("capture", {"WARC_ENABLED": False}),
        ("recrawl", {"RECRAWL_ENABLED": False}),
        ("progress", {"PROGRESS_INTERVAL": 0}),
        ("robots", {"GLEANER_CRAWL_TOKEN": ""}),
        ("logs", {"GLEANER_RUN_DIR": ""}),
    ],
)
def test_a_switch_turns_its_component_off(
    tmp_path: Path, component: str, values: dict[str, Any]
) -> None:
    BUILD[component](crawler_with(tmp_path))  # on by default
    with pytest.raises(NotConfigured):
        BUILD[component](crawler_with(tmp_path, **values))


@pytest.mark.parametrize(
    ("component", "setting", "value", "attribute"),
    [
        ("robots", "ROBOTS_CACHE_TTL", 60.0, "ttl"),
        ("robots", "ROBOTS_MAX_BYTES", 1000, "max_bytes"),
        ("robots", "ROBOTS_MAX_REDIRECTS", 1, "max_redirects"),
        ("robots", "ROBOTS_MAX_CRAWL_DELAY", 2.0, "max_crawl_delay"),
        ("robots", "GLEANER_CRAWL_TOKEN", "Other", "crawl_token"),
        ("robots", "GLEANER_TRAINING_TOKEN", "Other-AI", "training_token"),
        ("politeness", "POLITENESS_BACKOFF_BASE", 7.0, "base"),
        ("politeness", "POLITENESS_BACKOFF_MAX", 70.0, "backoff_cap"),
        ("politeness", "POLITENESS_MAX_RETRY_AFTER", 700.0, "retry_after_cap"),
        ("politeness", "POLITENESS_PARK_AFTER", 2, "park_after"),
        ("politeness", "RETRY_TIMES", 5, "max_retries"),
        ("archive", "WARC_MAX_SIZE", 5000, "max_size"),
        ("capture", "SIGNALS_MAX_BYTES", 9 * 1024 * 1024, "signal_size"),
        ("logs", "DECISIONS_FLUSH_ROWS", 3, "decisions.flush_rows"),
        ("progress", "PROGRESS_INTERVAL", 0.5, "interval"),
    ],
)
def test_a_value_reaches_its_component(
    tmp_path: Path, component: str, setting: str, value: Any, attribute: str
) -> None:
    built = BUILD[component](crawler_with(tmp_path, **{setting: value}))
    assert attrgetter(attribute)(built) == value


def test_the_benchmark_switch_alone_lifts_the_one_second_floor(tmp_path: Path) -> None:
    values = {"DOWNLOAD_DELAY": 0.0, "POLITENESS_BENCHMARK_NO_FLOOR": True}
    assert HostPolitenessMiddleware.from_crawler(crawler_with(tmp_path, **values))


@pytest.mark.parametrize(("enabled", "retried"), [(True, True), (False, False)])
def test_retry_enabled_is_honoured_as_scrapy_users_expect(
    tmp_path: Path, enabled: bool, retried: bool
) -> None:
    crawler = crawler_with(tmp_path, RETRY_ENABLED=enabled)
    crawler.engine = SimpleNamespace(downloader=SimpleNamespace(slots={}))  # type: ignore[assignment]
    mw = HostPolitenessMiddleware.from_crawler(crawler)
    request = Request("http://127.0.0.1:9/page")
    outcome = mw.process_response(request, Response(request.url, status=503, request=request))
    assert isinstance(outcome, Request) is retried
    assert mw.hosts["http://127.0.0.1:9"].failures == 1  # the host backs off either way


def seed_spider(job: Path, run_dir: Path, **cmdline: Any) -> SeedSpider:
    """The seed spider as a crawl builds it: our settings, the job's, then ``-s``."""
    settings = Settings(get_reactor_settings())
    settings.setdict({"STATE_ENABLED": False, "RECRAWL_ENABLED": False, **cmdline}, "cmdline")
    crawler = Crawler(SeedSpider, settings)
    spider: SeedSpider = crawler._create_spider(job=str(job), run_dir=str(run_dir))
    crawler.spider = spider
    crawler._apply_settings()
    return spider


@pytest.mark.parametrize(("override", "budget"), [({}, 20), ({"GLEANER_MAX_PAGES_PER_HOST": 2}, 2)])
def test_the_per_host_page_budget_is_the_job_s_unless_overridden(
    tmp_path: Path, override: dict[str, int], budget: int
) -> None:
    job = write_job(tmp_path, "http://127.0.0.1:9/")  # max_pages_per_host = 20
    spider = seed_spider(job, tmp_path, **override)
    taken = [spider._follow(f"http://127.0.0.1:9/{n}", 1) for n in range(budget + 3)]
    assert sum(request is not None for request in taken) == budget
    assert spider.crawler.stats.get_value("scope/host_budget_exhausted") == 3
