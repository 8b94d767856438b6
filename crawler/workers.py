"""How many crawl processes a job runs here, and several of them sharing one frontier.

:func:`crawl_job` is what ``gleaner crawl JOB`` and ``gleaner schedule`` both do with a
job file: one process, or, on a shared frontier (``--frontier`` or the job's
``[frontier] url``), as many as ``--workers`` or the job's ``[frontier] workers`` say.
Only how one process runs differs (``gleaner crawl`` runs it in its own process, the
schedule in a child: Twisted's reactor runs once per process).

``run_workers`` starts N ``python -m crawler`` processes (one process uses one core);
each joins the same run through the frontier (:mod:`crawler.cluster`). Their stderr
passes through; each prints the run folder at its end.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Protocol, cast

from crawler.errors import CrawlerError, CrawlFailed, CrawlInterrupted, SettingError
from crawler.jobspec import load_job

__all__ = ["OneProcess", "crawl_job", "run_workers"]

_MAX_WORKERS = 64


class OneProcess(Protocol):
    """Crawl a job in one process to its end; return the run folder."""

    def __call__(
        self,
        job_file: Path,
        *,
        overrides: Mapping[str, str] | None,
        resume: bool,
        frontier: str | None,
    ) -> Path: ...


def crawl_job(
    job_file: Path,
    one_process: OneProcess,
    *,
    workers: int | None = None,
    frontier: str | None = None,
    overrides: Mapping[str, str] | None = None,
    resume: bool = False,
) -> Path:
    """Crawl ``job_file`` as ``gleaner crawl`` does; return the run folder.

    ``workers`` (default: the job's ``[frontier] workers``) processes share the frontier;
    above 1 they need one (``frontier`` or the job's ``[frontier] url``).
    """
    job = load_job(job_file)
    count = workers if workers is not None else job.workers
    if count == 1:
        return one_process(job_file, overrides=overrides, resume=resume, frontier=frontier)
    if not (frontier or job.frontier_url):
        raise CrawlerError(
            f"{job_file}: --workers above 1 needs a shared frontier: --frontier redis://... "
            "or [frontier] url in the job"
        )
    return run_workers(job_file, count, frontier, overrides=overrides, resume=resume)


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
