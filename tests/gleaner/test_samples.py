"""The Harbor Press sample archive: loadable, current, distinct, with planted web duplicates."""

from __future__ import annotations

import itertools
import re
import tomllib
from datetime import date

from gleaner.exampleweb import EXPECTED
from gleaner.samples import (
    LICENSED_SAMPLE_DOCUMENTS,
    LICENSED_SAMPLE_MANIFEST,
    example_web_duplicates,
    load_licensed_sample,
)
from gleaner.samples.make_licensed import build_documents, planted_pages, render_jsonl
from pipeline.licensed import LicensedReader, load_manifest


def shingles(text: str, size: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def test_manifest_names_the_corpus_and_its_licence() -> None:
    manifest = tomllib.loads(LICENSED_SAMPLE_MANIFEST.read_text(encoding="utf-8"))
    corpus = manifest["corpus"]
    assert corpus["name"] == "harbor-press-archive"
    assert corpus["license"] == "LicenseRef-HarborPress-2026-001"
    assert corpus["training_allowed"] is True
    assert (corpus["valid_from"], corpus["valid_until"]) == (date(2026, 1, 1), date(2027, 12, 31))
    [entry] = manifest["files"]
    assert LICENSED_SAMPLE_MANIFEST.parent / entry["path"] == LICENSED_SAMPLE_DOCUMENTS
    assert entry["fields"] == {
        "id": "id", "text": "text", "title": "title", "published_at": "published",
    }  # fmt: skip


def test_documents_load_with_unique_ids_and_real_length() -> None:
    docs = load_licensed_sample()
    assert len(docs) >= 300
    assert len({doc.id for doc in docs}) == len(docs)
    for doc in docs:
        assert doc.title and date.fromisoformat(doc.published)
        assert len(doc.text.split()) >= 150
        assert len(doc.text.split("\n\n")) >= 3


def test_committed_file_is_what_the_generator_makes() -> None:
    expected = render_jsonl(build_documents())
    assert LICENSED_SAMPLE_DOCUMENTS.read_text(encoding="utf-8") == expected


def test_planted_duplicates_equal_trainable_web_articles() -> None:
    duplicates = example_web_duplicates()
    assert [d.page for d in duplicates] == planted_pages()
    assert len(duplicates) == 10
    assert {d.page.publisher for d in duplicates} == {"open", "extended"}
    texts = {doc.id: doc.text for doc in load_licensed_sample()}
    web_groups = {r for g in EXPECTED.exact_duplicates + EXPECTED.near_duplicates for r in g}
    for duplicate in duplicates:
        truth = EXPECTED.publishers[duplicate.page.publisher]
        assert texts[duplicate.doc_id] == truth.articles[duplicate.page.path].text
        assert duplicate.page.path in truth.trainable
        assert duplicate.page not in web_groups


def test_no_other_document_is_close_to_another() -> None:
    planted = {d.doc_id for d in example_web_duplicates()}
    sets = [shingles(doc.text) for doc in load_licensed_sample() if doc.id not in planted]
    worst = max(len(a & b) / len(a | b) for a, b in itertools.combinations(sets, 2))
    assert worst < 0.5


def test_generated_text_does_not_come_from_the_web_bank() -> None:
    planted = {d.doc_id for d in example_web_duplicates()}
    web = set().union(*(shingles(a.text) for t in EXPECTED.publishers.values()
                        for a in t.articles.values()))  # fmt: skip
    for doc in load_licensed_sample():
        if doc.id not in planted:
            assert len(shingles(doc.text) & web) <= 2, doc.id


def test_pipeline_reads_the_manifest() -> None:
    reader = LicensedReader(load_manifest(LICENSED_SAMPLE_MANIFEST))
    docs = list(reader())
    assert len(docs) == len(load_licensed_sample())
    assert {d.license for d in docs} == {"LicenseRef-HarborPress-2026-001"}
