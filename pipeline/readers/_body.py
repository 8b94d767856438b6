"""An HTTP body as the server meant it: chunked transfer and content encodings undone.

warcio decodes bodies itself, but its brotli decoder sets an attribute that the
``brotli`` module (1.2) does not allow (``Decompressor.unused_data``: AttributeError
before a byte is read), so every ``br`` body failed, and it knows no ``zstd``. We take
the raw body and undo ``Transfer-Encoding: chunked`` and each ``Content-Encoding``
(``gzip``, ``deflate`` as zlib or raw, ``br``, ``zstd``, in reverse order of
application) here, never producing more than ``limit`` bytes. A body that cannot be
decoded, or whose compressed stream ends early in a record not marked truncated,
raises :class:`BodyError`: the reader counts and names it, and never passes
compressed bytes off as text.

Archivers often store the body already decoded but keep the headers; as warcio does,
a body that is not chunked or not compressed from its first byte is taken as it is.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable

import brotli

try:  # the standard library from Python 3.14 on
    from compression import zstd  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the Python version
    from backports import zstd

__all__ = ["BodyError", "decode_body"]

_CHUNK_SIZE = re.compile(rb"[0-9a-fA-F]+[ \t]*(?:;[^\r\n]*)?\r?\n")


class BodyError(ValueError):
    """Raised when a body declares an encoding its bytes do not follow."""


def decode_body(
    raw: bytes, transfer: str, encodings: str, limit: int, *, cut: bool = False
) -> bytes:
    """Undo ``transfer`` (chunked) and ``encodings`` (a Content-Encoding value).

    A compressed stream that ends early is an error unless the record says it was
    ``cut`` (WARC-Truncated) or the output reached ``limit``.
    """
    body = dechunk(raw) if "chunked" in transfer.lower() else raw
    for name in reversed([e.strip().lower() for e in encodings.split(",") if e.strip()]):
        if name in ("identity", "none", "utf-8", "utf8"):
            continue
        decoder = _DECODERS.get(name)
        if decoder is None:
            raise BodyError(f"unknown Content-Encoding {name!r}")
        body = decoder(body, limit, cut)
    return body


def dechunk(raw: bytes) -> bytes:
    """The data of a chunked body; a body that does not start like one is returned as is.

    A body cut inside a chunk (a truncated record) keeps what arrived.
    """
    if not _CHUNK_SIZE.match(raw):
        return raw
    parts, pos = [], 0
    while pos < len(raw):
        size_line = _CHUNK_SIZE.match(raw, pos)
        if size_line is None:
            raise BodyError(f"broken chunked encoding at byte {pos}")
        size = int(size_line.group().split(b";")[0].strip(), 16)
        if size == 0:
            break
        start = size_line.end()
        parts.append(raw[start : start + size])
        pos = start + size
        pos += 2 if raw[pos : pos + 2] == b"\r\n" else 1 if raw[pos : pos + 1] == b"\n" else 0
    return b"".join(parts)


Decoder = Callable[[bytes, int], tuple[bytes, bool]]  # data, limit -> output, finished


def _zlib(wbits: int) -> Decoder:
    def decode(body: bytes, limit: int) -> tuple[bytes, bool]:
        unpacker = zlib.decompressobj(wbits)
        return unpacker.decompress(body, limit), unpacker.eof

    return decode


def _deflate(body: bytes, limit: int) -> tuple[bytes, bool]:
    # RFC 9110 says zlib-wrapped; many servers send raw deflate.
    wbits = zlib.MAX_WBITS if body[:1] == b"\x78" else -zlib.MAX_WBITS
    return _zlib(wbits)(body, limit)


def _brotli(body: bytes, limit: int) -> tuple[bytes, bool]:
    unpacker = brotli.Decompressor()
    return bytes(unpacker.process(body, output_buffer_limit=limit)), unpacker.is_finished()


def _zstd(body: bytes, limit: int) -> tuple[bytes, bool]:
    unpacker = zstd.ZstdDecompressor()
    return bytes(unpacker.decompress(body, max_length=limit)), unpacker.eof


def _lenient(decode: Decoder, magic: bytes | None) -> Callable[[bytes, int, bool], bytes]:
    """Stored already decoded (no magic, starts like text): as is; else decode or raise."""

    def run(body: bytes, limit: int, cut: bool) -> bytes:
        if not body or (magic is not None and not body.startswith(magic) and _textual(body)):
            return body
        try:
            data, finished = decode(body, limit)
        except (zlib.error, brotli.error, zstd.ZstdError) as exc:
            if magic is None and _textual(body):
                return body
            raise BodyError(f"undecodable body: {exc}") from exc
        if not (finished or cut or len(data) >= limit):
            raise BodyError("compressed body ends early")
        return data[:limit]

    return run


def _textual(body: bytes) -> bool:
    """Starts like markup or text (what an undecoded body looks like), not like binary."""
    head = body[:512].lstrip()
    return head[:1] in (b"<", b"{", b"[") or (bool(head) and b"\x00" not in head and head.isascii())


_DECODERS: dict[str, Callable[[bytes, int, bool], bytes]] = {
    "gzip": _lenient(_zlib(16 + zlib.MAX_WBITS), b"\x1f\x8b"),
    "x-gzip": _lenient(_zlib(16 + zlib.MAX_WBITS), b"\x1f\x8b"),
    "deflate": _lenient(_deflate, None),
    "br": _lenient(_brotli, None),
    "zstd": _lenient(_zstd, b"\x28\xb5\x2f\xfd"),
}
