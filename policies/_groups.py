"""Group robots.txt lines into user-agent groups (RFC 9309 §2.1, §2.2.4; attach-05 §3).

A group is one or more ``user-agent`` lines followed by rules; it ends at the next
``user-agent`` line that follows a rule. Blank lines never end a group, rules before the
first ``user-agent`` are ignored, and "other records" (Sitemap, Crawl-delay, unknown keys)
never end or split a group.

attach-05 makes ``Content-Usage`` a *rule*, so under its reading a ``user-agent`` line after
it starts a new group; under plain RFC 9309 it is an other record. Both groupings are built
(``usage_is_rule``) and the caller decides which to use for what (OPTOUT-SIGNALS.md §5.2).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from policies._lexer import (
    ALLOW,
    CONTENT_SIGNAL,
    CONTENT_USAGE,
    CRAWL_DELAY,
    DISALLOW,
    REQUEST_RATE,
    USER_AGENT,
    Line,
)

__all__ = ["GLOBAL_AGENT", "Group", "build_groups", "product_token"]

GLOBAL_AGENT = "*"
_TOKEN = re.compile(r"[A-Za-z_-]*")


@lru_cache(maxsize=1024)
def product_token(value: str) -> str:
    """Return the lower-cased product token of a user-agent value, ``*`` for the global one.

    Google's reading: the leading ``[A-Za-z_-]+`` of the value (``Foo Bar`` → ``foo``,
    ``googlebot/1.2`` → ``googlebot``); ``*`` counts only alone or before whitespace.
    """
    value = value.strip()
    if value[:1] == "*" and (len(value) == 1 or value[1].isspace()):
        return GLOBAL_AGENT
    found = _TOKEN.match(value)
    return found.group().lower() if found else ""


@dataclass(slots=True)
class Group:
    """The lines of one group, in file order."""

    agents: list[str] = field(default_factory=list)
    agent_lines: list[Line] = field(default_factory=list)
    rules: list[Line] = field(default_factory=list)
    delays: list[Line] = field(default_factory=list)
    usage: list[Line] = field(default_factory=list)
    signals: list[Line] = field(default_factory=list)


def build_groups(lines: Iterable[Line], *, usage_is_rule: bool) -> list[Group]:
    """Group ``lines``; see the module docstring for the two readings."""
    groups: list[Group] = []
    current: Group | None = None
    closed = True
    for line in lines:
        if line.key == USER_AGENT:
            if closed or current is None:
                current = Group()
                groups.append(current)
                closed = False
            current.agents.append(product_token(line.value))
            current.agent_lines.append(line)
        elif current is not None:
            closed = _add_member(current, line, usage_is_rule=usage_is_rule) or closed
    return groups


def _add_member(group: Group, line: Line, *, usage_is_rule: bool) -> bool:
    """Add ``line`` to ``group``; return True if the line is a rule (closes the agent list)."""
    if line.key in (ALLOW, DISALLOW):
        group.rules.append(line)
        return True
    if line.key in (CRAWL_DELAY, REQUEST_RATE):
        group.delays.append(line)
    elif line.key == CONTENT_USAGE:
        group.usage.append(line)
        return usage_is_rule
    elif line.key == CONTENT_SIGNAL:
        group.signals.append(line)
    return False
