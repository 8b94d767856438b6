"""How the audit compares consecutive robots.txt fetches of one authority."""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.audit.changes import robots_changes


def fetch(time: str, sha: str, training: list[str], status: int = 200) -> dict[str, Any]:
    return {
        "authority": "http://news.example",
        "time": time,
        "sha256": sha,
        "status": status,
        "rules": [
            {"role": "crawl", "token": "Gleaner", "group": "User-agent: * (line 1)", "lines": []},
            {
                "role": "training",
                "token": "Gleaner-Extended",
                "group": "User-agent: * (line 1)",
                "lines": training,
            },
        ],
    }


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (fetch("t2", "aa", []), None),
        (fetch("t2", "bb", []), {"digest_changed": True, "rules": []}),
        (
            fetch("t2", "bb", ["line 4: Disallow: /"]),
            {"digest_changed": True, "added": ["line 4: Disallow: /"], "removed": []},
        ),
        (fetch("t2", "aa", [], status=503), {"digest_changed": False, "rules": []}),
    ],
    ids=["same file", "new digest, same rules", "training refused", "now unreachable"],
)
def test_a_change_is_the_digest_status_and_rule_lines(
    after: dict[str, Any], expected: dict[str, Any] | None
) -> None:
    changes = robots_changes([fetch("t1", "aa", []), after])
    if expected is None:
        assert changes == []
        return
    [change] = changes
    assert change["digest_changed"] == expected["digest_changed"]
    assert (change["from_sha256"], change["to_sha256"]) == ("aa", after["sha256"])
    if "added" in expected:
        [rule] = change["rules"]
        assert (rule["role"], rule["added"], rule["removed"]) == (
            "training",
            expected["added"],
            expected["removed"],
        )
    else:
        assert change["rules"] == expected["rules"]


def test_a_rule_that_only_moved_down_the_file_is_no_change() -> None:
    before = fetch("t1", "aa", ["line 4: Disallow: /x"])
    after = fetch("t2", "bb", ["line 9: Disallow: /x"])
    [change] = robots_changes([before, after])
    assert change["rules"] == []
