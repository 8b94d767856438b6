from __future__ import annotations

import time

from pipeline.sandbox import Sandbox
from tests.pipeline.extractors import double, misbehaving


def test_sandbox_answers_in_order_and_survives_a_raise() -> None:
    with Sandbox(misbehaving, timeout=5) as box:
        assert box.run(("a", None)).value == "text of a"
        raised = box.run(("RAISE", None))
        assert raised.status == "error" and "parser gave up" in (raised.error or "")
        assert box.run(("b", None)).value == "text of b" and box.restarts == 0


def test_a_hanging_call_is_killed_and_the_worker_replaced() -> None:
    with Sandbox(misbehaving, timeout=0.5) as box:
        box.run(("warm", None))
        started = time.perf_counter()
        assert box.run(("HANG", None)).status == "timeout"
        # Only a kill that never comes could take long: 60x the 0.5 s timeout catches that
        # without timing the machine (a spawned worker restarts in seconds under load).
        assert time.perf_counter() - started < 30
        assert box.run(("after", None)).value == "text of after" and box.restarts == 1


def test_a_crashing_worker_is_noticed_and_replaced() -> None:
    with Sandbox(misbehaving, timeout=5) as box:
        assert box.run(("CRASH", None)).status == "crashed"
        assert box.run(("after", None)).value == "text of after" and box.restarts == 1


def test_any_picklable_function_runs() -> None:
    with Sandbox(double, timeout=5, warmup=1) as box:
        assert [box.run(i).value for i in range(3)] == [0, 2, 4]
