"""Normalise the many shapes a caller's response headers arrive in.

Accepted: a list of ``(name, value)`` pairs (repeated names allowed), or a mapping whose
values are a string or a list of strings. Bytes are decoded as ISO-8859-1 (HTTP's
historical default) so that Scrapy's ``Headers`` or raw archive headers need no
conversion. Names compare case-insensitively.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["HeaderPairs", "HeadersInput", "header_values", "normalise_headers"]

HeaderPairs = list[tuple[str, str]]
HeadersInput = Mapping[str, str | list[str]] | Iterable[tuple[str, str]] | None


def normalise_headers(headers: object) -> HeaderPairs:
    """Return ``(lower-case name, value)`` pairs in order; unusable entries are skipped."""
    if headers is None:
        return []
    items: Iterable[object]
    if isinstance(headers, Mapping):
        items = headers.items()
    elif isinstance(headers, Iterable) and not isinstance(headers, (str, bytes)):
        items = headers
    else:
        return []
    pairs: HeaderPairs = []
    for item in items:
        if isinstance(item, tuple) and len(item) == 2:
            name = _text(item[0])
            pairs.extend((name.strip().lower(), value) for value in _values(item[1]))
    return pairs


def header_values(pairs: HeaderPairs, name: str) -> list[str]:
    """All values of header ``name`` (lower-case), in order."""
    return [value for key, value in pairs if key == name]


def _values(value: object) -> list[str]:
    if isinstance(value, (str, bytes, bytearray)):
        return [_text(value)]
    if isinstance(value, (list, tuple)):
        return [_text(each) for each in value if isinstance(each, (str, bytes, bytearray))]
    return []


def _text(value: object) -> str:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("latin-1")
    return value if isinstance(value, str) else ""
