"""PII redaction: e-mail addresses, IP addresses and phone numbers become placeholders.

Redaction never drops a document; it counts what it replaced under
``pii/<kind>``. Placeholders (``<EMAIL>``, ``<IP>``, ``<PHONE>``) match none of
the patterns, so redacting twice changes nothing (tested with Hypothesis).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pipeline._checks import check_fields
from pipeline.document import Document
from pipeline.step import Step

__all__ = ["PiiConfig", "PiiRedactor", "redact"]

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.]*\d)")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")
_PHONE = re.compile(
    r"(?<![\w+])(?:"
    r"\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]\d{2,4}){1,4}"  # +44 20 7946 0958
    r"|\(\d{3}\)\s?\d{3}[\s.-]\d{4}"  # (555) 123-4567
    r"|\d{3}[.-]\d{3}[.-]\d{4}"  # 555-123-4567
    r")(?!\w)"
)


@dataclass(frozen=True, slots=True)
class PiiConfig:
    """Which kinds to redact, and whether licensed text is redacted too."""

    enabled: bool = True
    emails: bool = True
    ips: bool = True
    phones: bool = True
    licensed: bool = True

    def __post_init__(self) -> None:
        check_fields(self)


def _valid_ip(text: str) -> bool:
    if not any(c.isalnum() for c in text):  # a bare "::" in prose or code is no address
        return False
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _phone_digits(text: str) -> bool:
    return 7 <= sum(c.isdigit() for c in text) <= 15


_MAX_PASSES = 8

_RULES: tuple[tuple[str, re.Pattern[str], str, Callable[[str], bool]], ...] = (
    ("email", _EMAIL, "<EMAIL>", lambda _s: True),
    ("ip", _IPV4, "<IP>", _valid_ip),
    ("ip", _IPV6, "<IP>", _valid_ip),
    ("phone", _PHONE, "<PHONE>", _phone_digits),
)


def redact(
    text: str, kinds: frozenset[str] = frozenset({"email", "ip", "phone"})
) -> tuple[str, dict[str, int]]:
    """The text with PII replaced, and how many of each kind were replaced.

    A placeholder can free a neighbour that touched the replaced text (``7+1 555 …``),
    so passes repeat until nothing changes: that is what makes redaction idempotent.
    """
    counts: dict[str, int] = {}
    for _ in range(_MAX_PASSES):
        text, found = _redact_once(text, kinds)
        for kind, n in found.items():
            counts[kind] = counts.get(kind, 0) + n
        if not found:
            break
    return text, counts


def _redact_once(text: str, kinds: frozenset[str]) -> tuple[str, dict[str, int]]:
    counts: dict[str, int] = {}
    for kind, pattern, placeholder, valid in _RULES:
        if kind in kinds:
            text = pattern.sub(_swapper(kind, placeholder, valid, counts), text)
    return text, counts


def _swapper(
    kind: str, placeholder: str, valid: Callable[[str], bool], counts: dict[str, int]
) -> Callable[[re.Match[str]], str]:
    def swap(match: re.Match[str]) -> str:
        if not valid(match.group(0)):
            return match.group(0)
        counts[kind] = counts.get(kind, 0) + 1
        return placeholder

    return swap


class PiiRedactor(Step):
    """Replace e-mail addresses, IP addresses and phone numbers in every text."""

    name = "pii"

    def __init__(self, config: PiiConfig | None = None) -> None:
        super().__init__()
        self.config = config or PiiConfig()
        cfg = self.config
        chosen = {"email": cfg.emails, "ip": cfg.ips, "phone": cfg.phones}
        self.kinds = frozenset(k for k, on in chosen.items() if on)

    def __call__(self, docs: Iterator[Document]) -> Iterator[Document]:
        for doc in docs:
            self.stats.seen()
            if self.config.licensed or not doc.is_licensed:
                doc.text, counts = redact(doc.text, self.kinds)
                for kind, n in counts.items():
                    self.stats.add(f"pii/{kind}", n)
                if counts:
                    self.stats.add("redacted_docs")
            self.stats.kept()
            yield doc
