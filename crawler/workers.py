"""Several crawl workers on this machine, one process each, sharing one frontier.

``gleaner crawl JOB --frontier redis://... --workers N`` starts N ``python -m crawler``
processes (Twisted's reactor runs once per process, and one process uses one core); each
joins the same run through the frontier (:mod:`crawler.cluster`). Their stderr passes
through; each prints the run folder at its end.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import IO, cast

from crawler.errors import CrawlFailed, CrawlInterrupted, SettingError

__all__ = ["run_workers"]

_MAX_WORKERS = 64


def run_workers(
    job_file: Path,
    workers: int,
    frontier: str | None,
    *,
    overrides: Mapping[str, str] | None = None,
    resume: bool = False,
) -> Path:
    """Run ``workers`` worker processes to their end; return the run folder they shared."""
    if not 1 <= workers <= _MAX_WORKERS:
        raise SettingError("FRONTIER_WORKERS", workers, f"must be 1 to {_MAX_WORKERS}")
    settings = {**(overrides or {}), "PROGRESS_LIVE": "false"}  # N live panels would collide
    command = [sys.executable, "-m", "crawler", str(job_file)]
    command += [f"--frontier={frontier}"] if frontier else []
    command += ["--resume"] if resume else []
    command += [f"-s{name}={value}" for name, value in settings.items()]
    children = [
        subprocess.Popen(command, stdout=subprocess.PIPE, env=dict(os.environ))
        for _ in range(workers)
    ]
    printed = [cast("IO[bytes]", child.stdout).read().decode() for child in children]
    codes = [child.wait() for child in children]
    folders = [Path(out.strip().splitlines()[-1]) for out in printed if out.strip()]
    if any(code == 130 for code in codes) and folders:
        raise CrawlInterrupted(folders[0], 0)
    if any(codes) or not folders:
        raise CrawlFailed(f"{job_file}: crawl failed: worker exit codes {codes}")
    return folders[0]
