"""Datasets for the removal tests: a real build of web pages and a licensed corpus, and
small hand-made versions for properties (shards of tiny rows with a matching index)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import BuildConfig
from pipeline.build import build
from pipeline.dedup.version_index import INDEX_FILE
from pipeline.lineage import read_manifest, version_folders
from record.schema import DOCUMENT_SCHEMA
from tests.pipeline.conftest import make_warc
from tests.pipeline.test_build import MANIFEST

SAMPLE = Path(__file__).parents[3] / "gleaner" / "samples" / "licensed" / "documents.jsonl"
HTML = "text/html; charset=utf-8"
#: Three publishers of the web part, four pages each.
HOSTS = ("127.0.0.1:8001", "127.0.0.1:8002", "127.0.0.1:8003")


def sample_texts() -> list[tuple[str, str]]:
    """(title, text) of the bundled licensed sample: real, distinct, long enough prose."""
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    return [(row["title"], row["text"]) for row in rows]


def page(title: str, text: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return (
        f"<html><head><title>{title}</title></head><body>"
        f"<article><h1>{title}</h1>{paragraphs}</article></body></html>"
    )


def build_dataset(folder: Path, first: int = 0, output: Path | None = None) -> Path:
    """Build 12 web pages (4 per host) and 4 licensed documents (valid until 2030-01-01)
    from sample texts ``first``..``first + 15``; 4 documents per shard. Returns the
    dataset folder."""
    texts = sample_texts()[first : first + 16]
    pages = [
        (f"http://{HOSTS[i // 4]}/news/{i:02d}", page(*texts[i]), 200, HTML) for i in range(12)
    ]
    inputs = folder / f"inputs-{first}"
    (inputs / "warcs").mkdir(parents=True, exist_ok=True)
    make_warc(inputs / "warcs" / "web.warc.gz", pages)
    manifest = _corpus(inputs / "corpus", texts[12:], first + 12)
    dataset = output or folder / "ds"
    build(
        BuildConfig(
            output=dataset,
            warcs=(inputs / "warcs",),
            licensed=(manifest,),
            workers=1,
            third_party_training="allow",
            max_rows_per_shard=4,
        )
    )
    return dataset


def _corpus(folder: Path, texts: list[tuple[str, str]], first: int) -> Path:
    """The acme corpus (licence valid until 2030-01-01) with row ids ``d<first>``...."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps({"id": f"d{first + i}", "text": t}) for i, (_, t) in enumerate(texts)]
    (folder / "docs.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "manifest.toml").write_text(MANIFEST.format(until="2030-01-01"), encoding="utf-8")
    return folder / "manifest.toml"


def format_one(dataset: Path, target: Path) -> Path:
    """``dataset``'s first version and a second built from other texts, as a format-1
    dataset (increments, manifests without "format") under ``target``."""
    other = build_dataset(target.parent / "second-build", first=40)
    for number, source in enumerate([dataset, other], start=1):
        folder = target / f"v{number:04d}"
        shutil.copytree(version_folders(source)[0], folder)
        manifest = read_manifest(folder)
        manifest.pop("format", None)
        manifest |= {"version": folder.name, "parent": f"v{number - 1:04d}" if number > 1 else None}
        (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return target


def tiny_row(doc_id: str) -> dict[str, Any]:
    text = f"document {doc_id}"
    return {
        "id": doc_id,
        "text": text,
        "source": "web",
        "url": f"http://127.0.0.1:1/{doc_id}",
        "host": "127.0.0.1:1",
        "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
        "chars": len(text),
        "words": 2,
    }


def tiny_version(dataset: Path, shard_rows: list[list[str]], fmt: int | None = 2) -> Path:
    """A first version holding shards of the given ids, and its index (text hash only)."""
    folder = dataset / "v0001"
    (folder / "shards").mkdir(parents=True)
    entries, hashes = [], []
    for number, ids in enumerate(shard_rows):
        rows = [tiny_row(i) for i in ids]
        relative = f"shards/part-{number:05d}.parquet"
        pq.write_table(pa.Table.from_pylist(rows, schema=DOCUMENT_SCHEMA), folder / relative)
        entry: dict[str, Any] = {"path": relative, "rows": len(rows)}
        entries.append(entry | ({"origin": "added", "first_version": "v0001"} if fmt else {}))
        hashes += [int(r["text_sha256"][:16], 16) for r in rows]
    (folder / INDEX_FILE).parent.mkdir()
    index = pa.table({"text_hash": pa.array(hashes, type=pa.uint64())})
    pq.write_table(index, folder / INDEX_FILE)
    manifest: dict[str, Any] = {"version": "v0001", "parent": None, "shards": entries}
    manifest |= {"format": fmt} if fmt else {}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder
