"""``gleaner tokenizer train``: a byte-level BPE tokenizer from a sample of a dataset
version, written with its card (see :mod:`pipeline.tokenizer`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

from pipeline.errors import PipelineError
from pipeline.mixture import Mixture
from pipeline.tokenizer import (
    PRESETS,
    SampleProgress,
    SampleSpec,
    make_tokenizer,
    preset_for,
)

__all__ = ["tokenizer"]

_DATASET = click.Path(exists=True, file_okay=False, path_type=Path)


@click.group()
def tokenizer() -> None:
    """Tokenizers trained from a dataset version."""


@tokenizer.command()
@click.argument("dataset", type=_DATASET)
@click.option("--version", help="Train on version V (default: the latest).")
@click.option("--preset", type=click.Choice(list(PRESETS)), help="49k or 100k tokens.")
@click.option("--vocab-size", type=int, help="A plain byte-level vocabulary of N tokens.")
@click.option("--out", required=True, type=click.Path(path_type=Path), help="Folder for the files.")
@click.option(
    "--sample-chars",
    type=int,
    default=200_000_000,
    show_default=True,
    help="Characters of text to train on, in all.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Which documents.")
@click.option(
    "--weight",
    "weights",
    multiple=True,
    metavar="SOURCE=W|lang:CODE=W",
    help="A source's or a language's weight (1).",
)
def train(
    dataset: Path,
    version: str | None,
    preset: str | None,
    vocab_size: int | None,
    out: Path,
    sample_chars: int,
    seed: int,
    weights: tuple[str, ...],
) -> None:
    """Train a byte-level BPE tokenizer on a deterministic sample of DATASET's text and
    write OUT/tokenizer.json (with tokenizer_config.json and special_tokens_map.json for
    transformers) and OUT/tokenizer-card.json (the version, its manifest digest, the
    characters sampled per source and language). The same options on the same version
    give the same tokenizer, byte for byte.

    \b
    Example:
      gleaner tokenizer train datasets/news --preset 49k --weight web=2 \\
        --weight lang:fr=0.5 --out tok/
    """
    try:
        spec = SampleSpec(sample_chars, Mixture.parse(weights, seed))
        chosen = preset_for(preset, vocab_size)
        # tokenizers' own bars only on a terminal: off one they still print blank lines.
        bars = Console(stderr=True).is_terminal
        with _sampling_bar() as on_sample:
            card = make_tokenizer(
                dataset, version, chosen, spec, out, on_sample=on_sample, show_training=bars
            )
    except (PipelineError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{card['version']}: characters sampled: {_sampled(card, 'by_source')}")
    click.echo(f"  by language: {_sampled(card, 'by_language')}")
    click.echo(f"{out}: {card['vocab_size']:,} tokens in {card['training_seconds']:.1f}s")
    if card["vocab_size"] < chosen.vocab_size:
        # BPE stops when no pair repeats: a small sample cannot fill a large vocabulary.
        click.echo(
            f"warning: the sample had too little text for {chosen.vocab_size:,} tokens; "
            f"only {card['vocab_size']:,} were learned (give more text or a smaller size)",
            err=True,
        )


@contextmanager
def _sampling_bar() -> Iterator[SampleProgress]:
    """A bar on stderr of the characters sampled against the most the sample can take,
    shown from the first batch read (an error before then prints only itself)."""
    bar = Progress(
        TextColumn("sampling"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[taken]} characters"),
        console=Console(stderr=True),
    )
    task = bar.add_task("sampling", total=None, taken="0")

    def advance(taken: int, total: int) -> None:
        if bar.tasks[task].finished:
            return
        bar.start()
        bar.update(task, completed=taken, total=total, taken=f"{taken:,} / {total:,}")
        if taken >= total:
            bar.stop()  # the sample is read; tokenizers' own bars follow

    try:
        yield advance
    finally:
        if bar.live.is_started:
            bar.stop()


def _sampled(card: dict[str, Any], kind: str) -> str:
    counts = card["sampled"][kind]
    return ", ".join(f"{name} {n['chars']:,}" for name, n in counts.items()) or "nothing"
