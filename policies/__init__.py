"""Gleaner's consent rules: pure functions from captured bytes to a :class:`Verdict`.

``policies`` implements OPTOUT-SIGNALS.md: robots.txt per RFC 9309 with a separate training
token, other vendors' training tokens as evidence, X-Robots-Tag and robots meta (including
``noai``), TDMRep, IETF AI-preferences, Content Signals and ai.txt. It imports neither
Scrapy nor a network client and never touches the disk, so the crawler (before and after
each fetch) and the pipeline (on archived responses) call the very same functions::

    robots = RobotsTxt.parse(body, status)
    verdict = evaluate(url, crawl_agent="Gleaner", robots=robots, headers=..., html=...)
    verdict.may_fetch, verdict.may_index, verdict.may_train, verdict.training_signal
"""

from __future__ import annotations

from policies.aitxt import AiTxt
from policies.authority import authority, canonical_host
from policies.config import DEFAULT_PROXY_TRAINING_TOKENS, PolicyConfig
from policies.errors import BackendError, PolicyConfigError, PolicyError, UnknownBackendError
from policies.evaluate import evaluate
from policies.explain import explain
from policies.robots import AppliedRules, FetchDecision, RobotsTxt
from policies.tdmrep import TdmRepFile
from policies.verdict import Reason, Verdict

__all__ = [
    "DEFAULT_PROXY_TRAINING_TOKENS",
    "AiTxt",
    "AppliedRules",
    "BackendError",
    "FetchDecision",
    "PolicyConfig",
    "PolicyConfigError",
    "PolicyError",
    "Reason",
    "RobotsTxt",
    "TdmRepFile",
    "UnknownBackendError",
    "Verdict",
    "authority",
    "canonical_host",
    "evaluate",
    "explain",
]
