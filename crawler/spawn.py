"""Crawl a job in child processes: Twisted's reactor runs once per process.

The one way ``gleaner demo`` and ``gleaner schedule`` start a crawl, as ``gleaner crawl``
would (with the job's ``[frontier] workers``, several worker processes), and
``gleaner optout refresh`` its small crawl of site-level files. The
child's stderr (Scrapy's warnings, the progress display) passes through as it
comes, a piece of a line too, so a live panel redraws in place; its last line
is kept, so a crawl that fails says why in one line. The child writes to a pipe,
so it is told whether our stderr is a terminal (``PROGRESS_LIVE``) and how wide.
"""

from __future__ import annotations

import codecs
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import IO, cast

from crawler.errors import CrawlFailed, JobSpecError
from crawler.workers import crawl_job

__all__ = ["crawl_in_subprocess", "progress_options", "refresh_in_subprocess"]

_ERROR = "Error: "


def crawl_in_subprocess(job_file: Path) -> Path:
    """Crawl a job file as ``gleaner crawl JOB`` does, in child processes; the run folder.

    One ``python -m crawler JOB``, or the job's ``[frontier] workers`` of them on its
    shared frontier (:func:`crawler.workers.crawl_job`). Raises :class:`CrawlFailed` with
    the reason in one line (a child's last stderr line when it exits non-zero).
    """
    try:
        return crawl_job(job_file, _one_child)
    except JobSpecError as exc:  # read here before any child: the same line a child says
        raise CrawlFailed(str(exc)) from exc


def _one_child(
    job_file: Path, *, overrides: Mapping[str, str] | None, resume: bool, frontier: str | None
) -> Path:
    options = [f"--frontier={frontier}"] if frontier else []
    options += ["--resume"] if resume else []
    options += [f"-s{name}={value}" for name, value in (overrides or {}).items()]
    return _run_child(["crawler", str(job_file), *options], job_file)


def refresh_in_subprocess(job_file: Path, run_dir: Path) -> Path:
    """Run ``python -m crawler.refresh JOB RUN_DIR`` (see :mod:`crawler.refresh`)."""
    return _run_child(["crawler.refresh", str(job_file), str(run_dir)], job_file)


def _run_child(module_args: list[str], job_file: Path) -> Path:
    live = sys.stderr.isatty()
    env = dict(os.environ)
    if live:
        env["COLUMNS"] = str(shutil.get_terminal_size().columns)
    with subprocess.Popen(
        [sys.executable, "-m", *module_args, *progress_options(live)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    ) as child:
        last = _relay(cast("io.BufferedReader", child.stderr))
        printed = cast("IO[bytes]", child.stdout).read().decode()  # one line, at the end
    if child.returncode != 0:
        why = last.removeprefix(_ERROR) or f"exit code {child.returncode}"
        # A job error names the job already: name it once.
        raise CrawlFailed(why if str(job_file) in why else f"{job_file}: crawl failed: {why}")
    return Path(printed.strip().splitlines()[-1])


def progress_options(terminal: bool) -> list[str]:
    """The child's progress display: live when ours is a terminal, plain lines when not."""
    return ["-s", f"PROGRESS_LIVE={'true' if terminal else 'false'}"]


def _relay(stream: io.BufferedReader) -> str:
    """Copy the child's output to our stderr as it comes; return its last non-blank line.

    A line starting ``Error: `` is the child's reason, ours to raise and not to echo,
    so a piece of a line is held back only while it could still become one.
    """
    decode = codecs.getincrementaldecoder("utf-8")("replace").decode
    line, echoed, last = "", 0, ""
    while chunk := stream.read1(65536):  # what has come so far, without waiting for more
        line += decode(chunk)
        while "\n" in line:
            head, line = line.split("\n", 1)
            if not head.startswith(_ERROR):
                sys.stderr.write(head[echoed:] + "\n")
            last, echoed = head.strip() or last, 0
        if line and not (line.startswith(_ERROR) or _ERROR.startswith(line)):
            sys.stderr.write(line[echoed:])
            echoed = len(line)
        sys.stderr.flush()
    if line and not line.startswith(_ERROR):
        sys.stderr.write(line[echoed:])
    return line.strip() or last
