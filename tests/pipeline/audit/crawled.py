"""A small real crawl of the example web and a build of it, for the audit tests.

Two publishers are crawled: ``extended`` (robots.txt refuses ``Gleaner-Extended`` under
``/members/`` and ``/premium/``; one of its stories is also in the licensed sample, whose copy
wins dedup) and ``open`` (robots.txt refuses the crawl token under ``/private/``). The build
adds the licensed sample, so the audit sees documents, refusals, duplicates and exclusions.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from gleaner.exampleweb import PUBLISHERS, ExampleWeb
from gleaner.samples import LICENSED_SAMPLE_MANIFEST, example_web_duplicates
from pipeline import BuildConfig
from pipeline.build import build
from tests.crawler.conftest import CRAWL_ENV

JOB = """\
[job]
name = "audit"
output = "{output}"
seeds = [{seeds}]
[scope]
allowed_hosts = ["127.0.0.1"]
allow_private = ["127.0.0.1"]
max_depth = 1
max_pages_per_host = 8
[identity]
user_agent = "Mozilla/5.0 (compatible; Gleaner/0.1; +https://gleaner.invalid/bot)"
"""


@dataclass(frozen=True)
class Crawled:
    """The dataset, its crawl run, and the publishers' hosts (``127.0.0.1:PORT``)."""

    dataset: Path
    run: Path
    hosts: dict[str, str]
    duplicate_url: str


def first(publisher: str, prefix: str) -> str:
    return next(p.path for p in PUBLISHERS[publisher].pages if p.path.startswith(prefix))


def crawl_and_build(folder: Path) -> Crawled:
    with ExampleWeb() as web:
        base = web.base_urls
        duplicate = next(d for d in example_web_duplicates() if d.page.publisher == "extended")
        seeds = [
            base["extended"] + "/",
            base["extended"] + first("extended", "/members/"),
            base["extended"] + first("extended", "/premium/"),
            base["extended"] + duplicate.page.path,
            base["open"] + "/",
            base["open"] + "/private/drafts/",
        ]
        quoted = ", ".join(f'"{s}"' for s in seeds)
        (folder / "job.toml").write_text(JOB.format(output=folder / "runs", seeds=quoted))
        done = subprocess.run(
            [sys.executable, "-m", "crawler", str(folder / "job.toml")],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
            cwd=folder,
            env=CRAWL_ENV,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        hosts = {name: url.split("://", 1)[1] for name, url in base.items()}
    run = Path(done.stdout.strip().splitlines()[-1])
    config = BuildConfig(
        output=folder / "ds", crawls=(run,), licensed=(LICENSED_SAMPLE_MANIFEST,), workers=1
    )
    build(config)
    return Crawled(folder / "ds", run, hosts, base["extended"] + duplicate.page.path)
