"""Backends: selectable by name or dotted path; legacy ones flagged; errors are typed."""

from __future__ import annotations

import pytest

from policies.backends import BACKENDS, RobotsBackend, RobotsParser, get_backend
from policies.errors import BackendError, PolicyError, UnknownBackendError

BODY = b"User-agent: *\nDisallow: /private/\n"


@pytest.mark.parametrize(
    ("name", "legacy"), [("gleaner", False), ("protego", True), ("rerp", True)]
)
def test_named_backends_answer_can_fetch(name: str, legacy: bool) -> None:
    backend = get_backend(name)
    assert isinstance(backend, RobotsBackend)
    assert backend.legacy is legacy
    parser = backend.parse(BODY)
    assert isinstance(parser, RobotsParser)
    assert not parser.can_fetch("https://a.example/private/x", "Gleaner")
    assert parser.can_fetch("https://a.example/public", "Gleaner")


def test_default_is_ours() -> None:
    assert get_backend().name == "gleaner"


@pytest.mark.parametrize(
    "path", ["policies.backends.ProtegoBackend", "policies.backends:RerpBackend"]
)
def test_dotted_paths(path: str) -> None:
    assert get_backend(path).name in BACKENDS


@pytest.mark.parametrize("name", ["nope", "policies.backends.Nope", "no_such_module.Thing"])
def test_unknown_backend(name: str) -> None:
    with pytest.raises(UnknownBackendError) as error:
        get_backend(name)
    assert isinstance(error.value, PolicyError)
    assert repr(name) in str(error.value)


def test_object_that_is_not_a_backend() -> None:
    with pytest.raises(BackendError, match="has no name/legacy/parse"):
        get_backend("policies.robots.outcome_for_status")


def test_legacy_backends_pick_the_wrong_group_for_extended_tokens() -> None:
    body = b"User-agent: Applebot\nAllow: /\n\nUser-agent: *\nDisallow: /\n"
    assert (
        not get_backend("gleaner").parse(body).can_fetch("https://a.example/", "Applebot-Extended")
    )
    assert get_backend("protego").parse(body).can_fetch("https://a.example/", "Applebot-Extended")
