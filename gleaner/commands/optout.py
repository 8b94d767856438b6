"""``gleaner optout refresh``: re-fetch every publisher's site-level signals and write a
version without the documents they now refuse (see :mod:`gleaner.optout_refresh`)."""

from __future__ import annotations

import time
from pathlib import Path

import click

from crawler.errors import CrawlerError
from gleaner.optout_refresh import RefreshResult, refresh_dataset
from pipeline.errors import PipelineError

__all__ = ["optout"]

_DATASET = click.Path(exists=True, file_okay=False, path_type=Path)
_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group()
def optout() -> None:
    """Publisher opt-outs that arrive after the crawl."""


@optout.command()
@click.argument("dataset", type=_DATASET)
@click.option("--hosts", type=_FILE, help="Ask only these authorities (one URL or host a line).")
@click.option("--job", type=_FILE, help="Identity and politeness (default: the crawl's own job).")
@click.option("--dry-run", is_flag=True, help="Fetch and judge; write no version.")
def refresh(dataset: Path, hosts: Path | None, job: Path | None, dry_run: bool) -> None:
    """Fetch robots.txt and /.well-known/tdmrep.json again for every web host of DATASET's
    latest version (a small, polite crawl: no page is requested), re-evaluate each of their
    documents, and write a new version without those that may no longer be trained on
    (removals.parquet: reason opt_out/<signal>, or robots_unreachable, with the new
    robots.txt digest and rule as evidence). No change: no version written.

    \b
    Example:
      gleaner optout refresh datasets/news --job news.toml
    """
    started = time.monotonic()
    try:
        result = refresh_dataset(dataset, hosts=hosts, job=job, dry_run=dry_run)
    except KeyboardInterrupt:
        click.echo("interrupted: no version written", err=True)
        raise click.exceptions.Exit(130) from None
    except (CrawlerError, PipelineError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    _report(result, dry_run, time.monotonic() - started)


def _report(result: RefreshResult, dry_run: bool, seconds: float) -> None:
    verb = "would remove" if dry_run else "removed"
    for host in result.hosts:
        note = "" if host.judged else " (not asked: the address guard)"
        removed = result.removed.get(host.authority, 0)
        click.echo(
            f"{host.authority}: robots.txt {host.before} -> {host.after}; {verb} {removed}{note}"
        )
    click.echo(f"refresh run: {result.run} ({seconds:.0f} s)")
    if result.derived.version is not None:
        click.echo(
            f"{result.derived.version}: {result.derived.documents} documents, "
            f"{len(result.derived.removals)} removed"
        )
    elif dry_run:
        click.echo(f"dry run: {len(result.derived.removals)} would be removed; no version written")
    else:
        click.echo("no change: no version written")
