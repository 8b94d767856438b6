"""Rows "dedup": MinHash speed, near-dup recall and precision, and SQL over shards vs JSONL.

1. Signatures per second, one core each: Gleaner's ``signatures`` + ``band_keys`` (numpy +
   xxhash) against datatrove 0.10's ``MinhashDedupSignature`` (stage 1, spaCy words, writing its
   bucket files) in the anchor venv, same documents, both FineWeb's 5-grams, 14 x 8, 64 bits.
2. Recall and precision over document pairs with exact Jaccard >= 0.8 (``bench._neardup``):
   ours from the dedup step's clusters, theirs from datatrove's stages 1-3 (``save_cluster_id``).
3. One DuckDB aggregate (documents and characters per domain) over our Parquet shards against
   the same query over gzipped JSONL, datatrove's default output format.
"""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench._measure import tail, timed_run
from bench._neardup import Corpus, cluster_pairs, make_corpus, pair_metrics, true_pairs
from bench.results import Result, Side, Unavailable

if TYPE_CHECKING:
    from collections.abc import Iterator

    from bench.context import BenchContext

__all__ = ["dedup_rows"]

ANCHOR_SCRIPT = Path(__file__).resolve().parent.parent / "anchors" / "datatrove_minhash.py"
_OFFLINE = {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
_DOMAINS = [f"site{i:02d}.example" for i in range(40)]


def dedup_rows(ctx: BenchContext) -> Iterator[Result]:
    corpus = make_corpus(150 if ctx.smoke else 2000, seed=ctx.input.seed)
    n = len(corpus.docs)
    theirs = _datatrove(ctx, corpus)
    yield Result("minhash signatures, 1 core", _our_signatures(corpus), _sig_side(theirs, n))
    truth = true_pairs(corpus)
    ours_pairs, ours_seconds = _our_clusters(ctx, corpus)
    recall, precision = pair_metrics(ours_pairs, truth)
    their_recall, their_precision = _their_metrics(theirs, truth)
    yield Result(
        f"near-dup recall, {len(truth)} pairs J>=0.8",
        Side(100 * recall, ours_seconds, n, len(ours_pairs)),
        their_recall,
        unit="% recall",
    )
    yield Result(
        "near-dup precision",
        Side(100 * precision, ours_seconds, n, len(ours_pairs)),
        their_precision,
        unit="% precision",
    )
    yield _sql_row(ctx, corpus)


def _our_signatures(corpus: Corpus) -> Side:
    from pipeline.dedup.minhash import MinHashConfig, band_keys, signatures

    texts = [text for _, text in corpus.docs]
    config = MinHashConfig()
    started = time.perf_counter()
    band_keys(signatures(texts, config), config)
    seconds = time.perf_counter() - started
    return Side(len(texts) / seconds, round(seconds, 3), len(texts), len(texts))


def _datatrove(ctx: BenchContext, corpus: Corpus) -> dict[str, Any] | Unavailable:
    if isinstance(ctx.anchor, Unavailable):
        return ctx.anchor
    docs = corpus.write_jsonl(ctx.out_dir("dedup-input") / "docs.jsonl")
    command = [str(ctx.anchor.python), str(ANCHOR_SCRIPT), "--input", str(docs)]
    command += ["--work", str(ctx.out_dir("dedup-theirs"))]
    run = timed_run(command, ctx.log("dedup-theirs"), env=_OFFLINE)
    if run.returncode != 0:
        return Unavailable(f"datatrove minhash failed (exit {run.returncode}): {tail(run.log)}")
    report: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return report


def _sig_side(report: dict[str, Any] | Unavailable, n: int) -> Side | Unavailable:
    if isinstance(report, Unavailable):
        return report
    seconds = float(report["signature_seconds"])
    return Side(n / seconds, round(seconds, 3), n, report["docs"])


def _their_metrics(
    report: dict[str, Any] | Unavailable, truth: set[tuple[int, int]]
) -> tuple[Side | Unavailable, Side | Unavailable]:
    if isinstance(report, Unavailable):
        return report, report
    pairs = cluster_pairs(report["clusters"])
    recall, precision = pair_metrics(pairs, truth)
    seconds = round(float(report["total_seconds"]), 3)
    docs = int(report["docs"])
    recall_side = Side(100 * recall, seconds, docs, len(pairs))
    return recall_side, Side(100 * precision, seconds, docs, len(pairs))


def _our_clusters(ctx: BenchContext, corpus: Corpus) -> tuple[set[tuple[int, int]], float]:
    from collections import defaultdict

    from pipeline.dedup import Dedup, DedupConfig

    folder = ctx.out_dir("dedup-ours")
    work = _work_file(folder, corpus)
    started = time.perf_counter()
    step = Dedup([work], scratch=folder / "scratch", config=DedupConfig(urls=False))
    plan, _ = step.make_plan()
    seconds = time.perf_counter() - started
    members: dict[int, list[int]] = defaultdict(list)
    for doc, survivor in enumerate(plan.survivor.tolist()):
        members[survivor].append(doc)
    return cluster_pairs(m for m in members.values() if len(m) > 1), round(seconds, 3)


def _documents(corpus: Corpus) -> Iterator[Any]:
    from pipeline.document import Document
    from pipeline.text import text_sha256

    for number, (doc_id, text) in enumerate(corpus.docs):
        domain = _DOMAINS[number % len(_DOMAINS)]
        doc = Document(id=doc_id, text=text, source="web", url=f"https://{domain}/{doc_id}")
        doc.metadata.update(text_sha256=text_sha256(text), domain=domain)
        yield doc


def _work_file(folder: Path, corpus: Corpus) -> Path:
    import shutil

    from pipeline.shards import ParquetShardWriter

    shutil.rmtree(folder, ignore_errors=True)
    writer = ParquetShardWriter(folder / "shards", max_rows=10**9)
    writer.write(_documents(corpus))
    return folder / "shards" / writer.shards[0].path


_QUERY = (
    "SELECT {domain} AS domain, count(*) AS docs, sum(length(text)) AS chars "
    "FROM {source} GROUP BY ALL ORDER BY docs DESC, domain"
)


def _sql_row(ctx: BenchContext, corpus: Corpus) -> Result:
    import duckdb

    shards = ctx.out_dir("dedup-ours") / "shards"
    jsonl = ctx.out_dir("dedup-jsonl") / "00000.jsonl.gz"
    jsonl.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(jsonl, "wt") as out:
        for doc in _documents(corpus):
            meta = {"url": doc.url, "domain": doc.metadata["domain"]}
            out.write(json.dumps({"text": doc.text, "id": doc.id, "metadata": meta}) + "\n")
    queries = {
        "ours": _QUERY.format(domain="domain", source=f"read_parquet('{shards}/*.parquet')"),
        "theirs": _QUERY.format(domain="metadata.domain", source=f"read_json('{jsonl}')"),
    }
    sides = {}
    for side, sql in queries.items():
        with duckdb.connect() as con:
            best, rows = float("inf"), []
            for _ in range(3):
                started = time.perf_counter()
                rows = con.execute(sql).fetchall()
                best = min(best, time.perf_counter() - started)
        sides[side] = Side(len(corpus.docs) / best, round(best, 4), len(corpus.docs), len(rows))
    if sides["ours"].docs_out != sides["theirs"].docs_out:
        return Result("sql per-domain aggregate", Unavailable("answers differ"), sides["theirs"])
    return Result("sql aggregate: shards vs jsonl.gz", sides["ours"], sides["theirs"], "rows/s")
