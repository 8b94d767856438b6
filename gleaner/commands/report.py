"""``gleaner report``: one self-contained HTML page about a dataset version.

Thin over :mod:`pipeline.report` (the numbers) and :mod:`gleaner.report` (the page).
"""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.errors import PipelineError

__all__ = ["report"]


@click.command()
@click.argument("dataset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--version", "version", help="Version to report, e.g. v0002 (default: the latest).")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The HTML file to write (replaced atomically).",
)
def report(dataset: Path, version: str | None, out: Path) -> None:
    """Write an HTML report of a dataset version: composition, consent, filters and dedup,
    size and removals across versions. One file, plots included; it loads nothing when
    opened. Prints the file's path.

    Example: gleaner report datasets/news --version v0002 --out report.html
    """
    from gleaner.report.dataset import write_report
    from pipeline.dataset import resolve_version

    try:
        folder = resolve_version(dataset, version)
        _refuse_inside_a_version(out)
        click.echo(write_report(folder, out))
    except (PipelineError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc


def _refuse_inside_a_version(out: Path) -> None:
    # A version is sealed (its manifest digests its files): a report beside them breaks it.
    for folder in out.resolve().parents:
        if (folder / "manifest.json").is_file():
            raise click.ClickException(
                f"{out}: inside dataset version {folder}, which is immutable; "
                "write the report elsewhere"
            )
