"""``gleaner demo``: the whole pipe on the bundled example web, in one command.

Serves the example web on 127.0.0.1, crawls it as a job (in a subprocess, as
Twisted's reactor runs once per process), builds a dataset version from the
crawl plus the licensed sample, prints the funnel and example queries, and writes
the HTML report beside the dataset. Then one publisher opts out late and an
opt-out refresh takes its documents back (:mod:`gleaner.demo_refresh`). A small tokenizer
and Megatron-LM token shards are made from the first version, and brought up to date after
the refresh (:mod:`gleaner.demo_tokens`).
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crawler.spawn import crawl_in_subprocess
from gleaner.build_progress import build_progress
from gleaner.demo_refresh import late_opt_out
from gleaner.demo_tokens import first_tokens, update_tokens
from gleaner.exampleweb import ExampleWeb, RequestLogEntry
from gleaner.optout_refresh import RefreshResult
from gleaner.output import console, print_funnel, print_rows
from gleaner.report.dataset import write_report
from gleaner.samples import LICENSED_SAMPLE_MANIFEST
from pipeline.build import BuildResult, build
from pipeline.config import BuildConfig
from pipeline.dataset import resolve_version
from pipeline.funnel import Funnel, funnel
from pipeline.sql import EXAMPLE_QUERIES, query
from record.tokens import CRAWL_TOKEN, TRAINING_TOKEN

__all__ = ["EXAMPLE_WEB_FILE", "DemoResult", "demo_job", "run_demo"]

_MARKER = ".gleaner-demo"
#: The example web's publishers and base URLs as the demo served them.
EXAMPLE_WEB_FILE = "exampleweb.json"
_USER_AGENT = "Mozilla/5.0 (compatible; Gleaner/0.1; +https://gleaner.invalid/bot)"


@dataclass(frozen=True)
class DemoResult:
    """What the demo made, and what the example web saw (for tests and reports)."""

    run_dir: Path
    build: BuildResult
    funnel: Funnel
    requests: list[RequestLogEntry]  # the crawl's (the refresh's come after)
    base_urls: dict[str, str]
    report: Path
    refresh: RefreshResult | None = None  # the late opt-out's refresh
    tokens: dict[str, Any] | None = None  # the token manifest, after the refresh


def demo_job(seeds: list[str], output: Path) -> str:
    """The demo's job file: every example publisher, polite, bounded."""
    seed_list = ", ".join(f'"{s}"' for s in seeds if not s.endswith(".xml"))
    sitemaps = ", ".join(f'"{s}"' for s in seeds if s.endswith(".xml"))
    return f"""\
[job]
name = "demo"
output = "{output}"
seeds = [{seed_list}]
sitemaps = [{sitemaps}]

[scope]
allowed_hosts = ["127.0.0.1"]
allow_private = ["127.0.0.1"]
max_depth = 4
max_pages_per_host = 60

[identity]
crawl_token = "{CRAWL_TOKEN}"
training_token = "{TRAINING_TOKEN}"
user_agent = "{_USER_AGENT}"

[politeness]
min_delay = 1.0
concurrency_per_host = 1
"""


def fresh_folder(output: Path) -> Path:
    """Empty ``output`` for the demo; refuse to wipe a folder the demo did not make."""
    if output.exists() and any(output.iterdir()):
        if not (output / _MARKER).exists():
            raise FileExistsError(f"{output}: exists and is not a demo folder; choose --output")
        shutil.rmtree(output)
    output.mkdir(parents=True, exist_ok=True)
    (output / _MARKER).write_text("made by gleaner demo\n")
    return output.resolve()


def run_demo(output: Path, *, workers: int = 2, quiet: bool = False) -> DemoResult:
    """Serve, crawl, build, report; return what was made (the tests use it)."""
    started = time.monotonic()
    out = fresh_folder(output)
    say: Callable[[str], None] = _silent if quiet else _say
    with ExampleWeb() as web:
        say(f"example web: {len(web.base_urls)} publishers on 127.0.0.1")
        job_file = out / "demo-job.toml"
        job_file.write_text(demo_job(web.seeds, out / "runs"), encoding="utf-8")
        say("crawling (polite: >= 1 s between requests to a host) ...")
        run_dir = crawl_in_subprocess(job_file)
        requests, base_urls = list(web.requests), dict(web.base_urls)
        # So the dataset's hosts can answer again later (python -m gleaner.exampleweb --ports).
        (out / EXAMPLE_WEB_FILE).write_text(json.dumps(base_urls, indent=2) + "\n", "utf-8")
        say(f"crawl done: {run_dir}")
        result, report = _build(out, run_dir, workers, quiet, started)
        dataset = out / "datasets" / "demo"
        tokens = first_tokens(dataset, out, say)
        # The web still serves: one publisher changes its mind, and is asked again.
        refreshed = late_opt_out(web, dataset, say)
    if refreshed.derived.version is not None:
        tokens = update_tokens(dataset, out, say)
    # Beside the dataset, not in it: a version folder is sealed and never changes.
    page = write_report(resolve_version(dataset), out / "report.html")
    say(f"report: {page}  (open it in a browser; it loads nothing)")
    return DemoResult(run_dir, result, report, requests, base_urls, page, refreshed, tokens)


def _build(
    out: Path, run_dir: Path, workers: int, quiet: bool, started: float
) -> tuple[BuildResult, Funnel]:
    config = BuildConfig(
        output=out / "datasets" / "demo",
        crawls=(run_dir,),
        licensed=(LICENSED_SAMPLE_MANIFEST,),
        workers=workers,
    )
    if quiet:
        result = build(config)
    else:
        with build_progress(console) as progress:
            result = build(config, progress=progress)
    report = funnel(result.version)
    if not quiet:
        _print_report(result, report, time.monotonic() - started)
    return result, report


def _say(message: str) -> None:
    console.print(f"[bold]·[/bold] {message}")


def _silent(message: str) -> None:
    del message


def _print_report(result: BuildResult, report: Funnel, seconds: float) -> None:
    print_funnel(report)
    console.rule("Example queries")
    for title, statement in EXAMPLE_QUERIES.items():
        console.print(f'[bold]{title}[/bold]\n  gleaner sql {result.version} "{statement}"')
        columns, rows = query(result.version, statement)
        print_rows(columns, rows)
    console.print(f"dataset: {result.version}  ({result.documents} documents, {seconds:.0f} s)")
