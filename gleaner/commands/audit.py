"""``gleaner audit DATASET --host H | --domain D``: what the dataset took from one publisher.

Thin over :mod:`pipeline.audit`: build the audit from the files, then print it as text
(for people), JSON (complete, documented in docs/audit.md) or one HTML page. ``--out``
writes the file whole or not at all.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import click
from rich.console import Console

from gleaner.commands._audit_text import print_audit
from gleaner.output import console
from pipeline.audit import Publisher, PublisherAudit, audit_publisher
from pipeline.errors import PipelineError

__all__ = ["audit", "write_atomically"]


@click.command()
@click.argument("dataset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--host", help="The publisher's host[:port], e.g. news.example or 127.0.0.1:8001.")
@click.option("--domain", help="The publisher's registered domain: every host under it.")
@click.option(
    "--version", "version", help="Audit up to this version, e.g. v0002 (default: latest)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
    help="text for people, json for tools (docs/audit.md), html: one self-contained page.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE (default: stdout).",
)
def audit(
    dataset: Path,
    host: str | None,
    domain: str | None,
    version: str | None,
    fmt: str,
    out: Path | None,
) -> None:
    """Show what DATASET holds about one publisher, from its files alone: every robots.txt
    fetch and the rules it gave our crawl and training tokens (and how they changed), every
    URL requested, refused or left out and why, the documents in each version with the
    decision that admitted each, duplicates, removals and build exclusions.

    A publisher never crawled gets an empty answer, exit 0.

    \b
    Example:
      gleaner audit datasets/news --host news.example
      gleaner audit datasets/news --domain example.org --format json --out audit.json
      gleaner audit datasets/news --host news.example --format html --out audit.html
    """
    if (host is None) == (domain is None):
        raise click.UsageError("give exactly one of --host or --domain")
    try:
        who = Publisher.host(host) if host is not None else Publisher.domain(str(domain))
        result = audit_publisher(dataset, who, version)
    except PipelineError as exc:
        raise click.ClickException(str(exc)) from exc
    text = _render(result, fmt, to_file=out is not None)
    if out is None:
        if text is None:
            print_audit(result, console)
        else:
            sys.stdout.write(text)
        return
    try:
        write_atomically(out, text or "")
    except OSError as exc:
        raise click.ClickException(f"{out}: {exc.strerror or exc}") from exc
    click.echo(out, err=True)


def _render(result: PublisherAudit, fmt: str, *, to_file: bool) -> str | None:
    """The output as text; None when text goes straight to the terminal (with styles)."""
    if fmt == "json":
        return result.to_json()
    if fmt == "html":
        from gleaner.commands._audit_html import audit_page

        return audit_page(result.as_dict()).render()
    if not to_file:
        return None
    buffer = io.StringIO()
    print_audit(result, Console(file=buffer, width=1_000_000, highlight=False, color_system=None))
    return buffer.getvalue()


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to a temporary name beside ``path``, then rename it into place."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
