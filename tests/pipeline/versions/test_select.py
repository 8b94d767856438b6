"""The rules of remove and expire, on single rows: what each selector names."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from pipeline.errors import ConfigError
from pipeline.versions.select import Selector, expired, selector


def row(**values: Any) -> dict[str, Any]:
    base = {"id": "x1", "url": None, "host": None, "domain": None, "licensor": None}
    return base | {"source": "web"} | values


WEB = row(url="http://News.example:8001/a/b", host="news.example:8001", domain="example")
SUB = row(url="https://blog.example.org/p", host="blog.example.org", domain="example.org")
LICENSED = row(id="l1", source="acme", licensor="Acme Ltd.")


@pytest.mark.parametrize(
    ("kind", "value", "document", "removed"),
    [
        ("host", "news.example:8001", WEB, True),
        ("host", "NEWS.example:8001", WEB, True),
        ("host", "http://news.example:8001/", WEB, True),
        ("host", "news.example", WEB, False),  # another port is another host
        ("host", "news.example:8001", LICENSED, False),
        ("domain", "example.org", SUB, True),
        ("domain", "blog.example.org", SUB, True),
        ("domain", "example", WEB, True),
        ("domain", "ample.org", SUB, False),  # a suffix, but not a label boundary
        ("url_prefix", "http://News.example:8001/a/", WEB, True),
        ("url_prefix", "http://news.example:8001/a/", WEB, False),  # a plain string prefix
        ("id", "x1", WEB, True),
        ("id", "x2", WEB, False),
        ("licensor", "acme ltd.", LICENSED, True),
        ("licensor", "Acme", LICENSED, False),
    ],
)
def test_a_selector_names_its_documents(
    kind: str, value: str, document: dict[str, Any], removed: bool
) -> None:
    verdict = Selector(kind, (value,)).judge()(document)
    assert (verdict is not None) == removed
    if verdict is not None:
        assert (verdict.id, verdict.reason, verdict.rule) == (document["id"], "requested", kind)
        assert verdict.evidence == f"requested by --{kind.replace('_', '-')} {value}"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "give exactly one of --host, --domain, --url-prefix, --id, --licensor"),
        ({"host": ["a"], "id": ["b"]}, "give exactly one of"),
        ({"host": [" "]}, "--host needs a value"),
    ],
)
def test_exactly_one_selector_with_a_value(options: dict[str, list[str]], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        selector(options)


@pytest.mark.parametrize(
    ("until", "on", "removed"),
    [
        (date(2027, 12, 31), date(2028, 1, 1), True),
        (date(2027, 12, 31), date(2027, 12, 31), False),  # valid through its last day
        (None, date(2099, 1, 1), False),  # no end date: never expires
    ],
)
def test_a_licence_expires_after_its_last_valid_day(
    until: date | None, on: date, removed: bool
) -> None:
    document = LICENSED | {"license_valid_until": until}
    verdict = expired(on)(document)
    assert (verdict is not None) == removed
    if verdict is not None:
        assert verdict.reason == "licence_expired"
        assert verdict.evidence == "licence of Acme Ltd. valid until 2027-12-31 (corpus acme)"
