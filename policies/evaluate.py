"""The one public decision: :func:`evaluate` (OPTOUT-SIGNALS.md §9).

robots.txt decides whether we may fetch. Among everything we fetched, any single applicable
"no" removes the content from training; an explicit "yes" (TDMRep ``0``, ``train-ai=y``,
``ai-train=yes``) allows it; otherwise training falls to the configured default for
unknown, which differs when no usable robots.txt was seen. Page-level robots rules and
``search`` preferences decide indexing. Bad input never raises: it just says less.
"""

from __future__ import annotations

from policies._context import Context
from policies._headers import HeadersInput, normalise_headers
from policies._html import meta_tags
from policies._page_signals import (
    content_usage_reasons,
    robots_directives,
    robots_tag_reasons,
    tdmrep_reasons,
)
from policies._site_signals import ai_txt_reasons, fetch_reasons, robots_training_reasons
from policies.aitxt import AiTxt
from policies.config import PolicyConfig
from policies.robots import RobotsTxt
from policies.tdmrep import TdmRepFile
from policies.verdict import (
    ALLOW_TRAIN,
    ALLOWED,
    DENY_FETCH,
    DENY_INDEX,
    DENY_TRAIN,
    DISALLOWED,
    UNKNOWN,
    Reason,
    Verdict,
)

__all__ = ["evaluate"]


def evaluate(
    url: str,
    *,
    crawl_agent: str,
    training_agent: str | None = None,
    robots: RobotsTxt | None = None,
    headers: HeadersInput = None,
    html: bytes | str | None = None,
    tdmrep: TdmRepFile | bytes | str | None = None,
    config: PolicyConfig | None = None,
    ai_txt: AiTxt | bytes | str | None = None,
) -> Verdict:
    """Decide fetch, index and training for ``url``.

    ``robots`` None means no robots.txt capture: ``may_fetch`` is then
    ``config.fetch_without_robots``, while ``may_index``/``may_train`` still follow the page
    signals given (the pipeline re-applying policies to archived pages). When a robots.txt
    is given and refuses the fetch, page signals are unreadable and irrelevant: nothing may
    be indexed or trained. ``tdmrep`` and ``ai_txt`` take parsed objects or 2xx bodies.
    """
    cfg = config or PolicyConfig()
    ctx = Context.build(url, crawl_agent, training_agent, robots, cfg)
    reasons = fetch_reasons(ctx)
    fetched = ctx.robots is not None and not reasons
    may_fetch = fetched or (ctx.robots is None and cfg.fetch_without_robots)
    reasons += robots_training_reasons(ctx)
    reasons += ai_txt_reasons(ctx, _as_ai_txt(ai_txt))
    page_readable = fetched or ctx.robots is None
    reasons += _page_reasons(ctx, headers, html, _as_tdmrep(tdmrep), page_readable)
    return _verdict(ctx, may_fetch, page_readable, reasons)


def _page_reasons(
    ctx: Context,
    headers: object,
    html: bytes | str | None,
    tdmrep: TdmRepFile | None,
    readable: bool,
) -> list[Reason]:
    if not readable:
        return tdmrep_reasons(ctx, tdmrep, [], [])
    pairs = normalise_headers(headers)
    metas = meta_tags(html) if isinstance(html, (bytes, bytearray, str)) else []
    reasons = robots_tag_reasons(ctx, robots_directives(pairs, metas))
    reasons += tdmrep_reasons(ctx, tdmrep, pairs, metas)
    return reasons + content_usage_reasons(pairs)


def _verdict(ctx: Context, may_fetch: bool, readable: bool, reasons: list[Reason]) -> Verdict:
    effects = {reason.effect for reason in reasons}
    if DENY_TRAIN in effects:
        signal = DISALLOWED
    elif ALLOW_TRAIN in effects:
        signal = ALLOWED
    else:
        signal = UNKNOWN
    if signal == UNKNOWN:
        cfg = ctx.config
        may_train = (
            cfg.train_when_unknown if ctx.robots_usable else cfg.train_when_unknown_without_robots
        )
    else:
        may_train = signal == ALLOWED
    may_index = readable and DENY_INDEX not in effects
    ordered = sorted(reasons, key=lambda reason: reason.effect != DENY_FETCH)
    return Verdict(may_fetch, may_index, may_train and readable, signal, tuple(ordered))


def _as_tdmrep(tdmrep: TdmRepFile | bytes | str | None) -> TdmRepFile | None:
    if tdmrep is None or isinstance(tdmrep, TdmRepFile):
        return tdmrep
    return TdmRepFile.parse(tdmrep)


def _as_ai_txt(ai_txt: AiTxt | bytes | str | None) -> AiTxt | None:
    if ai_txt is None or isinstance(ai_txt, AiTxt):
        return ai_txt
    return AiTxt.parse(ai_txt)
