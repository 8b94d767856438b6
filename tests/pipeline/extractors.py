"""Extraction functions for the sandbox tests: module level, so a spawned worker imports them."""

from __future__ import annotations

import os
import time


def misbehaving(page: tuple[str, str | None]) -> str | None:
    """Hang on pages saying HANG, kill the process on CRASH, raise on RAISE, else echo."""
    html, _url = page
    if "HANG" in html:
        time.sleep(60)
    if "CRASH" in html:
        os._exit(3)
    if "RAISE" in html:
        raise ValueError("parser gave up")
    if "EMPTY" in html:
        return "   "
    return f"text of {html}"


def double(value: int) -> int:
    return value * 2
