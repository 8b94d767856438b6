"""A starting worker finishes the files of a dead one in the run folder it shares.

Each worker of a shared frontier writes its own WARC files, log parts and log journal
(``state/<worker>.sqlite3``). A worker killed with ``-9`` leaves a ``.open`` WARC and rows
journalled but not yet in a part; nobody else writes those files, so the next worker to
start in the folder, seeing the dead one's ``alive`` key gone from Redis, finishes them as
that worker would have on ``--resume`` (:func:`crawler._warc_recover.finish_open_files`,
:class:`crawler.logs.ParquetLog`). The requests it had in flight go back to the frontier
by themselves when its lease runs out (:mod:`crawler._frontier_scripts`).
"""

from __future__ import annotations

import time
from pathlib import Path

from crawler._warc_recover import finish_open_files
from crawler.frontier import Frontier
from crawler.logs import run_logs
from crawler.state import open_state
from crawler.warc import warc_prefix

__all__ = ["adopt_dead_workers"]


def adopt_dead_workers(
    run_dir: Path, frontier: Frontier, flush_rows: int, *, wait: bool = False
) -> list[str]:
    """Finish the files of every dead worker of the run found in ``run_dir``; their names.

    With ``wait`` (the crawl is over), a worker that neither closed nor let its lease run
    out yet is waited for, up to one lease: it is closing, or dead and about to show it.
    """
    adopted = []
    for journal in sorted((run_dir / "state").glob("w*.sqlite3")):
        worker = journal.stem
        if worker == frontier.worker or frontier.closed(worker):
            continue
        if wait:
            _wait_out(frontier, worker)
        if frontier.alive(worker) or frontier.closed(worker) or not frontier.adopt(worker):
            continue
        if (run_dir / "warc").is_dir():
            finish_open_files(run_dir / "warc", warc_prefix(run_dir, worker))
        state = open_state(run_dir, worker)
        try:
            run_logs(run_dir, flush_rows, state, worker)  # recovers the journal into parts
        finally:
            state.close()
        adopted.append(worker)
    return adopted


def _wait_out(frontier: Frontier, worker: str) -> None:
    deadline = time.monotonic() + frontier.lease + 1
    while time.monotonic() < deadline and frontier.alive(worker) and not frontier.closed(worker):
        time.sleep(0.2)
