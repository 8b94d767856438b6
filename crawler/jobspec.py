"""The job spec: one TOML file says what to crawl, as whom, how politely.

Every value is checked when the file is loaded, and a bad one is refused with
a message that names the file, the key and the value. Numbers must be finite
and inside the range in :data:`_NUMBERS`; lists must hold items of the right
kind; the job name must be a single path component, because it becomes the
run folder's parent.

A job does not declare defaults of its own: each key that is a crawler setting
maps onto it (:data:`JOB_SETTINGS`), and a key the job leaves out takes that
setting's value in :mod:`crawler.settings`, the one place for defaults.
"""

from __future__ import annotations

import ipaddress
import math
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

from croniter import croniter

from crawler import settings as defaults
from crawler._names import check_names
from crawler.errors import JobSpecError

__all__ = ["JOB_KEYS", "JOB_SETTINGS", "JobSpec", "job_settings", "load_job"]

_TOKEN = re.compile(r"[A-Za-z_-]+")
_NAME = re.compile(r"[A-Za-z0-9_.-]+")


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
    # [frontier]: crawl workers sharing one Redis frontier (crawler.cluster).
    workers: int
    lease: float
    # [refresh]: the datasets whose publishers `gleaner schedule` asks again, and when.
    refresh_datasets: tuple[Path, ...] = ()
    refresh_cron: str | None = None
    frontier_url: str | None = None


@dataclass(frozen=True)
class _Number:
    """A numeric key: where it lives, the setting it sets, its type and inclusive range."""

    section: str
    key: str
    setting: str
    kind: type[int] | type[float]
    low: float
    high: float
    unit: str = ""

    @property
    def default(self) -> float:
        value: float = getattr(defaults, self.setting)
        return value

    def amount(self, value: float) -> str:
        unit = f" {self.unit}{'' if value == 1 else 's'}" if self.unit else ""
        return f"{_plain(value)}{unit}"


#: Every numeric key of a job file, one line each. The upper bounds catch values
#: that can only be typos: more than an hour between two requests to one host is
#: not a crawl anyone meant (and `inf` would never send one), a day is the longest
#: pause we honour anywhere (the Retry-After cap), 1 GiB is Scrapy's own
#: DOWNLOAD_MAXSIZE default. docs/reference.md lists them; a test keeps it in step.
_NUMBERS: Final = (
    _Number("scope", "max_depth", "DEPTH_LIMIT", int, 1, 1_000),
    _Number("scope", "max_pages_per_host", "GLEANER_MAX_PAGES_PER_HOST", int, 1, 100_000_000),
    _Number("politeness", "min_delay", "DOWNLOAD_DELAY", float, 1.0, 3_600.0, "second"),
    _Number("politeness", "concurrency_per_host", "CONCURRENT_REQUESTS_PER_DOMAIN", int, 1, 16),
    _Number(
        "politeness", "max_crawl_delay", "ROBOTS_MAX_CRAWL_DELAY", float, 0.0, 86_400.0, "second"
    ),
    _Number("limits", "max_body_bytes", "DOWNLOAD_MAXSIZE", int, 1, 1024**3, "byte"),
    _Number("limits", "max_signal_bytes", "SIGNALS_MAX_BYTES", int, 1, 1024**3, "byte"),
    _Number("frontier", "workers", "FRONTIER_WORKERS", int, 1, 64),
    _Number("frontier", "lease", "FRONTIER_LEASE", float, 2.0, 3_600.0, "second"),
)

#: Every job key that is a crawler setting, as ``"[section] key": "SETTING"``.
#: docs/reference.md names the setting beside each key; a test keeps it in step.
JOB_SETTINGS: Final = {
    "[identity] crawl_token": "GLEANER_CRAWL_TOKEN",
    "[identity] training_token": "GLEANER_TRAINING_TOKEN",
    "[identity] user_agent": "USER_AGENT",
    "[scope] allow_private": "GUARD_ALLOW_PRIVATE",
    "[limits] content_types": "GUARD_CONTENT_TYPES",
    **{f"[{n.section}] {n.key}": n.setting for n in _NUMBERS},
}


#: Every table of a job file and its keys, in the order `gleaner check` prints them.
#: Anything else is refused, so a misspelt limit cannot fall back to its default.
JOB_KEYS: Final = {
    "job": ("name", "seeds", "sitemaps", "output"),
    "identity": ("user_agent", "crawl_token", "training_token"),
    "scope": ("allowed_hosts", "allow_private", "max_depth", "max_pages_per_host"),
    "politeness": ("min_delay", "concurrency_per_host", "max_crawl_delay"),
    "limits": ("max_body_bytes", "max_signal_bytes", "content_types"),
    "schedule": ("cron",),
    "refresh": ("datasets", "cron"),
    "frontier": ("url", "workers", "lease"),
}


def _plain(value: float) -> str:
    """``1073741824``, not ``1.07374e+09``; ``0.5`` stays ``0.5``."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def load_job(path: Path) -> JobSpec:
    """Read and validate a job file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise JobSpecError(f"{path}: unreadable job file: {exc}") from exc
    check_names(path, data, JOB_KEYS)
    return _build(path, _Table(path, data))


class _Table:
    """Typed access to the job's tables with errors that name file and key."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path, self.data = path, data

    def get(self, section: str, key: str, kind: type, default: Any = ...) -> Any:
        table = self.data.get(section, {})
        if not isinstance(table, dict):
            raise JobSpecError(f"{self.path}: [{section}] must be a table")
        value = table.get(key, default)
        if value is ...:
            raise JobSpecError(f"{self.path}: [{section}] {key} is required")
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(section, key, value, f"must be {kind.__name__}")
        return value

    def number(self, spec: _Number) -> Any:
        value = self.get(spec.section, spec.key, spec.kind, spec.default)
        if not math.isfinite(value):
            raise self.fail(spec.section, spec.key, value, "must be a finite number")
        if value < spec.low:
            raise self.fail(
                spec.section, spec.key, value, f"must be at least {spec.amount(spec.low)}"
            )
        if value > spec.high:
            raise self.fail(
                spec.section, spec.key, value, f"must be at most {spec.amount(spec.high)}"
            )
        return value

    def items(
        self,
        section: str,
        key: str,
        default: Any,  # a list, or ... for a required key
        check: Callable[[Any], str | None],
        *,
        empty_ok: bool = True,
    ) -> tuple[Any, ...]:
        """A list whose every item passes ``check`` (which returns why not, or None)."""
        values = self.get(section, key, list, default)
        if not values and not empty_ok:
            raise self.fail(section, key, values, "must not be empty")
        for value in values:
            why = check(value)
            if why:
                raise self.fail(section, key, value, why)
        return tuple(values)

    def fail(self, section: str, key: str, value: Any, why: str) -> JobSpecError:
        return JobSpecError(f"{self.path}: [{section}] {key} ({value!r}) {why}")


def _build(path: Path, t: _Table) -> JobSpec:
    seeds = t.items("job", "seeds", [], _url_problem)
    sitemaps = t.items("job", "sitemaps", [], _url_problem)
    if not seeds and not sitemaps:
        raise t.fail("job", "seeds", [], "must list at least one URL (or give sitemaps)")
    spec = JobSpec(
        name=_name(t),
        seeds=seeds,
        sitemaps=sitemaps,
        allowed_hosts=tuple(h.lower() for h in t.items("scope", "allowed_hosts", [], _host)),
        allow_private=t.items("scope", "allow_private", defaults.GUARD_ALLOW_PRIVATE, _network),
        crawl_token=t.get("identity", "crawl_token", str, defaults.GLEANER_CRAWL_TOKEN),
        training_token=t.get("identity", "training_token", str, defaults.GLEANER_TRAINING_TOKEN),
        # No default: a crawl says who runs it (the bundled User-Agent's URL is a placeholder).
        user_agent=t.get("identity", "user_agent", str),
        content_types=t.items(
            "limits", "content_types", defaults.GUARD_CONTENT_TYPES, _media_type, empty_ok=False
        ),
        output=(path.parent / t.get("job", "output", str, "runs")).resolve(),
        cron=t.get("schedule", "cron", str, None) if "schedule" in t.data else None,
        source=path.resolve(),
        **_refresh(path, t),
        frontier_url=_frontier_url(t),
        **{spec.key: t.number(spec) for spec in _NUMBERS},
    )
    limits = t.data.get("limits")
    if not isinstance(limits, dict) or "max_signal_bytes" not in limits:
        # Unset, the signal cap follows a larger archive cap: signals are read at least as far.
        spec = replace(spec, max_signal_bytes=max(spec.max_signal_bytes, spec.max_body_bytes))
    _check(spec, t)
    return spec


def _refresh(path: Path, t: _Table) -> dict[str, Any]:
    """``[refresh]``: both keys or neither; datasets are relative to the job file."""
    if "refresh" not in t.data:
        return {}
    cron = t.get("refresh", "cron", str)
    if not croniter.is_valid(cron):
        raise t.fail("refresh", "cron", cron, "is not a cron expression (m h dom mon dow)")
    datasets = t.items("refresh", "datasets", ..., _folder, empty_ok=False)
    return {
        "refresh_datasets": tuple((path.parent / d).resolve() for d in datasets),
        "refresh_cron": cron,
    }


def _frontier_url(t: _Table) -> str | None:
    """``[frontier] url``: the Redis every worker of the job shares, or None (one machine)."""
    table = t.data.get("frontier")
    if not isinstance(table, dict) or "url" not in table:
        return None
    url = t.get("frontier", "url", str)
    if urlsplit(url).scheme not in ("redis", "rediss", "unix"):
        raise t.fail("frontier", "url", url, "must be a redis://HOST:PORT/DB URL")
    return str(url)


def _folder(value: Any) -> str | None:
    return None if isinstance(value, str) and value.strip() else "must be a dataset folder path"


def _name(t: _Table) -> str:
    # The name is a folder under `output`: one path component, never "." or "..".
    name = t.get("job", "name", str)
    if not _NAME.fullmatch(name) or not name.strip("."):
        why = "must be one folder name: letters, digits, '.', '_' and '-', not only dots"
        raise t.fail("job", "name", name, why)
    return str(name)


def _url_problem(value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be a URL string"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 -- raises ValueError on a port out of range
    except ValueError as exc:
        return f"is not a URL ({exc})"
    if parts.scheme not in ("http", "https"):
        return "must be an http or https URL"
    if not parts.hostname:
        return "must name a host"
    return None


def _host(value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be a host name string"
    if not value.strip() or any(c in value for c in "/ \t\r\n"):
        return "must be a bare host name (no scheme, path or spaces)"
    return None


def _network(value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be an IP address or network string"
    try:
        ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        return "is not an IP address or network"
    return None


def _media_type(value: Any) -> str | None:
    if not isinstance(value, str) or "/" not in value:
        return "must look like type/subtype"
    return None


def _check(spec: JobSpec, t: _Table) -> None:
    if spec.cron is not None and not croniter.is_valid(spec.cron):
        raise t.fail("schedule", "cron", spec.cron, "is not a cron expression (m h dom mon dow)")
    for key in ("crawl_token", "training_token"):
        token = getattr(spec, key)
        if not _TOKEN.fullmatch(token):
            raise t.fail("identity", key, token, "must match [A-Za-z_-]+ (RFC 9309)")
    ua = spec.user_agent
    if spec.crawl_token not in ua or "http" not in ua:
        raise t.fail("identity", "user_agent", ua, "must name the crawl token and a URL")
    if spec.max_signal_bytes < spec.max_body_bytes:
        # Signals are read in the whole archived body at least, or the cut would hide them.
        why = f"must be >= max_body_bytes ({spec.max_body_bytes})"
        raise t.fail("limits", "max_signal_bytes", spec.max_signal_bytes, why)


def job_settings(job: JobSpec, run_dir: Path) -> dict[str, Any]:
    """The Scrapy settings a job sets (see :data:`JOB_SETTINGS`), plus its run folder."""
    found: dict[str, Any] = {"GLEANER_RUN_DIR": str(run_dir)}
    for key, setting in JOB_SETTINGS.items():
        value = getattr(job, key.split()[1])
        found[setting] = list(value) if isinstance(value, tuple) else value
    # AutoThrottle starts from the job's delay, not below it.
    found["AUTOTHROTTLE_START_DELAY"] = found["DOWNLOAD_DELAY"]
    return found
