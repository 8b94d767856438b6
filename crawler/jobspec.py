"""The job spec: one TOML file says what to crawl, as whom, how politely.

Every value is checked when the file is loaded, and a bad one is refused with
a message that names the file, the key and the value.
"""

from __future__ import annotations

import ipaddress
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from croniter import croniter

from crawler.errors import JobSpecError

__all__ = ["JobSpec", "load_job"]

_TOKEN = re.compile(r"^[A-Za-z_-]+$")
_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")


@dataclass(frozen=True)
class JobSpec:
    """A validated crawl job (see ARCHITECTURE.md, "Job spec")."""

    name: str
    seeds: tuple[str, ...]
    sitemaps: tuple[str, ...]
    allowed_hosts: tuple[str, ...]
    allow_private: tuple[str, ...]
    max_depth: int
    max_pages_per_host: int
    crawl_token: str
    training_token: str
    user_agent: str
    min_delay: float
    concurrency_per_host: int
    max_crawl_delay: float
    max_body_bytes: int
    max_signal_bytes: int
    content_types: tuple[str, ...]
    output: Path
    cron: str | None
    source: Path


def load_job(path: Path) -> JobSpec:
    """Read and validate a job file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise JobSpecError(f"{path}: unreadable job file: {exc}") from exc
    return _build(path, _Table(path, data))


class _Table:
    """Typed access to the job's tables with errors that name file and key."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path, self.data = path, data

    def get(self, section: str, key: str, kind: type, default: Any = ...) -> Any:
        value = self.data.get(section, {}).get(key, default)
        if value is ...:
            raise JobSpecError(f"{self.path}: [{section}] {key} is required")
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise JobSpecError(
                f"{self.path}: [{section}] {key} ({value!r}) must be {kind.__name__}"
            )
        return value

    def fail(self, section: str, key: str, value: Any, why: str) -> JobSpecError:
        return JobSpecError(f"{self.path}: [{section}] {key} ({value!r}) {why}")


def _build(path: Path, t: _Table) -> JobSpec:
    seeds = tuple(t.get("job", "seeds", list, []))
    sitemaps = tuple(t.get("job", "sitemaps", list, []))
    if not seeds and not sitemaps:
        raise t.fail("job", "seeds", [], "must list at least one URL (or give sitemaps)")
    for url in (*seeds, *sitemaps):
        if urlsplit(str(url)).scheme not in ("http", "https"):
            raise t.fail("job", "seeds", url, "must be an http or https URL")
    spec = JobSpec(
        name=_name(t),
        seeds=seeds,
        sitemaps=sitemaps,
        allowed_hosts=tuple(h.lower() for h in t.get("scope", "allowed_hosts", list, [])),
        allow_private=tuple(str(a) for a in t.get("scope", "allow_private", list, [])),
        max_depth=t.get("scope", "max_depth", int, 5),
        max_pages_per_host=t.get("scope", "max_pages_per_host", int, 1000),
        crawl_token=t.get("identity", "crawl_token", str, "Gleaner"),
        training_token=t.get("identity", "training_token", str, "Gleaner-Extended"),
        user_agent=t.get("identity", "user_agent", str, ""),
        min_delay=t.get("politeness", "min_delay", float, 1.0),
        concurrency_per_host=t.get("politeness", "concurrency_per_host", int, 1),
        max_crawl_delay=t.get("politeness", "max_crawl_delay", float, 30.0),
        max_body_bytes=t.get("limits", "max_body_bytes", int, 1024 * 1024),
        max_signal_bytes=t.get("limits", "max_signal_bytes", int, 8 * 1024 * 1024),
        content_types=tuple(
            t.get("limits", "content_types", list, ["text/html", "application/xhtml+xml"])
        ),
        output=(path.parent / t.get("job", "output", str, "runs")).resolve(),
        cron=t.get("schedule", "cron", str, None) if "schedule" in t.data else None,
        source=path.resolve(),
    )
    _check(spec, t)
    return spec


def _name(t: _Table) -> str:
    name = t.get("job", "name", str)
    if not _NAME.match(name):
        raise t.fail("job", "name", name, "may use only letters, digits, '.', '_' and '-'")
    return str(name)


def _check(spec: JobSpec, t: _Table) -> None:
    if spec.cron is not None and not croniter.is_valid(spec.cron):
        raise t.fail("schedule", "cron", spec.cron, "is not a cron expression (m h dom mon dow)")
    for value in spec.content_types:
        if not isinstance(value, str) or "/" not in value:
            raise t.fail("limits", "content_types", value, "must look like type/subtype")
    for value in spec.allow_private:
        try:
            ipaddress.ip_network(value.strip(), strict=False)
        except ValueError:
            raise t.fail(
                "scope", "allow_private", value, "is not an IP address or network"
            ) from None
    for key in ("crawl_token", "training_token"):
        token = getattr(spec, key)
        if not _TOKEN.match(token):
            raise t.fail("identity", key, token, "must match [A-Za-z_-]+ (RFC 9309)")
    ua = spec.user_agent
    if spec.crawl_token not in ua or "http" not in ua:
        raise t.fail("identity", "user_agent", ua, "must name the crawl token and a URL")
    if spec.min_delay < 1.0:
        raise t.fail("politeness", "min_delay", spec.min_delay, "must be at least 1 second")
    if spec.concurrency_per_host < 1:
        raise t.fail(
            "politeness", "concurrency_per_host", spec.concurrency_per_host, "must be >= 1"
        )
    for key in ("max_depth", "max_pages_per_host", "max_body_bytes"):
        if getattr(spec, key) < 1:
            raise t.fail(
                "scope" if key != "max_body_bytes" else "limits",
                key,
                getattr(spec, key),
                "must be >= 1",
            )
    if spec.max_signal_bytes < spec.max_body_bytes:
        # Signals are read in the whole archived body at least, or the cut would hide them.
        why = f"must be >= max_body_bytes ({spec.max_body_bytes})"
        raise t.fail("limits", "max_signal_bytes", spec.max_signal_bytes, why)
