"""The scope of one robots.txt: a canonical ``scheme://host[:port]`` (RFC 9309 §2.3).

Every place that keys something by authority (the crawler's robots cache, the pipeline's
robots.txt captures, site-level signals) uses this one function, so that
``http://Host.:80/`` and ``http://host/`` are the same publisher and the same rules apply.
"""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["authority", "canonical_host"]

_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_host(host: str) -> str:
    """Lower-cased, without trailing dots, internationalised names in IDNA (``xn--``) form."""
    host = host.strip().lower().rstrip(".")
    if host.isascii() or host.startswith("["):
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:  # not a valid IDN: keep it whole, it is still one key
        return host


def authority(url: str) -> str:
    """``scheme://host[:port]`` with the default port dropped; userinfo and path ignored.

    A port that is not a number stays as written, so a malformed URL still has one key
    (and shares it with nothing it should not).
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # e.g. an unbalanced IPv6 bracket: the raw netloc is the key
        scheme, _, rest = url.strip().partition("://")
        netloc = rest.split("/", 1)[0].rpartition("@")[2]
        return f"{scheme.lower()}://{netloc.lower().rstrip('.')}"
    scheme = parts.scheme.lower()
    netloc = parts.netloc.rpartition("@")[2]
    host = canonical_host(parts.hostname or "")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        raw = netloc.rpartition(":")[2]
        return f"{scheme}://{host}:{raw}"
    if port is None or port == _DEFAULT_PORTS.get(scheme):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"
