"""PolicyConfig: defaults are the spec's Recommendations; bad values fail at construction."""

from __future__ import annotations

from typing import Any

import pytest

from policies import DEFAULT_PROXY_TRAINING_TOKENS, PolicyConfig, PolicyConfigError, PolicyError


def test_defaults_are_the_recommendations() -> None:
    config = PolicyConfig()
    assert config.training_agent == "Gleaner-Extended"
    assert config.fallback_agents == ("Googlebot",)
    assert config.deny_on_401_403 and config.noarchive_is_training_optout
    assert config.train_when_unknown and not config.train_when_unknown_without_robots
    assert not config.fetch_without_robots
    assert config.proxy_training_tokens == DEFAULT_PROXY_TRAINING_TOKENS
    assert set(DEFAULT_PROXY_TRAINING_TOKENS) == {
        "Applebot-Extended",
        "Google-Extended",
        "GPTBot",
        "ClaudeBot",
        "anthropic-ai",
        "CCBot",
        "meta-externalagent",
        "cohere-training-data-crawler",
        "Bytespider",
    }


@pytest.mark.parametrize(
    ("kwargs", "quoted"),
    [
        ({"training_agent": "Gleaner/1.0"}, "'Gleaner/1.0'"),
        ({"training_agent": ""}, "''"),
        ({"fallback_agents": "Googlebot"}, "'Googlebot'"),
        ({"proxy_training_tokens": ("GPTBot", "bad token")}, "'bad token'"),
        ({"proxy_training_tokens": ["GPTBot"]}, "['GPTBot']"),
    ],
)
def test_invalid_values_raise_quoting_the_value(kwargs: dict[str, Any], quoted: str) -> None:
    with pytest.raises(PolicyConfigError) as error:
        PolicyConfig(**kwargs)
    assert quoted in str(error.value)
    assert isinstance(error.value, (PolicyError, ValueError))


def test_config_is_frozen() -> None:
    with pytest.raises(AttributeError):
        PolicyConfig().train_when_unknown = False  # type: ignore[misc]
