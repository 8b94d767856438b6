"""Scrapy settings of the Gleaner crawler: the only place knobs are set.

Polite by default: robots.txt is always obeyed (our RFC 9309 middleware
replaces Scrapy's), one connection per host, at least one second between
requests to a host, no cookies, an identifying User-Agent with a URL. A job
file (see :mod:`crawler.jobspec`) overrides the identity, scope and limits: its
keys map onto settings here, and a key the job leaves out takes the value here.
Every name below is either Scrapy's or read by a crawler component
(tests/crawler/test_settings.py checks both).
"""

from __future__ import annotations

# A module, not its names: Scrapy reads every upper-case name here as a setting.
from record import tokens

BOT_NAME = "gleaner"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Identity: the product token is a substring of the UA, with a URL describing the crawler.
GLEANER_CRAWL_TOKEN = tokens.CRAWL_TOKEN
GLEANER_TRAINING_TOKEN = tokens.TRAINING_TOKEN
GLEANER_RUN_DIR = None
USER_AGENT = "Mozilla/5.0 (compatible; Gleaner/0.1; +https://gleaner.invalid/bot)"

# Politeness.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
# Politeness is per host (one connection, the delay); the global cap only bounds how many
# requests are held at once. A request waiting out its host's delay counts against it, so a
# cap near Scrapy's 16 left a few busy hosts holding every place while the others waited
# (30 hosts x 30 pages: 192 s at 16, 48 s at 128). The downloader-aware queue hands out the
# request of the host with the fewest in flight, so the places spread over the hosts.
CONCURRENT_REQUESTS = 128
SCHEDULER_PRIORITY_QUEUE = "scrapy.pqueues.DownloaderAwarePriorityQueue"
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.0  # jitter would dip below the one-second floor
DOWNLOAD_TIMEOUT = 30
# Retries are ours (crawler.politeness), as Scrapy's ignore Retry-After; it honours both.
RETRY_ENABLED = True
RETRY_TIMES = 2
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

# Host health: pause on 429/5xx/timeouts (Retry-After or exponential), park a failing host.
POLITENESS_ENABLED = True
POLITENESS_BACKOFF_BASE = 60.0
POLITENESS_BACKOFF_MAX = 3600.0
# Benchmarks only (many local hosts, no delay): lifts the one-second floor. No job key maps
# to it; `make bench` sets it on the command line, and nothing else should.
POLITENESS_BENCHMARK_NO_FLOOR = False
POLITENESS_MAX_RETRY_AFTER = 24 * 3600.0
POLITENESS_PARK_AFTER = 5

# robots.txt: ours, never Scrapy's (which treats a 503 as permission).
ROBOTSTXT_OBEY = True
ROBOTS_BACKEND = "gleaner"  # "protego" and "rerp" are legacy, for comparison only
ROBOTS_CACHE_TTL = 24 * 3600
ROBOTS_MAX_BYTES = 4 * 1024 * 1024
ROBOTS_MAX_CRAWL_DELAY = 30.0
ROBOTS_MAX_REDIRECTS = 5

# Safety: non-public addresses refused after DNS and on every redirect, unless allow-listed.
GUARD_ENABLED = True
GUARD_ALLOW_PRIVATE: list[str] = []  # IPs or networks, e.g. ["127.0.0.1"] for a local test web
GUARD_CONTENT_TYPES = ["text/html", "application/xhtml+xml"]  # the job's [limits] content_types
GUARD_MAX_PER_SHAPE = 200  # URLs of one shape per host (/cal/N/N?...): calendars, endless pages
GUARD_MAX_URL_LENGTH = 2048

# Limits.
DEPTH_LIMIT = 5
DOWNLOAD_MAXSIZE = 1024 * 1024  # Common Crawl's content limit
DOWNLOAD_WARNSIZE = 0
GLEANER_MAX_PAGES_PER_HOST = 1000  # URLs the spider takes per scheme+authority
# Pages are read on past DOWNLOAD_MAXSIZE (the WARC keeps only that much) up to this, so that
# a <meta> late in a long page is still honoured; a page longer still is not trained on.
# The job's [limits] max_signal_bytes; must be >= DOWNLOAD_MAXSIZE.
SIGNALS_MAX_BYTES = 8 * 1024 * 1024

# Sitemaps: from the job and from robots.txt, XML/text/gzip, within the protocol's caps.
SITEMAPS_FROM_ROBOTS = True
SITEMAPS_MAX_BYTES = 50 * 1024 * 1024  # uncompressed, per file
SITEMAPS_MAX_DEPTH = 2  # sitemap indexes nested in indexes
SITEMAPS_MAX_URLS = 50_000  # per file

# Recrawls: each run starts from the URLs earlier runs of the job found, with conditional GETs.
RECRAWL_ENABLED = True

# Run state (frontier, seen-set, log journal) in <run>/state/: a killed crawl resumes.
STATE_ENABLED = True

# A frontier shared by several workers (gleaner crawl --frontier redis://...): the job's
# [frontier] table or the command line sets the URL; the process sets the prefix and worker.
FRONTIER_LEASE = 30.0  # seconds a dead worker's hosts and requests stay out of reach
FRONTIER_PREFIX = None
FRONTIER_URL = None
FRONTIER_WORKER = None
FRONTIER_WORKERS = 1  # worker processes `gleaner crawl` starts on this machine

# Ctrl-C: requests still in flight this many seconds after the first one are abandoned
# (fetched again on --resume) so a slow host cannot hold the stop.
INTERRUPT_GRACE = 5.0

# Capture and logs.
WARC_ENABLED = True
WARC_MAX_SIZE = 1024 * 1024 * 1024
DECISIONS_FLUSH_ROWS = 5000

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "crawler.limits.DecompressionGuardMiddleware": 590,
    "crawler.guard.AddressGuardMiddleware": 50,
    "crawler.robots.RobotsMiddleware": 100,
    "crawler.politeness.HostPolitenessMiddleware": 90,  # before robots: held requests skip it
    "crawler.gate.PolicyGateMiddleware": 585,
    "crawler.recrawl.ConditionalGetMiddleware": 900,
    "crawler.warc.WarcCaptureMiddleware": 950,
    "crawler.limits.ContentTypeMiddleware": 960,
}
EXTENSIONS = {
    "crawler.logs.CrawlLogs": 100,
    "crawler.pacing.SendPacing": 100,
    "crawler.warc.WarcArchive": 100,
    "crawler.progress.Progress": 500,
}
PROGRESS_INTERVAL = 5.0  # seconds between plain progress lines; 0 turns progress off
PROGRESS_LIVE = "auto"  # a live panel: "auto" when stderr is a terminal, or true / false

LOG_LEVEL = "INFO"
