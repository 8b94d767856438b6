"""URL hygiene for the frontier: seen-set keys, host keys and crawler-trap checks.

Pure functions over strings. The seen-set key is the canonical form of a URL
(w3lib: sorted query, normalised percent-encoding, no fragment) with session
identifiers removed and the host in canonical form (:func:`record.rows.host_key`),
so ``/a?b=1&a=2`` and ``/a?a=2&b=1;jsessionid=..`` are one page, as are
``http://h.:80/a`` and ``http://h/a``; the request itself keeps the URL as it
was discovered. Trap checks refuse
URLs that grow without end: too long, a path segment repeated, or too many
siblings of the same shape (``/calendar/2031/04``, ``/calendar/2031/05``, ...).
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

from record.rows import host_key

__all__ = ["SESSION_PARAMS", "host_key", "seen_key", "shape", "trap_reason"]

SESSION_PARAMS = frozenset(
    {"jsessionid", "phpsessid", "sid", "sessionid", "session_id", "aspsessionid", "cfid", "cftoken"}
)
_PATH_SESSION = re.compile(r";(jsessionid|phpsessid|sid|sessionid)=[^/?#]*", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")


def _drop_sessions(url: str) -> str:
    parts = urlsplit(url)
    path = _PATH_SESSION.sub("", parts.path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in SESSION_PARAMS]  # fmt: skip
    userinfo, at, _ = parts.netloc.lower().rpartition("@")
    netloc = f"{userinfo}{at}{host_key(url)}"  # ``h.:80`` is ``h``: one page, fetched once
    return urlunsplit((parts.scheme, netloc, path, urlencode(query), ""))


def seen_key(url: str) -> str:
    """The canonical form under which ``url`` enters the seen-set."""
    return canonicalize_url(_drop_sessions(url))


def shape(url: str) -> str:
    """``host/path?keys`` with digit runs as ``N``: calendar and pagination siblings share it."""
    parts = urlsplit(url)
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return f"{parts.netloc.lower()}{_DIGITS.sub('N', parts.path)}?{'&'.join(keys)}"


def trap_reason(url: str, max_length: int, max_repeats: int = 2) -> str | None:
    """Why ``url`` looks like a crawler trap (``url_too_long``, ...), or None."""
    if len(url) > max_length:
        return "url_too_long"
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if segments and max(Counter(segments).values()) > max_repeats:
        return "repeated_path_segment"
    return None
