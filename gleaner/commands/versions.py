"""``gleaner remove`` and ``gleaner expire``: new versions without the documents named.

Both derive a version from the latest one (:mod:`pipeline.versions.derive`): shards
without a removed document are hard-linked, the others rewritten, and each removed
document is listed in the new version's ``removals.parquet`` with its reason and evidence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click

from pipeline.errors import PipelineError
from pipeline.versions.derive import Derived, Judge, derive_version, plan_removals
from pipeline.versions.replace import replace_survivors
from pipeline.versions.select import expired, selector

__all__ = ["expire", "remove"]

_DATASET = click.Path(exists=True, file_okay=False, path_type=Path)


@contextmanager
def _one_line_errors() -> Iterator[None]:
    """Library errors as one ``Error:`` line (exit 1); Ctrl-C writes nothing (exit 130)."""
    try:
        yield
    except KeyboardInterrupt:
        click.echo("interrupted: no version written", err=True)
        raise click.exceptions.Exit(130) from None
    except (PipelineError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc


def _summary(derived: Derived) -> list[str]:
    """One line per host (or corpus) and source, most documents first."""
    counts = Counter((row["host"] or "-", row["source"]) for row in derived.removals)
    return [f"  {n:>7}  {host}  {source}" for (host, source), n in counts.most_common()]


def _run(dataset: Path, judge: Judge, dry_run: bool, **how: Any) -> Derived:
    """Derive (or, with ``dry_run``, only plan) and print what was removed."""
    with _one_line_errors():
        if dry_run:
            derived = plan_removals(dataset, judge, request=how["request"], note=how.get("note"))
        else:
            derived = derive_version(dataset, judge, replace=replace_survivors, **how)
    if derived.removals:
        verb = "would remove" if dry_run else "removed"
        click.echo(f"{verb} {len(derived.removals)} document(s) from {derived.parent}:")
        click.echo("\n".join(_summary(derived)))
    if derived.added:
        click.echo(f"{derived.added} duplicate(s) took the place of removed survivors")
    if derived.version is not None:
        click.echo(f"{derived.version}: {derived.documents} documents")
    elif dry_run and derived.removals:
        click.echo("dry run: no version written")
    return derived


@click.command()
@click.argument("dataset", type=_DATASET)
@click.option("--host", "host", multiple=True, help="A host as crawled (127.0.0.1:8001).")
@click.option(
    "--domain", "domain", multiple=True, help="A registered domain, or any host under it."
)
@click.option("--url-prefix", "url_prefix", multiple=True, help="Documents whose URL starts so.")
@click.option("--id", "id", multiple=True, help="A document id (repeat for several).")
@click.option("--licensor", "licensor", multiple=True, help="A licensor's documents.")
@click.option("--reason", required=True, help="Why (the request, its date, a ticket); kept.")
@click.option("--dry-run", is_flag=True, help="Count what would be removed; write nothing.")
def remove(dataset: Path, reason: str, dry_run: bool, **options: tuple[str, ...]) -> None:
    """Write a new version of DATASET without the documents one selector names (a request by
    mail or contract). Each one is listed in the version's removals.parquet (reason
    `requested`, your --reason as its note). A selector that matches nothing is an error.

    \b
    Example:
      gleaner remove datasets/news --host news.example:443 --reason "mail of 2026-11-30"
    """
    try:
        chosen = selector(options)
    except PipelineError as exc:  # no selector, or two: the command was misspelt
        raise click.UsageError(str(exc)) from exc
    judge = chosen.judge()
    derived = _run(dataset, judge, dry_run, kind="remove", request="remove", note=reason)
    if not derived.removals:
        raise click.ClickException(
            f"{dataset}: nothing in {derived.parent} matches {chosen.describe()}: "
            "no version written"
        )


@click.command()
@click.argument("dataset", type=_DATASET)
@click.option(
    "--on",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day to judge licences on (default: today, UTC).",
)
@click.option("--dry-run", is_flag=True, help="Count what would be removed; write nothing.")
def expire(dataset: Path, on: datetime | None, dry_run: bool) -> None:
    """Write a new version of DATASET without the licensed documents whose licence was valid
    only until a day before --on (reason `licence_expired`). Nothing expired: says so and
    writes no version.

    \b
    Example:
      gleaner expire datasets/news --on 2028-01-01
    """
    day: date = on.date() if on else datetime.now(UTC).date()
    derived = _run(dataset, expired(day), dry_run, kind="expire", request="expire")
    if not derived.removals:
        click.echo(
            f"{dataset}: no licence in {derived.parent} expired before {day}: no version written"
        )
