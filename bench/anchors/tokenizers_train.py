"""Hugging Face ``tokenizers`` alone, training a byte-level BPE, run INSIDE the anchor venv.

The baseline for Gleaner's tokenizer training: the same library, the same configuration as
Gleaner's presets without digit splitting (GPT-2 byte-level split, the 256 byte symbols as
initial alphabet, the same special tokens first) and the same text, read from the same Parquet
shards in order (``text`` column, pyarrow batches) until ``--chars`` characters, the last
document cut to fit. What it leaves out is what Gleaner adds around the library: the per-source
sample, the card, the atomic write.

Prints one JSON line on stdout: {"docs", "chars", "vocab_size", "seconds"}. This file must not
import ``bench``: it runs in a different interpreter.

    .anchor-venv/bin/python bench/anchors/tokenizers_train.py --vocab-size 49152 \\
        --chars 100000000 --output OUT SHARD.parquet ...
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["main"]

SPECIAL_TOKENS = ["<|endoftext|>", "<|pad|>", *(f"<|reserved_{n}|>" for n in range(16))]


class Texts:
    """The shards' texts in order up to ``limit`` characters; counts what it gave."""

    def __init__(self, shards: list[Path], limit: int) -> None:
        self.shards, self.limit = shards, limit
        self.docs = self.chars = 0

    def __iter__(self) -> Iterator[str]:
        import pyarrow.parquet as pq

        for shard in self.shards:
            for batch in pq.ParquetFile(shard).iter_batches(512, columns=["text"]):
                for text in batch.column(0).to_pylist():
                    text = text[: self.limit - self.chars]
                    self.docs, self.chars = self.docs + 1, self.chars + len(text)
                    yield text
                    if self.chars >= self.limit:
                        return


def train(texts: Texts, vocab_size: int) -> Any:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(texts, trainer)
    return tokenizer


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shards", type=Path, nargs="+", help="Parquet shards, in order")
    parser.add_argument("--vocab-size", type=int, required=True, help="tokens in all")
    parser.add_argument("--chars", type=int, required=True, help="characters to train on")
    parser.add_argument("--output", type=Path, required=True, help="folder for tokenizer.json")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    texts = Texts(args.shards, args.chars)
    started = time.perf_counter()
    tokenizer = train(texts, args.vocab_size)
    seconds = time.perf_counter() - started
    args.output.mkdir(parents=True, exist_ok=True)
    tokenizer.save(str(args.output / "tokenizer.json"))
    vocab = tokenizer.get_vocab_size()
    result = {"docs": texts.docs, "chars": texts.chars, "vocab_size": vocab, "seconds": seconds}
    print(json.dumps(result), file=sys.stdout, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
