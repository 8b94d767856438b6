"""Rows "tokenizer training" and "tokenize": Gleaner's token stages against their anchors.

Input: a dataset version of ``bench._lexicon`` prose (English function words and
``bench._prose``'s word banks at the head of a Zipfian vocabulary with a long tail of made-up
words; no real text ships with the repository and nothing is downloaded) built by Gleaner's
own pipeline (``bench._token_data``): 100 MB of text in 16 shards, smoke 1 MB in 4.

1. Tokenizer training: ``gleaner tokenizer train --preset 49k --sample-chars 100000000`` (smoke:
   ``--vocab-size 2048``, 1 MB) against Hugging Face ``tokenizers`` alone with the same
   configuration on the same text (``bench/anchors/tokenizers_train.py``, anchor venv). Wall
   time gives MB of sampled text per second; peak memory is the process tree's resident set
   (``bench._measure``), reported as MB of text per GiB of peak (higher: leaner), with both
   peaks in MiB in the row name.
2. Tokenize: ``gleaner tokenize --format megatron --workers 2`` against
   datatrove 0.10's ``DocumentTokenizer`` (``bench/anchors/datatrove_tokenize.py``,
   ``tasks = workers = 2``) reading the same shards, with the same ``tokenizer.json`` (the one
   row 1 trained). Tokens per wall second, start-up included. Both count every document's tokens
   plus one end-of-text token; the row says whether the totals agree.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench._measure import gleaner_command, tail, timed_run
from bench._token_data import ensure_token_data
from bench.results import Result, Side, Unavailable, fastest

if TYPE_CHECKING:
    from collections.abc import Iterator

    from bench._token_data import TokenData
    from bench.context import BenchContext

__all__ = ["token_rows"]

ANCHORS = Path(__file__).resolve().parent.parent / "anchors"
_OFFLINE = {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
FULL = {"chars": 100_000_000, "shards": 16, "vocab": 49_152}
SMOKE = {"chars": 1_000_000, "shards": 4, "vocab": 2_048}
WORKERS = 2  # issue 13's goal is stated at 2 workers
_MIB = 2**20


def token_rows(ctx: BenchContext) -> Iterator[Result]:
    """Training (time, then memory), then tokenization with the tokenizer just trained."""
    sizes = SMOKE if ctx.smoke else FULL
    # One folder per size, so smoke and full runs do not rebuild each other's dataset.
    folder = ctx.work_dir / f"tokens-input-{sizes['chars'] // 10**6}mb"
    data = ensure_token_data(folder, sizes["chars"], ctx.input.seed, sizes["shards"])
    ours, theirs = [], []
    for _ in range(ctx.repeat):
        theirs.append(_train_theirs(ctx, data, sizes))
        ours.append(_train_ours(ctx, data, sizes))
    best_ours, best_theirs = fastest(ours), fastest(theirs)
    megabytes = f"{sizes['chars'] / 1e6:,.0f} MB"
    yield Result(f"tokenizer training, {megabytes}", best_ours, best_theirs, unit="MB/s")
    yield _memory_result(best_ours, best_theirs)
    tokenizer = ctx.out_dir("tokenizer-ours") / "tokenizer.json"
    yield _tokenize_result(ctx, data, tokenizer)


def _train_ours(ctx: BenchContext, data: TokenData, sizes: dict[str, int]) -> Side | Unavailable:
    gleaner = gleaner_command()
    if gleaner is None:
        return Unavailable("no `gleaner` command in this environment")
    out = ctx.out_dir("tokenizer-ours")
    shutil.rmtree(out, ignore_errors=True)
    vocab = ["--vocab-size", str(sizes["vocab"])] if ctx.smoke else ["--preset", "49k"]
    command = [*gleaner, "tokenizer", "train", str(data.dataset), *vocab, "--out", str(out)]
    command += ["--sample-chars", str(sizes["chars"])]
    run = timed_run(command, ctx.log("tokenizer-ours"), memory=True)
    if run.returncode != 0:
        return Unavailable(f"tokenizer train failed (exit {run.returncode}): {tail(run.log)}")
    card = json.loads((out / "tokenizer-card.json").read_text())
    by_source = card["sampled"]["by_source"].values()
    chars = sum(entry["chars"] for entry in by_source)
    return Side(
        rate=chars / 1e6 / run.seconds,
        seconds=round(run.seconds, 3),
        docs_in=sum(entry["documents"] for entry in by_source),
        docs_out=card["vocab_size"],
        detail={"peak_mib": round(run.peak_bytes / _MIB, 1), "chars": chars,
                "training_seconds": card["training_seconds"]},
    )  # fmt: skip


def _train_theirs(ctx: BenchContext, data: TokenData, sizes: dict[str, int]) -> Side | Unavailable:
    if isinstance(ctx.anchor, Unavailable):
        return ctx.anchor
    script = ANCHORS / "tokenizers_train.py"
    command = [str(ctx.anchor.python), str(script), *map(str, data.shards)]
    command += ["--vocab-size", str(sizes["vocab"]), "--chars", str(sizes["chars"])]
    command += ["--output", str(ctx.out_dir("tokenizer-theirs"))]
    run = timed_run(command, ctx.log("tokenizer-theirs"), env=_OFFLINE, memory=True)
    if run.returncode != 0:
        return Unavailable(f"tokenizers training failed (exit {run.returncode}): {tail(run.log)}")
    report = json.loads(run.stdout.strip().splitlines()[-1])
    return Side(
        rate=report["chars"] / 1e6 / run.seconds,
        seconds=round(run.seconds, 3),
        docs_in=report["docs"],
        docs_out=report["vocab_size"],
        detail={"peak_mib": round(run.peak_bytes / _MIB, 1), "chars": report["chars"],
                "training_seconds": round(report["seconds"], 3)},
    )  # fmt: skip


def _memory_result(ours: Side | Unavailable, theirs: Side | Unavailable) -> Result:
    """Text MB per GiB of peak resident memory: higher is leaner, so the ratio reads as usual."""
    sides = [_per_gib(side) for side in (ours, theirs)]
    peaks = "/".join(
        f"{side.detail['peak_mib']:,.0f}" if isinstance(side, Side) else "-"
        for side in (ours, theirs)
    )
    return Result(f"tokenizer training, peak {peaks} MiB", *sides, unit="MB/GiB")


def _per_gib(side: Side | Unavailable) -> Side | Unavailable:
    if isinstance(side, Unavailable):
        return side
    peak_gib = side.detail["peak_mib"] / 1024
    if peak_gib <= 0:
        return Unavailable("peak memory not measured (no /proc)")
    megabytes = side.detail["chars"] / 1e6
    return Side(megabytes / peak_gib, side.seconds, side.docs_in, side.docs_out, side.detail)


def _tokenize_result(ctx: BenchContext, data: TokenData, tokenizer: Path) -> Result:
    theirs, ours = [], []
    for _ in range(ctx.repeat):
        theirs.append(_tokenize_theirs(ctx, data, tokenizer))
        ours.append(_tokenize_ours(ctx, data, tokenizer))
    best_ours, best_theirs = fastest(ours), fastest(theirs)
    name = f"tokenize megatron, {WORKERS} workers"
    if isinstance(best_ours, Side) and isinstance(best_theirs, Side):
        counts = [(side.docs_in, side.docs_out) for side in (best_ours, best_theirs)]
        same = counts[0] == counts[1]
        name += ", same tokens" if same else ", TOKEN COUNTS DIFFER"
    return Result(name, best_ours, best_theirs, unit="tokens/s")


def _tokenize_ours(ctx: BenchContext, data: TokenData, tokenizer: Path) -> Side | Unavailable:
    if not tokenizer.exists():
        return Unavailable("no tokenizer: gleaner tokenizer train failed")
    gleaner = gleaner_command()
    if gleaner is None:
        return Unavailable("no `gleaner` command in this environment")
    out = ctx.out_dir("tokenize-ours")
    shutil.rmtree(out, ignore_errors=True)
    command = [*gleaner, "tokenize", str(data.dataset), "--tokenizer", str(tokenizer)]
    command += ["--format", "megatron", "--out", str(out)]
    run = timed_run([*command, "--workers", str(WORKERS)], ctx.log("tokenize-ours"))
    if run.returncode != 0:
        return Unavailable(f"gleaner tokenize failed (exit {run.returncode}): {tail(run.log)}")
    report = json.loads((out / "tokens.json").read_text(encoding="utf-8"))
    counts = report["counts"]
    documents = counts["train"]["documents"] + counts["val"]["documents"]
    tokens = counts["train"]["tokens"] + counts["val"]["tokens"]
    detail = {"dtype": report["dtype"]}
    return Side(tokens / run.seconds, round(run.seconds, 3), documents, tokens, detail)


def _tokenize_theirs(ctx: BenchContext, data: TokenData, tokenizer: Path) -> Side | Unavailable:
    if isinstance(ctx.anchor, Unavailable):
        return ctx.anchor
    if not tokenizer.exists():
        return Unavailable("no tokenizer: gleaner tokenizer train failed")
    script = ANCHORS / "datatrove_tokenize.py"
    command = [str(ctx.anchor.python), str(script), *map(str, data.shards)]
    command += ["--tokenizer", str(tokenizer), "--output", str(ctx.out_dir("tokenize-theirs"))]
    run = timed_run([*command, "--workers", str(WORKERS)], ctx.log("tokenize-theirs"), _OFFLINE)
    if run.returncode != 0:
        return Unavailable(f"datatrove tokenize failed (exit {run.returncode}): {tail(run.log)}")
    report: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    tokens = int(report["tokens"])
    detail = {"pipeline_seconds": report["seconds"], "files": report["files"]}
    return Side(tokens / run.seconds, round(run.seconds, 3), report["docs_in"], tokens, detail)
