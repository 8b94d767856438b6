"""Children bound to their parent end when it is killed: by death signal or by watchdog."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from pipeline._parent import ParentLink, parent_link

# The parent: starts one bound child (from the main thread or another thread), prints its pid
# and waits to be killed.
PARENT = textwrap.dedent(
    """
    import multiprocessing, os, sys, threading, time
    from pipeline._parent import ParentLink, bind_to_parent

    def child(link):
        bind_to_parent(link)
        time.sleep(600)

    def start():
        link = ParentLink(os.getpid(), main_thread=sys.argv[1] == "main")
        process = multiprocessing.get_context("spawn").Process(target=child, args=(link,))
        process.start()
        print(process.pid, flush=True)

    if __name__ == "__main__":
        if sys.argv[1] == "main":
            start()
        else:
            thread = threading.Thread(target=start)
            thread.start()
            thread.join()
        time.sleep(600)
    """
)


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _gone_within(pid: int, limit: float) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and _running(pid):
        time.sleep(0.05)
    return not _running(pid)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize(
    "started_from",
    ["main", "thread"],
    ids=["death_signal_and_watchdog", "watchdog_only_when_started_from_a_thread"],
)
def test_a_bound_child_ends_when_its_parent_is_killed(tmp_path: Path, started_from: str) -> None:
    script = tmp_path / "parent.py"
    script.write_text(PARENT)
    parent = subprocess.Popen(
        [sys.executable, str(script), started_from], stdout=subprocess.PIPE, text=True
    )
    child = 0
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        assert _gone_within(child, 30), "the child outlived its killed parent"
    finally:
        parent.kill()
        parent.wait()
        if child and _running(child):
            os.kill(child, signal.SIGKILL)


def test_a_child_whose_parent_is_already_gone_exits_at_once() -> None:
    code = "from pipeline._parent import *; bind_to_parent(ParentLink(1, True)); print('ran on')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 1 and "ran on" not in done.stdout


def test_the_link_names_this_process_and_thread() -> None:
    assert parent_link() == ParentLink(os.getpid(), main_thread=True)


def _start_grandchild() -> tuple[int, int, int]:
    """In a pool worker: start a bound child that sleeps; (worker pid, its group, child pid)."""
    from pipeline._parent import spawn_context

    process = spawn_context().Process(target=_sleep_bound, args=(parent_link(),), daemon=False)
    process.start()
    return os.getpid(), os.getpgid(0), int(process.pid or 0)


def _sleep_bound(link: ParentLink) -> None:
    from pipeline._parent import bind_to_parent

    bind_to_parent(link)
    time.sleep(600)


def test_a_stopped_worker_takes_the_children_it_started_with_it() -> None:
    """A worker leads its own process group and its children join it, so stopping the
    group stops a child it is half-way through starting too (before that child's own death
    signal is set up, it would print an EOFError traceback instead)."""
    from pipeline._parent import _kill_workers, bound_pool

    with bound_pool(1) as pool:
        worker, group, child = pool.submit(_start_grandchild).result(timeout=60)
        assert group == worker != os.getpgid(0)
        assert os.getpgid(child) == worker  # the child joined the worker's group
        _kill_workers(pool)
    assert _gone_within(child, 30)


def _sleep_long() -> None:
    time.sleep(600)


def test_an_error_that_ends_the_pool_block_stops_its_workers() -> None:
    """A build that fails (or is interrupted) mid-stage stops its workers at once: left
    running, the pool would finish every queued unit before this process could exit."""
    from pipeline._parent import bound_pool

    with pytest.raises(ValueError, match="a unit failed"), bound_pool(2) as pool:
        pool.submit(_sleep_long)
        pool.submit(_sleep_long)
        workers = _wait_for_workers(pool, 2)
        raise ValueError("a unit failed")
    assert all(_gone_within(pid, 30) for pid in workers), "killed, not waited for (600 s)"


def _wait_for_workers(pool: Any, count: int) -> list[int]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        pids = [p.pid for p in (pool._processes or {}).values() if p.pid]
        if len(pids) >= count:
            return pids
        time.sleep(0.05)
    raise AssertionError("the pool's workers did not start")
