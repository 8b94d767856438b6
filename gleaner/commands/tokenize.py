"""``gleaner tokenize``: token shards of a dataset version for pretraining (see
:mod:`pipeline.tokens` and docs/tokens.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from pipeline.tokens import FORMATS

__all__ = ["tokenize"]


@click.command()
@click.argument("dataset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--version", help="Tokenize version V (default: the latest).")
@click.option(
    "--tokenizer",
    type=click.Path(path_type=Path),
    help="A tokenizer.json (required unless --update).",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Token file layout.")
@click.option("--out", required=True, type=click.Path(path_type=Path), help="Output folder.")
@click.option(
    "--validation",
    type=float,
    default=0.0,
    show_default=True,
    help="Fraction of documents on the validation side (by a hash of the id).",
)
@click.option(
    "--weight",
    "weights",
    multiple=True,
    metavar="SOURCE=W|lang:CODE=W",
    help="Repeat (W > 1) or subsample (W < 1) a source or language by whole documents.",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Which documents a weight picks."
)
@click.option(
    "--workers", type=int, default=1, show_default=True, help="Shards tokenized at a time."
)
@click.option(
    "--update",
    is_flag=True,
    help="Make OUT again for the latest version (or V), re-tokenizing only changed shards.",
)
@click.option("--resume", is_flag=True, help="Finish an interrupted run, skipping finished shards.")
def tokenize(**options: Any) -> None:
    """Write DATASET's documents as token files in OUT: Megatron-LM (.bin/.idx), nanoGPT
    (train.bin/val.bin) or Parquet, with an end-of-text token after every document, an
    index from every document to its tokens (OUT/index) and OUT/tokens.json naming the
    version, tokenizer and mixture with token counts per source, language and domain.

    \b
    Example:
      gleaner tokenize datasets/news --tokenizer tok/tokenizer.json --format megatron \\
                       --validation 0.01 --weight acme=2 --out tokens/news
      gleaner tokenize datasets/news --update --out tokens/news
    """
    from gleaner.cli import _errors_to_exit

    _errors_to_exit(_run)(**options)


def _run(
    dataset: Path,
    version: str | None,
    tokenizer: Path | None,
    fmt: str | None,
    out: Path,
    validation: float,
    weights: tuple[str, ...],
    seed: int,
    workers: int,
    update: bool,
    resume: bool,
) -> None:
    from gleaner.build_progress import build_progress
    from gleaner.output import err_console
    from pipeline.mixture import Mixture
    from pipeline.tokens import tokenize_version

    if not update and (tokenizer is None or fmt is None):
        raise click.UsageError("give --tokenizer and --format (or --update an earlier output)")
    mixture = Mixture.parse(weights, seed)
    with build_progress(err_console) as progress:
        manifest = tokenize_version(
            dataset,
            version=version,
            tokenizer=tokenizer,
            fmt=fmt or "",
            out=out,
            validation=validation,
            mixture=mixture,
            workers=workers,
            update=update,
            resume=resume,
            progress=progress,
        )
    click.echo(summary(out, manifest))


def summary(out: Path, manifest: dict[str, Any]) -> str:
    """``OUT: 12,345 tokens (train 12,000 / val 345) from v0003 in megatron (uint16); ...``"""
    counts, units = manifest["counts"], manifest["units"]
    train, val = counts["train"]["tokens"], counts["val"]["tokens"]
    reused = sum(1 for unit in units if unit["origin"] == "reused")
    return (
        f"{out}: {train + val:,} tokens (train {train:,} / val {val:,}) from "
        f"{manifest['version']} in {manifest['format']} ({manifest['dtype']}); "
        f"{len(units)} shard(s), {reused} reused"
    )


def warn_other_version(dataset: Path, version: str | None, tokens: Path) -> None:
    """On stderr: the token output was made from another version than the one queried."""
    from pipeline.dataset import resolve_version
    from pipeline.tokens import read_token_manifest

    queried = resolve_version(dataset, version).name
    made_from = read_token_manifest(tokens)["version"]
    if made_from != queried:
        click.echo(
            f"warning: {tokens} was made from {made_from}, not {queried}: its documents may "
            f"differ (gleaner tokenize --update --out {tokens})",
            err=True,
        )
