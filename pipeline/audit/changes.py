"""What changed between consecutive robots.txt fetches of one authority.

A change is a new digest, a new status, or rule lines a token gained or lost. Lines are
compared without their numbers, so a rule that only moved down the file is no change.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from typing import Any

__all__ = ["robots_changes"]


def robots_changes(fetches: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What changed between consecutive fetches of each authority (only fetches that differ)."""
    changes = []
    by_authority: dict[str, list[dict[str, Any]]] = {}
    for fetch in fetches:
        by_authority.setdefault(fetch["authority"], []).append(fetch)
    for authority, series in sorted(by_authority.items()):
        for before, after in pairwise(series):
            change = _change(before, after)
            if change is not None:
                changes.append({"authority": authority, **change})
    return sorted(changes, key=lambda c: (c["to_time"], c["authority"]))


def _change(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any] | None:
    rules = [_rule_diff(a, b) for a, b in zip(before["rules"], after["rules"], strict=False)]
    moved = [r for r in rules if r["added"] or r["removed"] or r["group_changed"]]
    same = before["sha256"] == after["sha256"] and before["status"] == after["status"]
    if same and not moved:
        return None
    return {
        "from_time": before["time"],
        "to_time": after["time"],
        "from_sha256": before["sha256"],
        "to_sha256": after["sha256"],
        "from_status": before["status"],
        "to_status": after["status"],
        "digest_changed": before["sha256"] != after["sha256"],
        "rules": moved,
    }


def _rule_diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    # Compared without line numbers: a rule that only moved down the file is not a change.
    old, new = _texts(before["lines"]), _texts(after["lines"])
    return {
        "role": after["role"],
        "token": after["token"],
        "group_changed": before["group"].split(" (line")[0] != after["group"].split(" (line")[0],
        "from_group": before["group"],
        "to_group": after["group"],
        "removed": [line for line in before["lines"] if _text(line) not in new],
        "added": [line for line in after["lines"] if _text(line) not in old],
    }


def _texts(lines: Iterable[str]) -> set[str]:
    return {_text(line) for line in lines}


def _text(line: str) -> str:
    return line.partition(": ")[2] if line.startswith("line ") else line
