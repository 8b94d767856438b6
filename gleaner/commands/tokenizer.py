"""``gleaner tokenizer train``: a byte-level BPE tokenizer from a sample of a dataset
version, written with its card (see :mod:`pipeline.tokenizer`)."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.errors import PipelineError
from pipeline.tokenizer import PRESETS, SampleSpec, make_tokenizer, preset_for

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
    "--weight", "weights", multiple=True, metavar="SOURCE=W", help="A source's weight (1)."
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
    write OUT/tokenizer.json and OUT/tokenizer-card.json (the version, its manifest
    digest, the characters sampled per source). The same options on the same version
    give the same tokenizer, byte for byte.

    \b
    Example:
      gleaner tokenizer train datasets/news --preset 49k --weight web=2 --out tok/
    """
    try:
        spec = SampleSpec(sample_chars, _weights(weights), seed)
        chosen = preset_for(preset, vocab_size)
        card = make_tokenizer(dataset, version, chosen, spec, out, progress=True)
    except (PipelineError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    sampled = ", ".join(f"{s} {n:,}" for s, n in card["sampled_chars"].items()) or "nothing"
    click.echo(f"{card['version']}: characters sampled: {sampled}")
    click.echo(f"{out}: {card['vocab_size']:,} tokens in {card['training_seconds']:.1f}s")


def _weights(pairs: tuple[str, ...]) -> dict[str, float]:
    """``("web=2", "acme=0.5")`` -> ``{"web": 2.0, "acme": 0.5}``."""
    weights: dict[str, float] = {}
    for pair in pairs:
        source, _, value = pair.partition("=")
        try:
            weights[source.strip()] = float(value)
        except ValueError:
            raise click.ClickException(f"--weight {pair!r}: expected SOURCE=W") from None
    return weights
