"""A crawl in a child process: its run folder back, or its one-line reason as CrawlFailed."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.errors import CrawlFailed
from crawler.spawn import _relay, crawl_in_subprocess, progress_options
from tests.crawler.conftest import Publisher, page, text, write_job


def test_a_crawl_gives_back_its_run_folder(tmp_path: Path, publisher: Publisher) -> None:
    publisher.routes = {"/robots.txt": text("User-agent: *\n"), "/": page("Home")}
    run = crawl_in_subprocess(write_job(tmp_path, publisher.url + "/"))
    assert run.parent == tmp_path / "runs" / "t" and (run / "stats.json").is_file()


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("max_depth = 3", "max_depth = 0", "{job}: [scope] max_depth (0) must be at least 1"),
        ("[scope]", "[scope]\nallow_private = 1", "{job}: unreadable job file"),
    ],
)
def test_a_failed_crawl_says_why_in_one_line(
    tmp_path: Path, old: str, new: str, reason: str
) -> None:
    job = write_job(tmp_path, "http://127.0.0.1:9/")
    job.write_text(job.read_text().replace(old, new, 1))
    with pytest.raises(CrawlFailed) as failed:
        crawl_in_subprocess(job)
    message = str(failed.value)
    assert message.startswith(reason.format(job=job)) and "\n" not in message
    assert message.count(str(job)) == 1


class Chunks:
    """A child's stderr as it arrives: in pieces, a line split anywhere."""

    def __init__(self, *pieces: bytes) -> None:
        self.pieces = list(pieces)

    def read1(self, size: int = -1) -> bytes:
        del size
        return self.pieces.pop(0) if self.pieces else b""


@pytest.mark.parametrize(
    ("pieces", "echoed", "last"),
    [
        (
            (b"crawl: 1 page\n", b"crawl: 2 pages\n"),
            "crawl: 1 page\ncrawl: 2 pages\n",
            "crawl: 2 pages",
        ),
        # a live panel's redraw has no newline at its end: it is passed on at once
        ((b"\x1b[2K panel", b" redrawn"), "\x1b[2K panel redrawn", "\x1b[2K panel redrawn"),
        ((b"Err", b"or: bad job\n"), "", "Error: bad job"),  # the reason is ours to raise
        ((b"Errands\n",), "Errands\n", "Errands"),
        ((b"caf\xc3", b"\xa9\n"), "café\n", "café"),  # a character split between pieces
    ],
)
def test_the_relay_passes_pieces_on_as_they_come(
    capsys: pytest.CaptureFixture[str], pieces: tuple[bytes, ...], echoed: str, last: str
) -> None:
    assert _relay(Chunks(*pieces)) == last  # type: ignore[arg-type]
    assert capsys.readouterr().err == echoed


@pytest.mark.parametrize(("terminal", "value"), [(True, "true"), (False, "false")])
def test_the_child_is_told_whether_our_stderr_is_a_terminal(terminal: bool, value: str) -> None:
    assert progress_options(terminal) == ["-s", f"PROGRESS_LIVE={value}"]
