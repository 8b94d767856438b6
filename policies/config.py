"""Policy knobs, defaulting to OPTOUT-SIGNALS.md's Recommendations.

Every default leans towards the publisher: when a source leaves room (401/403, noarchive,
other vendors' training tokens, Googlebot fallback), we take the stricter reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policies.errors import PolicyConfigError

__all__ = [
    "DEFAULT_CRAWL_TOKEN",
    "DEFAULT_PROXY_TRAINING_TOKENS",
    "DEFAULT_TRAINING_TOKEN",
    "PolicyConfig",
]

# Our own product tokens: the crawler's, and the training token it answers to separately.
# Defined here because the rules default to them; everything else takes them from ``record``.
DEFAULT_CRAWL_TOKEN = "Gleaner"
DEFAULT_TRAINING_TOKEN = "Gleaner-Extended"

# OPTOUT-SIGNALS.md §2.4: a Disallow for any of these is evidence of a training opt-out.
DEFAULT_PROXY_TRAINING_TOKENS = (
    "Applebot-Extended",
    "Google-Extended",
    "GPTBot",
    "ClaudeBot",
    "anthropic-ai",
    "CCBot",
    "meta-externalagent",
    "cohere-training-data-crawler",
    "Bytespider",
)
_PRODUCT_TOKEN = re.compile(r"[A-Za-z_-]+")


@dataclass(frozen=True, slots=True)
class PolicyConfig:
    """How signals become a verdict.

    * ``training_agent``: our non-crawling training token, used when ``evaluate`` gets none.
    * ``fallback_agents``: when our crawl token has no group, obey the stricter of ``*`` and
      each of these agents' own groups (Apple's Googlebot rule, made strict).
    * ``proxy_training_tokens``: other vendors' training tokens whose Disallow counts as a
      training opt-out; ``proxy_tokens_use_star`` lets each fall back to ``*`` (§2.4).
    * ``deny_on_401_403``: a 401/403 robots.txt means disallow all (checked again here, so
      a ``RobotsTxt`` parsed with the default can be re-read leniently).
    * ``noarchive_is_training_optout``: Bing's meaning of ``noarchive``.
    * ``honour_ai_txt``: a Spawning ai.txt Disallow is a training opt-out.
    * ``train_when_unknown``: training default when no signal decides and robots.txt was read
      (the publisher had robots.txt and our training token to say no).
    * ``train_when_unknown_without_robots``: the same default when no usable robots.txt was
      captured (third-party archives): when in doubt, do not train.
    * ``fetch_without_robots``: may we fetch when no robots.txt is given at all.
    """

    training_agent: str = DEFAULT_TRAINING_TOKEN
    fallback_agents: tuple[str, ...] = ("Googlebot",)
    proxy_training_tokens: tuple[str, ...] = DEFAULT_PROXY_TRAINING_TOKENS
    proxy_tokens_use_star: bool = True
    deny_on_401_403: bool = True
    noarchive_is_training_optout: bool = True
    honour_ai_txt: bool = True
    train_when_unknown: bool = True
    train_when_unknown_without_robots: bool = False
    fetch_without_robots: bool = False

    def __post_init__(self) -> None:
        _check_token("training_agent", self.training_agent)
        for field_name in ("fallback_agents", "proxy_training_tokens"):
            tokens = getattr(self, field_name)
            if isinstance(tokens, str) or not isinstance(tokens, tuple):
                raise PolicyConfigError(f"{field_name} ({tokens!r}) must be a tuple of tokens")
            for token in tokens:
                _check_token(field_name, token)


def _check_token(field_name: str, token: object) -> None:
    if not isinstance(token, str) or not _PRODUCT_TOKEN.fullmatch(token):
        raise PolicyConfigError(
            f"{field_name} ({token!r}) must be a product token of letters, '-' and '_'"
        )
