"""The one public decision: :func:`evaluate` (OPTOUT-SIGNALS.md §9).

robots.txt decides whether we may fetch. Among everything we fetched, any single applicable
"no" removes the content from training; an explicit "yes" (TDMRep ``0``, ``train-ai=y``,
``ai-train=yes``) allows it; otherwise training falls to the configured default for
unknown, which differs when no usable robots.txt was seen. Page-level robots rules and
``search`` preferences decide indexing. Bad input never raises: it just says less.

Page signals are read in full or the page is not trained on: a body the caller had to cut
(``html_cut_at``), or one we cannot decode as declared, is ``unreadable`` unless a "no" was
found in what we could read. A robots meta "no" counts wherever it sits in the markup
(see :mod:`policies._html`); a "yes" only from a tag a browser would see.
"""

from __future__ import annotations

from policies._context import Context
from policies._headers import HeaderPairs, HeadersInput, header_values, normalise_headers
from policies._html import MetaScan, scan_meta
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
    SIGNALS_UNREADABLE,
    UNKNOWN,
    UNREADABLE,
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
    html_cut_at: int | None = None,
) -> Verdict:
    """Decide fetch, index and training for ``url``.

    ``robots`` None means no robots.txt capture: ``may_fetch`` is then
    ``config.fetch_without_robots``, while ``may_index``/``may_train`` still follow the page
    signals given (the pipeline re-applying policies to archived pages). When a robots.txt
    is given and refuses the fetch, page signals are unreadable and irrelevant: nothing may
    be indexed or trained. ``tdmrep`` and ``ai_txt`` take parsed objects or 2xx bodies.
    ``html_cut_at`` says ``html`` is only the first that many bytes of a longer body.
    """
    cfg = config or PolicyConfig()
    ctx = Context.build(url, crawl_agent, training_agent, robots, cfg)
    reasons = fetch_reasons(ctx)
    fetched = ctx.robots is not None and not reasons
    may_fetch = fetched or (ctx.robots is None and cfg.fetch_without_robots)
    reasons += robots_training_reasons(ctx)
    reasons += ai_txt_reasons(ctx, _as_ai_txt(ai_txt))
    page_readable = fetched or ctx.robots is None
    if not page_readable:
        reasons += tdmrep_reasons(ctx, _as_tdmrep(tdmrep), [], [])
    else:
        reasons += _page_reasons(ctx, headers, html, _as_tdmrep(tdmrep), html_cut_at)
    return _verdict(ctx, may_fetch, page_readable, reasons)


def _page_reasons(
    ctx: Context,
    headers: object,
    html: bytes | str | None,
    tdmrep: TdmRepFile | None,
    cut_at: int | None,
) -> list[Reason]:
    pairs = normalise_headers(headers)
    scan = _scan(html, pairs)
    reasons = robots_tag_reasons(ctx, robots_directives(pairs, scan.everywhere))
    reasons += _tdmrep_reasons(ctx, tdmrep, pairs, scan)
    reasons += content_usage_reasons(pairs)
    problem = f"body cut at {cut_at} bytes, before its end" if cut_at is not None else scan.problem
    if problem:
        # Last, so that a "no" we did read is the deciding reason.
        reasons.append(Reason(SIGNALS_UNREADABLE, "page signals read in full", problem, DENY_TRAIN))
    return reasons


def _scan(html: bytes | str | None, pairs: HeaderPairs) -> MetaScan:
    if not isinstance(html, (bytes, bytearray, str)):
        return MetaScan(())
    content_types = header_values(pairs, "content-type")
    return scan_meta(html, _charset(content_types[-1]) if content_types else None)


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.strip().lower() == "charset":
            return value
    return None


def _tdmrep_reasons(
    ctx: Context, tdmrep: TdmRepFile | None, pairs: HeaderPairs, scan: MetaScan
) -> list[Reason]:
    """An allow from a tag a browser sees; a reservation from any tag, seen or not."""
    reasons = tdmrep_reasons(ctx, tdmrep, pairs, scan.visible)
    if len(scan.everywhere) > len(scan.visible):
        hidden = tdmrep_reasons(ctx, tdmrep, pairs, scan.everywhere)
        reasons += [r for r in hidden if r.effect == DENY_TRAIN and r not in reasons]
    return reasons


def _training_signal(reasons: list[Reason]) -> str:
    effects = {reason.effect for reason in reasons if reason.signal != SIGNALS_UNREADABLE}
    if DENY_TRAIN in effects:
        return DISALLOWED
    if any(reason.signal == SIGNALS_UNREADABLE for reason in reasons):
        return UNREADABLE
    return ALLOWED if ALLOW_TRAIN in effects else UNKNOWN


def _verdict(ctx: Context, may_fetch: bool, readable: bool, reasons: list[Reason]) -> Verdict:
    effects = {reason.effect for reason in reasons}
    signal = _training_signal(reasons)
    if signal == UNKNOWN:
        cfg = ctx.config
        may_train = (
            cfg.train_when_unknown if ctx.robots_usable else cfg.train_when_unknown_without_robots
        )
    else:
        may_train = signal == ALLOWED
    # Unread page rules may hold a noindex too.
    may_index = readable and DENY_INDEX not in effects and signal != UNREADABLE
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
