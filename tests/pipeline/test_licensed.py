from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from pipeline.errors import ManifestError
from pipeline.licensed import LicensedReader, load_manifest

GOOD = """\
[corpus]
name = "acme"
licensor = "Acme Ltd."
license = "CC-BY-4.0"
training_allowed = true
valid_from = 2026-01-01
valid_until = 2026-12-31
attribution = "Acme"
[[files]]
path = "docs.jsonl"
format = "jsonl"
[files.fields]
id = "id"
text = "body"
title = "title"
published_at = "date"
"""


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    rows = [
        {"id": "a", "body": "First text.", "title": "A", "date": "2026-02-03"},
        {"id": "b", "body": "", "title": "B"},
        "not an object",
        {"id": "c", "body": "Third text."},
    ]
    lines = [json.dumps(r) for r in rows] + ["{broken json"]
    (tmp_path / "docs.jsonl").write_text("\n".join(lines) + "\n")
    (tmp_path / "manifest.toml").write_text(GOOD)
    return tmp_path


def test_reads_documents_with_licence_fields(corpus_dir: Path) -> None:
    manifest = corpus_dir / "manifest.toml"
    manifest.write_text(
        GOOD.replace('attribution = "Acme"', 'attribution = "Acme"\non_error = "skip"')
    )
    reader = LicensedReader(load_manifest(corpus_dir / "manifest.toml"))
    docs = list(reader())
    assert [d.text for d in docs] == ["First text.", "Third text."]
    first = docs[0]
    assert (first.source, first.license, first.licensor) == ("acme", "CC-BY-4.0", "Acme Ltd.")
    assert first.published_at == date(2026, 2, 3)
    assert first.licensed_row == 0 and first.licensed_file == "docs.jsonl"
    assert reader.stats.as_dict()["dropped/malformed_record"] == 2
    assert reader.stats.as_dict()["dropped/empty_text"] == 1


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda s: s.replace('licensor = "Acme Ltd."\n', ""), "missing field 'licensor'"),
        (
            lambda s: s.replace("training_allowed = true", 'training_allowed = "yes"'),
            "'training_allowed' must be bool",
        ),
        (lambda s: s.replace("docs.jsonl", "nowhere.jsonl"), "file not found"),
        (lambda s: s.replace('format = "jsonl"', 'format = "xls"'), "format 'xls'"),
        (lambda s: s.replace('text = "body"\n', ""), "must map 'text'"),
        (lambda s: s + "[[[", "unreadable manifest"),
        (lambda s: s.replace("[[files]]", 'on_error = "maybe"\n[[files]]'), "'on_error'"),
    ],
)
def test_bad_manifests_name_file_and_field(corpus_dir: Path, edit, message: str) -> None:  # type: ignore[no-untyped-def]
    path = corpus_dir / "manifest.toml"
    path.write_text(edit(GOOD))
    with pytest.raises(ManifestError, match=message) as info:
        load_manifest(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize(
    ("on", "reason"),
    [
        (date(2026, 6, 1), None),
        (date(2025, 12, 31), "licence_not_yet_valid"),
        (date(2027, 1, 1), "licence_expired"),
    ],
)
def test_licence_validity_window(corpus_dir: Path, on: date, reason: str | None) -> None:
    assert load_manifest(corpus_dir / "manifest.toml").exclusion_reason(on) == reason


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "attribution =",
            "atribution =",
            r"unknown key \[corpus\] atribution; did you mean attribution\?",
        ),
        ("[corpus]", "[corpos]", r"unknown table \[corpos\]; did you mean \[corpus\]\?"),
        (
            'format = "jsonl"',
            'fromat = "jsonl"',
            r"unknown key \[\[files\]\] fromat; did you mean format\?",
        ),
        ("title = ", "titel = ", r"unknown key \[files.fields\] titel; did you mean title\?"),
    ],
)
def test_a_misspelt_manifest_key_is_refused_with_the_nearest_known_one(
    corpus_dir: Path, old: str, new: str, message: str
) -> None:
    path = corpus_dir / "manifest.toml"
    path.write_text(GOOD.replace(old, new, 1))
    with pytest.raises(ManifestError, match=rf"^{path}: {message}$"):
        load_manifest(path)
