"""A strict RFC 9651 Structured Fields Dictionary parser (what aipref needs, no more).

aipref (draft-ietf-aipref-vocab §4) says a preference that fails to parse as a Dictionary
means "no preference", so this parser is strict: any syntax error raises
:class:`SfvSyntaxError` and the caller treats the whole field as unknown. Values come back
as ``(kind, value)`` pairs, so a Token ``n`` is distinguishable from a String ``"n"``;
parameters are parsed (to validate them) and dropped, as aipref ignores them.
"""

from __future__ import annotations

import re

__all__ = ["BareItem", "SfvSyntaxError", "parse_dictionary"]

BareItem = tuple[str, object]

_KEY = re.compile(r"[a-z*][a-z0-9_\-.*]*")
_TOKEN = re.compile(r"[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_BYTES = re.compile(r":([A-Za-z0-9+/=]*):")
_DISPLAY = re.compile(r'%"((?:[\x20\x23-\x7e])*)"')


class SfvSyntaxError(ValueError):
    """The field value is not a valid Structured Fields Dictionary."""


class _Cursor:
    __slots__ = ("pos", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def skip(self, chars: str) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in chars:
            self.pos += 1

    def take(self, pattern: re.Pattern[str]) -> re.Match[str]:
        found = pattern.match(self.text, self.pos)
        if found is None:
            raise SfvSyntaxError(f"unexpected input at offset {self.pos}")
        self.pos = found.end()
        return found


def parse_dictionary(text: str) -> dict[str, BareItem]:
    """Parse ``text`` as a Dictionary; later duplicate keys replace earlier ones."""
    cursor = _Cursor(text.strip(" \t"))
    members: dict[str, BareItem] = {}
    while cursor.peek():
        key = cursor.take(_KEY).group()
        if cursor.peek() == "=":
            cursor.pos += 1
            value = _parse_member_value(cursor)
        else:
            value = ("boolean", True)
            _parse_parameters(cursor)
        members.pop(key, None)
        members[key] = value
        cursor.skip(" \t")
        if not cursor.peek():
            break
        if cursor.peek() != ",":
            raise SfvSyntaxError(f"expected ',' at offset {cursor.pos}")
        cursor.pos += 1
        cursor.skip(" \t")
        if not cursor.peek():
            raise SfvSyntaxError("trailing comma")
    return members


def _parse_member_value(cursor: _Cursor) -> BareItem:
    if cursor.peek() == "(":
        _parse_inner_list(cursor)
        return ("inner-list", None)
    item = _parse_bare_item(cursor)
    _parse_parameters(cursor)
    return item


def _parse_inner_list(cursor: _Cursor) -> None:
    cursor.pos += 1
    while True:
        cursor.skip(" ")
        if cursor.peek() == ")":
            cursor.pos += 1
            _parse_parameters(cursor)
            return
        if not cursor.peek():
            raise SfvSyntaxError("unterminated inner list")
        _parse_bare_item(cursor)
        _parse_parameters(cursor)
        if cursor.peek() not in " )":
            raise SfvSyntaxError(f"bad inner list at offset {cursor.pos}")


def _parse_parameters(cursor: _Cursor) -> None:
    while cursor.peek() == ";":
        cursor.pos += 1
        cursor.skip(" ")
        cursor.take(_KEY)
        if cursor.peek() == "=":
            cursor.pos += 1
            _parse_bare_item(cursor)


def _parse_bare_item(cursor: _Cursor) -> BareItem:
    char = cursor.peek()
    if char == '"':
        return ("string", _parse_string(cursor))
    if char == "?":
        return ("boolean", cursor.take(re.compile(r"\?[01]")).group() == "?1")
    if char == ":":
        return ("bytes", cursor.take(_BYTES).group(1))
    if char == "@":
        cursor.pos += 1
        return ("date", _parse_number(cursor, integer_only=True))
    if char == "%":
        return ("display", cursor.take(_DISPLAY).group(1))
    if char == "-" or char.isdigit():
        return ("number", _parse_number(cursor, integer_only=False))
    return ("token", cursor.take(_TOKEN).group())


def _parse_number(cursor: _Cursor, *, integer_only: bool) -> float:
    text = cursor.take(_NUMBER).group()
    integer, _, fraction = text.lstrip("-").partition(".")
    too_long = len(integer) > (15 if not fraction else 12) or len(fraction) > 3
    if too_long or (integer_only and fraction):
        raise SfvSyntaxError(f"number out of range: {text}")
    return float(text)


def _parse_string(cursor: _Cursor) -> str:
    cursor.pos += 1
    chars: list[str] = []
    while cursor.pos < len(cursor.text):
        char = cursor.text[cursor.pos]
        cursor.pos += 1
        if char == "\\":
            escaped = cursor.peek()
            if escaped not in ('"', "\\") or not escaped:
                raise SfvSyntaxError("bad escape in string")
            chars.append(escaped)
            cursor.pos += 1
        elif char == '"':
            return "".join(chars)
        elif not " " <= char <= "~":
            raise SfvSyntaxError("non-printable character in string")
        else:
            chars.append(char)
    raise SfvSyntaxError("unterminated string")
