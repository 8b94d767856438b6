"""Percent-encoding canonicalisation shared by URLs and patterns (RFC 9309 §2.2.2).

RFC 9309 asks that the URL and the rule be normalised "the same way" before comparison. We
use the concrete canonicalisation OPTOUT-SIGNALS.md §1.4 gives (it passes every example in
RFC 9309 Figures 4 and 6): decode every ``%XX`` except ``%2F`` and ``%25`` (and, in
patterns, ``%2A`` so that an escaped star stays a literal), then UTF-8 percent-encode every
octet except unreserved characters, ``/``, ``%`` and ``=`` (patterns also keep ``*``), with
upper-case hex. ``%2F`` therefore never equals ``/``, ``%62`` equals ``b``, and ``ツ``
equals ``%E3%83%84``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote_from_bytes

__all__ = ["canonical_pattern", "canonical_url_path", "match_target"]

_ESCAPE = re.compile(rb"%([0-9A-Fa-f]{2})")
_URL_KEPT = frozenset({b"2F", b"25"})
_PATTERN_KEPT = frozenset({b"2F", b"25", b"2A"})
_URL_SAFE = "/%="
_PATTERN_SAFE = "/%=*"
# Text already in canonical form: nothing to decode, nothing to encode.
_PLAIN_URL = re.compile(r"[A-Za-z0-9\-._~/=]*").fullmatch
_PLAIN_PATTERN = re.compile(r"[A-Za-z0-9\-._~/=*]*").fullmatch
_AUTHORITY_END = re.compile(r"[/?]")


def match_target(url: str) -> str:
    """Return the part of ``url`` rules match against: path, params and query.

    Scheme, userinfo, host, port and fragment are dropped; an empty path becomes ``/``.
    """
    url = url.split("#", 1)[0]
    if not url.startswith("/") or url.startswith("//"):
        scheme_end = url.find("://")
        if scheme_end >= 0:
            url = url[scheme_end + 3 :]
        elif url.startswith("//"):
            url = url[2:]
        else:
            return "/" + url if not url.startswith("/") else url
        found = _AUTHORITY_END.search(url)
        url = url[found.start() :] if found else ""
    return url if url.startswith("/") else "/" + url


def canonical_url_path(target: str) -> str:
    """Canonicalise a match target (see :func:`match_target`)."""
    if _PLAIN_URL(target):
        return target
    return _canonicalise(target, _URL_KEPT, _URL_SAFE)


@lru_cache(maxsize=8192)
def canonical_pattern(pattern: str) -> str:
    """Canonicalise a rule pattern; a final ``$`` stays an anchor, any other is literal."""
    anchor = "$" if pattern.endswith("$") else ""
    body = pattern[:-1] if anchor else pattern
    if not _PLAIN_PATTERN(body):
        body = _canonicalise(body, _PATTERN_KEPT, _PATTERN_SAFE)
    return body + anchor


def _canonicalise(text: str, kept: frozenset[bytes], safe: str) -> str:
    raw = text.encode("utf-8", "surrogateescape")

    def decode(found: re.Match[bytes]) -> bytes:
        hex_digits = found.group(1).upper()
        return b"%" + hex_digits if hex_digits in kept else bytes.fromhex(hex_digits.decode())

    return quote_from_bytes(_ESCAPE.sub(decode, raw), safe=safe)
