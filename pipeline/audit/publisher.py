"""Which publisher an audit is about: one host (``--host``) or one registered domain (``--domain``).

A host is the canonical authority without its scheme, ``host[:port]`` as the decision log's
``host`` column holds it (:func:`record.rows.host_key`): lower case, no trailing dot, the
default port dropped, so ``Example.COM:80`` and ``http://example.com/`` are one publisher.
A domain matches its own host and every host under it, at any port. Each table names the
publisher its own way (a ``host`` column, a robots log ``authority``, only a ``url``), so
the selector writes one SQL condition per shape; the values are escaped here, once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.errors import ConfigError
from policies.authority import authority, canonical_host

__all__ = ["Publisher"]

_DEFAULT_PORTS = (":80", ":443")


@dataclass(frozen=True)
class Publisher:
    """A publisher to audit: ``kind`` is ``host`` or ``domain``; ``value`` is canonical."""

    kind: str
    value: str

    @classmethod
    def host(cls, text: str) -> Publisher:
        """``--host``: ``host[:port]`` or a URL; :class:`ConfigError` when it names none."""
        raw = text.strip()
        if "://" in raw:
            key = authority(raw).partition("://")[2]
        elif any(c in raw for c in "/?#@ ") or not raw:
            key = ""
        else:  # no scheme: ``:443`` is as much a default port as ``:80``
            key = authority(f"http://{raw}").partition("://")[2].removesuffix(":443")
        if not key or key.startswith(":"):
            raise ConfigError(f"--host {text!r}: give a host[:port] such as news.example:8080")
        return cls("host", key)

    @classmethod
    def domain(cls, text: str) -> Publisher:
        """``--domain``: a registered domain (or any name under which hosts are matched)."""
        value = canonical_host(text)
        if not value or any(c in value for c in "/:@ "):
            raise ConfigError(f"--domain {text!r}: give a domain name such as news.example")
        return cls("domain", value)

    def host_condition(self, column: str) -> str:
        """SQL: a ``host`` column (``host[:port]``, as logs and shards hold it) is ours."""
        if self.kind == "host":
            ports = ("",) if self._has_port() else ("", *_DEFAULT_PORTS)
            keys = ", ".join(_quote(self.value + port) for port in ports)
            return f"lower({column}) IN ({keys})"
        # LIKE, not a regular expression: it is the one filter over every shard row.
        d = _like(self.value)
        likes = (f"'%.{d}'", f"'{d}:%'", f"'%.{d}:%'")
        host = f"lower({column})"
        either = " OR ".join(f"{host} LIKE {pattern} ESCAPE '\\'" for pattern in likes)
        return f"({host} = {_quote(self.value)} OR {either})"

    def document_condition(self) -> str:
        """SQL over a shard: the ``host`` column, or for a domain the ``domain`` column too."""
        if self.kind == "host":
            return self.host_condition("host")
        return f"(domain = {_quote(self.value)} OR {self.host_condition('host')})"

    def authority_condition(self, column: str) -> str:
        """SQL: a robots log ``authority`` (``scheme://host[:port]``) is ours."""
        pattern = "^[a-z][a-z0-9+.-]*://" + self._host_pattern()[1:]
        return f"regexp_matches(lower({column}), {_quote(pattern)})"

    def url_condition(self, column: str) -> str:
        """SQL: a ``url`` is on our host(s) (tables without a host column)."""
        pattern = "^[a-z][a-z0-9+.-]*://([^/?#@]*@)?" + self._host_pattern()[1:-1] + "([/?#]|$)"
        return f"regexp_matches(lower({column}), {_quote(pattern)})"

    def _host_pattern(self) -> str:
        if self.kind == "host":
            host, colon, port = (
                self.value.rpartition(":") if self._has_port() else (self.value, "", "")
            )
            ports = f":{port}" if colon else "(:80|:443)?"
            return f"^{re.escape(host)}{ports}$"
        return f"^([^/?#@:]+\\.)?{re.escape(self.value)}(:[0-9]+)?$"

    def _has_port(self) -> bool:
        return re.search(r":[0-9]+$", self.value) is not None


def _like(text: str) -> str:
    """``text`` inside a LIKE pattern: its own ``%`` and ``_`` match only themselves."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("'", "''")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
