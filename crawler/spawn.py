"""Crawl a job in a child process: Twisted's reactor runs once per process.

The one way ``gleaner demo`` and ``gleaner schedule`` start a crawl. The
child's stderr (Scrapy's warnings, the progress lines) passes through as it
comes; its last line is kept, so a crawl that fails says why in one line.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import IO, cast

from crawler.errors import CrawlFailed

__all__ = ["crawl_in_subprocess"]


def crawl_in_subprocess(job_file: Path) -> Path:
    """Run ``python -m crawler JOB``; return the run folder it printed.

    Raises :class:`CrawlFailed` with the child's last stderr line when it exits non-zero.
    """
    with subprocess.Popen(
        [sys.executable, "-m", "crawler", str(job_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as child:
        last = _relay(cast("IO[str]", child.stderr))
        printed = cast("IO[str]", child.stdout).read()  # one line, at the end
    if child.returncode != 0:
        why = last.removeprefix("Error: ") or f"exit code {child.returncode}"
        # A job error names the job already: name it once.
        raise CrawlFailed(why if str(job_file) in why else f"{job_file}: crawl failed: {why}")
    return Path(printed.strip().splitlines()[-1])


def _relay(stream: IO[str]) -> str:
    """Copy the child's lines to our stderr as they come; return the last non-blank one."""
    last = ""
    for line in stream:
        if not line.startswith("Error: "):  # the child's reason: ours to raise, not to echo
            sys.stderr.write(line)
        last = line.strip() or last
    return last
