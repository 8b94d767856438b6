"""Signals that arrive with the page: X-Robots-Tag and robots meta (indexing, noai,
noarchive, training-token negatives), TDMRep (file < header < meta) and the aipref
``Content-Usage`` header. Each function returns reasons only."""

from __future__ import annotations

from collections.abc import Sequence

from policies._context import Context
from policies._headers import HeaderPairs, header_values
from policies._site_signals import preference_effect
from policies.aipref import parse_usage
from policies.robots_tags import (
    RobotsDirective,
    directives_from_header,
    directives_from_meta,
    rules_for,
)
from policies.tdmrep import TdmRepFile, resolve_tdmrep
from policies.verdict import ALLOW_TRAIN, DENY_INDEX, DENY_TRAIN, NOTE, Reason

__all__ = ["content_usage_reasons", "robots_tag_reasons", "tdmrep_reasons"]

_NOINDEX = frozenset({"noindex", "none"})
_NOAI = frozenset({"noai", "noimageai"})
_SNIPPET = frozenset({"nosnippet", "max-snippet", "nocache"})


def robots_directives(
    pairs: HeaderPairs, metas: Sequence[tuple[str, str]]
) -> list[RobotsDirective]:
    """Header rules first, then meta rules, in document order."""
    directives: list[RobotsDirective] = []
    for value in header_values(pairs, "x-robots-tag"):
        directives += directives_from_header(value)
    for name, content in metas:
        directives += directives_from_meta(name, content)
    return directives


def robots_tag_reasons(ctx: Context, directives: Sequence[RobotsDirective]) -> list[Reason]:
    """Union of negatives for ``robots`` and our tokens (OPTOUT-SIGNALS.md §3)."""
    ours = rules_for(directives, [None, ctx.crawl_token])
    reasons = [_reason(d, _effect_for_us(d, ctx)) for d in ours]
    named = rules_for(directives, [ctx.training_token])
    # The publisher addressed our training token by name: any negative rule opts out.
    reasons += [_reason(d, DENY_TRAIN) for d in named if ctx.training_token != ctx.crawl_token]
    return [reason for reason in reasons if reason.effect]


def _effect_for_us(directive: RobotsDirective, ctx: Context) -> str:
    if directive.rule in _NOAI:
        return DENY_TRAIN
    if directive.rule == "noarchive" and ctx.config.noarchive_is_training_optout:
        return DENY_TRAIN
    if directive.rule in _NOINDEX:
        return DENY_INDEX
    if directive.rule in _SNIPPET:
        return NOTE
    return ""


def _reason(directive: RobotsDirective, effect: str) -> Reason:
    return Reason(directive.origin, directive.text, directive.evidence, effect)


_Step = tuple[str, list[str], list[str], str]


def tdmrep_reasons(
    ctx: Context,
    tdmrep: TdmRepFile | None,
    pairs: HeaderPairs,
    metas: Sequence[tuple[str, str]],
) -> list[Reason]:
    """The TDMRep value after the override chain file < header < meta."""
    result = resolve_tdmrep([_file_step(ctx, tdmrep), _header_step(pairs), _meta_step(metas)])
    if result.reservation is None:
        return []
    effect = DENY_TRAIN if result.reservation == 1 else ALLOW_TRAIN
    rule_text = f"tdm-reservation: {result.reservation} ({result.source})"
    reasons = [Reason("tdmrep", rule_text, result.evidence, effect)]
    if result.policy:
        reasons.append(Reason("tdmrep", "tdm-policy", result.policy, NOTE))
    return reasons


def _file_step(ctx: Context, tdmrep: TdmRepFile | None) -> _Step:
    rule = tdmrep.rule_for(ctx.url) if tdmrep is not None else None
    if rule is None:
        return ("file", [], [], "")
    reservation = [] if rule.reservation is None else [str(rule.reservation)]
    evidence = f"tdmrep.json rule #{rule.index} (location {rule.location!r})"
    return ("file", reservation, [rule.policy or ""], evidence)


def _header_step(pairs: HeaderPairs) -> _Step:
    values = header_values(pairs, "tdm-reservation")
    return ("header", values, header_values(pairs, "tdm-policy"), _quote("tdm-reservation", values))


def _meta_step(metas: Sequence[tuple[str, str]]) -> _Step:
    values = [content for name, content in metas if name == "tdm-reservation"]
    policies = [content for name, content in metas if name == "tdm-policy"]
    return ("meta", values, policies, _quote_meta(values))


def _quote(name: str, values: Sequence[str]) -> str:
    return "; ".join(f"{name}: {value.strip()}" for value in values)


def _quote_meta(values: Sequence[str]) -> str:
    return "; ".join(f'<meta name="tdm-reservation" content="{v.strip()}">' for v in values)


def content_usage_reasons(pairs: HeaderPairs) -> list[Reason]:
    """The ``Content-Usage`` header: all field lines combine into one Dictionary (RFC 9651)."""
    values = header_values(pairs, "content-usage")
    if not values:
        return []
    combined = ", ".join(value.strip() for value in values)
    evidence = f"Content-Usage: {combined}"
    preferences = parse_usage(combined)
    if preferences is None:
        return [Reason("content_usage", "Content-Usage header (unparseable)", evidence, NOTE)]
    return [
        Reason(
            "content_usage",
            f"{label}={'y' if allowed else 'n'}",
            evidence,
            preference_effect(label, allowed),
        )
        for label, allowed in preferences.items()
    ]
