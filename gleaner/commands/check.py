"""``gleaner check FILE`` and ``gleaner crawl JOB --dry-run``: judge inputs, run nothing.

``check`` tells a job, a build config and a licensed manifest apart by their
tables, loads the file with the same loader the real command uses (so it is
refused with the same one line) and prints the effective settings, defaults
filled in. ``--dry-run`` adds what the crawl would ask of each seed before its
first request (scope, the address guard) and fetches nothing.
"""

from __future__ import annotations

import difflib
import json
import tomllib
from collections.abc import Mapping
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import click

from crawler.errors import CrawlerError
from crawler.jobspec import JOB_KEYS, load_job
from crawler.preflight import StartCheck, preflight
from pipeline.config import BUILD_KEYS, build_tables, load_build_config
from pipeline.errors import ConfigError, PipelineError
from pipeline.licensed.manifest import MANIFEST_KEYS, load_manifest

__all__ = ["check", "dry_run", "effective_settings", "file_kind"]

#: The tables that say what a file is, for each kind it can be.
_TABLES: Mapping[str, tuple[str, ...]] = {
    "job": tuple(JOB_KEYS),
    "build config": tuple(t for t in BUILD_KEYS if t) + BUILD_KEYS[""],
    "manifest": ("corpus", "files"),
}


#: Job keys whose JobSpec field is not named like the key.
_JOB_FIELDS: Mapping[tuple[str, str], str] = {
    ("refresh", "datasets"): "refresh_datasets",
    ("refresh", "cron"): "refresh_cron",
    ("frontier", "url"): "frontier_url",
}


def file_kind(path: Path) -> str:
    """``"job"``, ``"build config"`` or ``"manifest"``, from the file's top-level names."""
    try:
        names = list(tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: unreadable TOML file: {exc}") from exc
    for close in (False, True):  # exact names first; then misspelt ones, so [jbo] is a job
        scores = {kind: _matches(names, tables, close) for kind, tables in _TABLES.items()}
        best = max(scores, key=lambda kind: scores[kind])
        if scores[best]:
            return best
    raise ConfigError(
        f"{path}: not a job ([job]), a build config ([inputs]) or a manifest ([corpus])"
    )


def _matches(names: list[str], tables: tuple[str, ...], close: bool) -> int:
    if not close:
        return sum(name in tables for name in names)
    return sum(bool(difflib.get_close_matches(name, tables, n=1)) for name in names)


Tables = list[tuple[str, Mapping[str, Any]]]


def effective_settings(path: Path) -> tuple[str, Tables]:
    """The file's kind and its settings as ``(header, values)`` pairs, defaults filled in."""
    kind = file_kind(path)
    if kind == "job":
        job = load_job(path)
        return kind, [
            (f"[{t}]", {k: getattr(job, _JOB_FIELDS.get((t, k), k)) for k in keys})
            for t, keys in JOB_KEYS.items()
        ]
    if kind == "manifest":
        corpus = load_manifest(path)
        head = ("[corpus]", {k: getattr(corpus, k) for k in MANIFEST_KEYS["corpus"]})
        return kind, [head] + [("[[files]]", asdict(entry)) for entry in corpus.files]
    tables = build_tables(load_build_config(path))
    return kind, [(f"[{t}]" if t else "", values) for t, values in tables.items()]


def render(tables: Tables) -> str:
    """TOML-like lines; a key without a value (None) is shown as a comment."""
    lines: list[str] = []
    for header, values in tables:
        lines += [header] if header else []
        for key, value in values.items():
            lines.append(f"# {key} (not set)" if value is None else f"{key} = {_value(value)}")
        lines.append("")
    return "\n".join(lines).rstrip()


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + "}"
    return json.dumps(str(value))


def dry_run(job_file: Path, overrides: Mapping[str, str]) -> tuple[list[str], bool]:
    """Lines saying what a crawl of ``job_file`` would do with each start; True if any is
    fetched."""
    checks = preflight(load_job(job_file), overrides)
    lines = [f"{job_file}: dry run, nothing fetched"] + [_line(c) for c in checks]
    refused = sum(c.refused is not None for c in checks)
    lines.append(f"{refused} of {len(checks)} refused; robots.txt is checked when the crawl runs")
    return lines, refused < len(checks)


def _line(check: StartCheck) -> str:
    where = f" ({', '.join(check.addresses)})" if check.addresses else ""
    verdict = f"refused by {check.refused}" if check.refused else "would be requested"
    return f"{check.kind} {check.url}{where}: {verdict}"


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check(file: Path) -> None:
    """Check a job file, build config or licensed manifest without running it, and print its
    effective settings, defaults filled in. A bad file is one line naming the key; exit 1.

    \b
    Example:
      gleaner check jobs/news.toml
    """
    try:
        kind, tables = effective_settings(file)
    except (CrawlerError, PipelineError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"# {file}: a valid {kind}; effective settings:")
    click.echo(render(tables))
