"""The rules of ``gleaner remove`` and ``gleaner expire``: which documents a request names.

A :class:`Selector` is one of the request's forms (a host, a registered domain, a URL
prefix, document ids, a licensor); its :meth:`~Selector.judge` removes exactly the rows
it names, with reason ``requested`` and evidence naming the selector. :func:`expired`
removes licensed documents whose licence ended before a date, reason ``licence_expired``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from pipeline.errors import ConfigError
from pipeline.versions.removal import Judge, Removal

__all__ = ["SELECTORS", "Selector", "expired", "selector"]

#: The request forms, as ``gleaner remove`` spells them.
SELECTORS = ("host", "domain", "url_prefix", "id", "licensor")


def _host(value: str) -> str:
    """``Example.COM:8001`` or ``http://example.com:8001/x`` -> ``example.com:8001``."""
    value = value.strip()
    return (urlsplit(value).netloc if "://" in value else value.split("/")[0]).lower()


def _matches_domain(wanted: str) -> Callable[[dict[str, Any]], bool]:
    def match(row: dict[str, Any]) -> bool:
        domain = (row.get("domain") or "").lower()
        host = (row.get("host") or "").lower().rsplit(":", 1)[0]
        return wanted in (domain, host) or host.endswith(f".{wanted}")

    return match


@dataclass(frozen=True)
class Selector:
    """One request form and its value(s), e.g. ``Selector("host", ("127.0.0.1:8001",))``."""

    kind: str
    values: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.kind not in SELECTORS:
            raise ConfigError(f"unknown selector {self.kind!r}; one of {', '.join(SELECTORS)}")
        if not self.values or not all(v.strip() for v in self.values):
            raise ConfigError(f"--{self.option} needs a value")

    @property
    def option(self) -> str:
        return self.kind.replace("_", "-")

    def describe(self) -> str:
        """``--host 127.0.0.1:8001``: how the request named its documents (the evidence)."""
        return " ".join(f"--{self.option} {value}" for value in self.values)

    def matcher(self) -> Callable[[dict[str, Any]], bool]:
        if self.kind == "host":
            hosts = {_host(v) for v in self.values}
            return lambda row: (row.get("host") or "").lower() in hosts
        if self.kind == "domain":
            rules = [_matches_domain(_host(v).lstrip(".")) for v in self.values]
            return lambda row: any(rule(row) for rule in rules)
        if self.kind == "url_prefix":
            prefixes = tuple(self.values)
            return lambda row: (row.get("url") or "").startswith(prefixes)
        if self.kind == "id":
            ids = set(self.values)
            return lambda row: row["id"] in ids
        licensors = {v.strip().casefold() for v in self.values}
        return lambda row: (row.get("licensor") or "").casefold() in licensors

    def judge(self) -> Judge:
        """Remove what the selector names: reason ``requested``, evidence the selector."""
        match, evidence = self.matcher(), f"requested by {self.describe()}"

        def decide(row: dict[str, Any]) -> Removal | None:
            if not match(row):
                return None
            return Removal(row["id"], "requested", rule=self.kind, evidence=evidence)

        return decide


def expired(on: date) -> Judge:
    """Remove licensed documents whose licence is valid until a day before ``on``."""

    def decide(row: dict[str, Any]) -> Removal | None:
        until = row.get("license_valid_until")
        if until is None or until >= on:
            return None
        evidence = (
            f"licence of {row.get('licensor')} valid until {until.isoformat()} "
            f"(corpus {row.get('source')})"
        )
        return Removal(row["id"], "licence_expired", rule="valid_until", evidence=evidence)

    return decide


def selector(options: Mapping[str, Sequence[str]]) -> Selector:
    """The one selector given among ``options`` (kind -> values); :class:`ConfigError` when
    none or several are."""
    given = [(kind, tuple(values)) for kind, values in options.items() if values]
    if len(given) != 1:
        names = ", ".join(f"--{k.replace('_', '-')}" for k in SELECTORS)
        raise ConfigError(f"give exactly one of {names}")
    return Selector(*given[0])
