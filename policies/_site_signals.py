"""Signals that live in site-wide files: robots.txt (both tokens, other vendors' tokens,
Content-Usage and Content-Signal rules) and ai.txt. Each function returns reasons only."""

from __future__ import annotations

from collections.abc import Iterable

from policies._context import Context
from policies._prefs import PreferenceRule
from policies.aipref import AI_USE, SEARCH, TRAIN_AI
from policies.aitxt import AiTxt
from policies.robots import ALLOW_ALL, DISALLOW_ALL, PARSED, FetchDecision, RobotsTxt
from policies.verdict import ALLOW_TRAIN, DENY_FETCH, DENY_INDEX, DENY_TRAIN, NOTE, Reason

__all__ = ["ai_txt_reasons", "fetch_reasons", "robots_training_reasons"]


def fetch_reasons(ctx: Context) -> list[Reason]:
    """A ``deny_fetch`` reason when robots.txt refuses our crawl token (with fallbacks)."""
    if ctx.robots is None:
        return []
    fallbacks = ctx.config.fallback_agents
    decision = ctx.robots.decide_target(ctx.target, ctx.crawl_token, fallbacks)
    if decision.allowed:
        return []
    return [Reason("robots", decision.rule, _evidence(ctx.robots, decision), DENY_FETCH)]


def robots_training_reasons(ctx: Context) -> list[Reason]:
    """Training evidence from a parsed robots.txt (OPTOUT-SIGNALS.md §2, §5.2, §5.3)."""
    robots = ctx.robots
    if robots is None or robots.outcome != PARSED:
        return []
    reasons = []
    decision = robots.decide_target(ctx.target, ctx.training_token)
    if not decision.allowed:
        evidence = _evidence(robots, decision)
        reasons.append(Reason("robots_training_token", decision.rule, evidence, DENY_TRAIN))
    reasons += _proxy_reasons(ctx, robots)
    reasons += _preference_reasons(ctx, robots)
    return reasons


def _proxy_reasons(ctx: Context, robots: RobotsTxt) -> list[Reason]:
    """Other vendors' training tokens (§2.4), each by its own group, else ``*``.

    A token without a group says what ``*`` says; that is new evidence only when our own
    training token has a group of its own (otherwise its reason already covers ``*``).
    """
    star_is_news = ctx.config.proxy_tokens_use_star and robots.has_group(ctx.training_token)
    reasons = []
    for agent in ctx.config.proxy_training_tokens:
        token = agent.lower()
        if token == ctx.training_token or not (star_is_news or robots.has_group(token)):
            continue
        decision = robots.decide_target(ctx.target, token)
        if not decision.allowed:
            rule = f"{agent}: {decision.rule}"
            reasons.append(
                Reason("proxy_training_token", rule, _evidence(robots, decision), DENY_TRAIN)
            )
    return reasons


def _preference_reasons(ctx: Context, robots: RobotsTxt) -> list[Reason]:
    """Content-Usage and Content-Signal rules in the groups of both our tokens."""
    tokens = dict.fromkeys([ctx.crawl_token, ctx.training_token])
    usage: list[PreferenceRule] = []
    signals: list[PreferenceRule] = []
    for token in tokens:
        usage += [r for r in robots.content_usage(ctx.target, token)[1] if r not in usage]
        signals += [r for r in robots.content_signals(ctx.target, token)[1] if r not in signals]
    labels = {TRAIN_AI: TRAIN_AI, SEARCH: SEARCH, AI_USE: AI_USE}
    reasons = _rule_reasons("content_usage", usage, labels)
    signal_labels = {"ai-train": TRAIN_AI, "search": SEARCH, "ai-input": AI_USE}
    return reasons + _rule_reasons("content_signal", signals, signal_labels)


def _rule_reasons(
    signal: str, rules: Iterable[PreferenceRule], labels: dict[str, str]
) -> list[Reason]:
    reasons = []
    for rule in rules:
        evidence = f"robots.txt line {rule.line}"
        for label, allowed in rule.preferences.items():
            effect = preference_effect(labels.get(label), allowed)
            reasons.append(Reason(signal, rule.text, evidence, effect))
    return reasons


def preference_effect(category: str | None, allowed: bool) -> str:
    """The effect of one usage preference: training and search decide, the rest is noted."""
    if category == TRAIN_AI:
        return ALLOW_TRAIN if allowed else DENY_TRAIN
    if category == SEARCH and not allowed:
        return DENY_INDEX
    return NOTE


def ai_txt_reasons(ctx: Context, ai_txt: AiTxt | None) -> list[Reason]:
    """A Spawning ai.txt Disallow for ``*`` or either of our tokens is a training opt-out."""
    if ai_txt is None or not ctx.config.honour_ai_txt:
        return []
    decision = ai_txt.disallowing(ctx.target, [ctx.crawl_token, ctx.training_token])
    if decision is None:
        return []
    evidence = f"ai.txt line {decision.line}, {decision.group}"
    return [Reason("ai_txt", decision.rule, evidence, DENY_TRAIN)]


def _evidence(robots: RobotsTxt, decision: FetchDecision) -> str:
    if decision.line is not None:
        return f"robots.txt line {decision.line}, {decision.group}"
    if robots.status is None:
        return "robots.txt could not be fetched, so everything is disallowed (RFC 9309 §2.3.1.4)"
    return f"robots.txt answered HTTP {robots.status}, so everything is {_OUTCOME[robots.outcome]}"


_OUTCOME = {DISALLOW_ALL: "disallowed", ALLOW_ALL: "allowed", PARSED: "parsed"}
