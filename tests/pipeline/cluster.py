"""Ray for the ``cluster`` tests: one local instance per test module, or a skip (a fail in CI).

A developer without the ``cluster`` extra sees the Ray tests skipped with the reason;
CI (``CI=true``), whose ``make test`` installs the extra, fails them instead, so a
missing install can never pass as green.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator

import pytest

from pipeline.executor_ray import RayExecutor, ray_executor

__all__ = ["need_ray", "ray_instance"]

CPUS = 2


def need_ray() -> None:
    """Skip (outside CI) or fail (in CI) unless ``ray`` is installed.

    It is looked for, not imported: the build imports it first, as it would in a real run.
    """
    if importlib.util.find_spec("ray") is not None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail("ray is missing: `make test` installs the cluster extra")
    pytest.skip("ray is not installed: pip install -e '.[cluster]' to run the Ray tests")


def ray_instance() -> Iterator[RayExecutor]:
    """A local Ray of two CPUs, started as a build starts it; builds inside reuse it."""
    need_ray()
    with ray_executor("", CPUS) as executor:
        yield executor
