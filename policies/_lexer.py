"""Turn a robots.txt-style body into keyed lines (RFC 9309 §2.2, Google's leniencies).

Policy encoded here:

* the parse limit is 512 KiB (RFC 9309 §2.5 requires at least 500 KiB); the body is cut at
  the last line boundary inside the limit, so no rule is ever half-parsed;
* a UTF-8 byte-order mark, or any leading part of one, is skipped (google/robotstxt);
* CR, LF and CRLF all end a line; ``#`` starts a comment anywhere;
* each line is cut after 16 664 bytes, as Google does, so a 100 KB line costs nothing;
* keys are case-insensitive and the common misspellings Google accepts are accepted: a
  lenient ``disallow`` only ever restricts us;
* a line without a colon is accepted when it is exactly two whitespace-separated words.

Bytes that are not UTF-8 are kept as surrogate escapes, so a raw byte in a rule compares
equal to the same byte percent-encoded in a URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = [
    "ALLOW",
    "CONTENT_SIGNAL",
    "CONTENT_USAGE",
    "CRAWL_DELAY",
    "DISALLOW",
    "MAX_LINE_CHARS",
    "OTHER",
    "PARSE_LIMIT_BYTES",
    "REQUEST_RATE",
    "SITEMAP",
    "USER_AGENT",
    "Line",
    "decode_body",
    "tokenize",
]

PARSE_LIMIT_BYTES = 512 * 1024
MAX_LINE_CHARS = 2083 * 8

USER_AGENT = "user-agent"
ALLOW = "allow"
DISALLOW = "disallow"
SITEMAP = "sitemap"
CRAWL_DELAY = "crawl-delay"
REQUEST_RATE = "request-rate"
CONTENT_USAGE = "content-usage"
CONTENT_SIGNAL = "content-signal"
OTHER = "other"

_KEYS = {
    "user-agent": USER_AGENT,
    "useragent": USER_AGENT,
    "user agent": USER_AGENT,
    "allow": ALLOW,
    "disallow": DISALLOW,
    "dissallow": DISALLOW,
    "dissalow": DISALLOW,
    "disalow": DISALLOW,
    "diasllow": DISALLOW,
    "disallaw": DISALLOW,
    "sitemap": SITEMAP,
    "site-map": SITEMAP,
    "crawl-delay": CRAWL_DELAY,
    "crawldelay": CRAWL_DELAY,
    "crawl_delay": CRAWL_DELAY,
    "request-rate": REQUEST_RATE,
    "content-usage": CONTENT_USAGE,
    "content-signal": CONTENT_SIGNAL,
}

_BOM = b"\xef\xbb\xbf"
_NEWLINES = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class Line:
    """One parsed ``key: value`` line; ``number`` is 1-based in the (capped) body."""

    key: str
    value: str
    number: int
    raw_key: str


def decode_body(body: bytes | str) -> tuple[str, bool]:
    """Return the text to parse and whether the 512 KiB limit cut it.

    A ``str`` body is treated as if it had been received UTF-8 encoded.
    """
    raw = body.encode("utf-8", "surrogateescape") if isinstance(body, str) else bytes(body)
    raw = _skip_bom(raw)
    truncated = len(raw) > PARSE_LIMIT_BYTES
    if truncated:
        raw = _cut_at_line_boundary(raw[:PARSE_LIMIT_BYTES])
    return raw.decode("utf-8", "surrogateescape"), truncated


def _skip_bom(raw: bytes) -> bytes:
    for size in (3, 2, 1):
        if raw[:size] == _BOM[:size]:
            return raw[size:]
    return raw


def _cut_at_line_boundary(raw: bytes) -> bytes:
    end = max(raw.rfind(b"\n"), raw.rfind(b"\r"))
    return raw[: end + 1] if end >= 0 else b""


def tokenize(text: str) -> Iterator[Line]:
    """Yield every parseable line; unparseable lines are skipped (RFC 9309 §2.3.1.5)."""
    for number, text_line in enumerate(_NEWLINES.split(text), start=1):
        line = _split_line(text_line[:MAX_LINE_CHARS])
        if line is not None:
            raw_key, value = line
            key = _KEYS.get(raw_key.lower(), OTHER)
            yield Line(key, value, number, raw_key)


def _split_line(text: str) -> tuple[str, str] | None:
    text = text.split("#", 1)[0].strip()
    if not text:
        return None
    key, colon, value = text.partition(":")
    if colon:
        key = " ".join(key.split())
        return (key, value.strip()) if key else None
    words = text.split()
    # Google accepts a missing colon only when the line is exactly "key value".
    if len(words) == 2:
        return words[0], words[1]
    return None
