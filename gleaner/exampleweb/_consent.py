"""Reading the example web's own consent definitions, to state the ground truth.

This is deliberately not a general policy engine (that is ``policies/``): the definitions only
use plain path prefixes and simple header values, validated in ``_model.py``, so literal
matching per OPTOUT-SIGNALS.md is exact here. Tests compare ``policies/`` against this.
"""

from __future__ import annotations

from typing import Literal

from ._model import Page, Publisher, Robots, RobotsGroup

__all__ = ["SIGNALS", "Signal", "crawl_delay", "may_fetch", "training_signals"]

Signal = Literal["robots_training_token", "x_robots_tag", "meta_robots", "tdmrep", "content_usage"]
SIGNALS: tuple[Signal, ...] = (
    "robots_training_token",
    "x_robots_tag",
    "meta_robots",
    "tdmrep",
    "content_usage",
)
_AI_OPTOUTS = frozenset({"noai", "noimageai"})


def _group(robots: Robots, token: str) -> RobotsGroup | None:
    """RFC 9309 group selection: every group naming ``token`` exactly, merged, else ``*``."""
    for wanted in (token.lower(), "*"):
        groups = [g for g in robots.groups if wanted in (a.lower() for a in g.agents)]
        if groups:
            return RobotsGroup(
                agents=(wanted,),
                allow=tuple(p for g in groups for p in g.allow),
                disallow=tuple(p for g in groups for p in g.disallow),
                content_usage=tuple(r for g in groups for r in g.content_usage),
                crawl_delay=next(
                    (g.crawl_delay for g in groups if g.crawl_delay is not None), None
                ),
            )
    return None


def _allowed(group: RobotsGroup | None, path: str) -> bool:
    """Longest matching rule wins; an Allow wins a tie; no match allows."""
    if group is None:
        return True
    rules = [(len(p), True) for p in group.allow if path.startswith(p)]
    rules += [(len(p), False) for p in group.disallow if path.startswith(p)]
    return max(rules)[1] if rules else True


def may_fetch(robots: Robots, token: str, path: str) -> bool:
    """Whether ``token`` may fetch ``path``; a 5xx robots.txt means disallow all."""
    if robots.status >= 500:
        return False
    return robots.status >= 400 or _allowed(_group(robots, token), path)


def crawl_delay(robots: Robots, token: str) -> float | None:
    group = _group(robots, token)
    return group.crawl_delay if group else None


def _says_no_training(preference: str) -> bool:
    items = (item.strip().split("=", 1) for item in preference.split(","))
    return any(len(kv) == 2 and kv[0] == "train-ai" and kv[1] == "n" for kv in items)


def _robots_usage(group: RobotsGroup | None, path: str) -> bool:
    """The longest matching Content-Usage rule of the group says ``train-ai=n``."""
    if group is None:
        return False
    matches = [
        (len(p), _says_no_training(pref)) for p, pref in group.content_usage if path.startswith(p)
    ]
    return bool(matches) and any(no for size, no in matches if size == max(matches)[0])


def _robots_tokens(value: str, tokens: set[str]) -> set[str]:
    """X-Robots-Tag rules that apply to us: un-prefixed, or prefixed with one of our tokens."""
    rules = set()
    for item in value.split(","):
        agent, sep, rule = item.strip().lower().rpartition(":")
        if not sep or agent.strip() in tokens:
            rules.add(rule.strip())
    return rules


def _tdm_reserved(publisher: Publisher, page: Page) -> bool:
    """TDMRep: first matching file rule, then the header, then the meta tag; 1 reserves."""
    value = next(
        (r.reservation for r in publisher.tdmrep if page.path.startswith(r.location)), None
    )
    for name, content in (*page.headers, *page.meta):
        if name.lower() == "tdm-reservation" and content.strip() in ("0", "1"):
            value = int(content)
    return value == 1


def training_signals(
    publisher: Publisher, page: Page, crawl_token: str, training_token: str
) -> frozenset[Signal]:
    """The names of every signal that opts ``page`` out of training."""
    tokens = {crawl_token.lower(), training_token.lower()}
    headers = [(n.lower(), v) for n, v in page.headers]
    found: set[Signal] = set()
    if not may_fetch(publisher.robots, training_token, page.path):
        found.add("robots_training_token")
    if any(_robots_tokens(v, tokens) & _AI_OPTOUTS for n, v in headers if n == "x-robots-tag"):
        found.add("x_robots_tag")
    meta_names = {"robots"} | tokens
    meta_rules = {
        r.strip().lower() for n, c in page.meta if n.lower() in meta_names for r in c.split(",")
    }
    if meta_rules & _AI_OPTOUTS:
        found.add("meta_robots")
    if _tdm_reserved(publisher, page):
        found.add("tdmrep")
    groups = [_group(publisher.robots, token) for token in (crawl_token, training_token)]
    if any(_says_no_training(v) for n, v in headers if n == "content-usage") or any(
        _robots_usage(g, page.path) for g in groups
    ):
        found.add("content_usage")
    return frozenset(found)
