"""Revisit records: resolved to their original in the archive, deduplicated against it."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline import BuildConfig
from pipeline.build import build
from pipeline.readers import WarcReader
from tests.pipeline.conftest import ARTICLE

URL = "http://news.example/a"


def _archive(path: Path, *, by: str, refuse: bool = True) -> Path:
    """A response for URL and a later revisit of it, naming it ``by`` id or digest;
    the revisit's 304 says ``noai`` when ``refuse``."""
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    original = writer.create_warc_record(
        URL, "response", payload=BytesIO(ARTICLE.encode()), http_headers=http
    )
    writer.write_record(original)
    headers = original.rec_headers
    extra = {"WARC-Date": "2030-01-02T00:00:00Z"}
    if by == "id":
        extra["WARC-Refers-To"] = headers.get_header("WARC-Record-ID")
    not_modified = StatusAndHeaders(
        "304 Not Modified", [("X-Robots-Tag", "noai")] if refuse else [], protocol="HTTP/1.1"
    )
    revisit = writer.create_revisit_record(
        URL,
        digest=headers.get_header("WARC-Payload-Digest") if by != "nothing" else "sha1:NONE",
        refers_to_uri=URL,
        refers_to_date=headers.get_header("WARC-Date"),
        http_headers=not_modified,
        warc_headers_dict=extra,
    )
    writer.write_record(revisit)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize("by", ["id", "digest"])
def test_revisits_become_documents_marked_as_revisits_of_their_original(
    tmp_path: Path, by: str
) -> None:
    reader = WarcReader(_archive(tmp_path / "r.warc.gz", by=by))
    original, revisit = reader()
    assert revisit.text == original.text == ARTICLE
    assert revisit.metadata["revisit_of"] == original.id and revisit.id != original.id
    assert revisit.warc_offset > original.warc_offset
    assert revisit.fetched_at is not None and revisit.fetched_at.year == 2030
    # Both captures' headers are heard: the revisit's own refusal counts.
    assert ("X-Robots-Tag", "noai") in revisit.metadata["headers"]
    assert reader.stats.as_dict() == {"total": 2, "kept": 2, "revisit_resolved": 1}


def test_revisit_of_a_capture_not_in_the_archive_is_a_counted_drop(tmp_path: Path) -> None:
    reader = WarcReader(_archive(tmp_path / "r.warc.gz", by="nothing"))
    assert [d.url for d in reader()] == [URL]
    assert reader.stats.as_dict()["dropped/revisit_unresolved"] == 1


def test_the_build_judges_a_revisit_itself_then_counts_it_a_duplicate_of_its_original(
    tmp_path: Path,
) -> None:
    warcs = tmp_path / "warcs"
    warcs.mkdir()
    _archive(warcs / "r.warc.gz", by="id", refuse=False)
    config = BuildConfig(
        output=tmp_path / "ds", warcs=(warcs,), workers=1, third_party_training="allow"
    )
    folder = build(config).version
    original, revisit = WarcReader(warcs / "r.warc.gz")()
    assert [row["id"] for row in pq.read_table(folder / "shards").to_pylist()] == [original.id]
    duplicates = pq.read_table(folder / "duplicates.parquet").to_pylist()
    matches = [(row["id"], row["reason"], row["dedup_matched_id"]) for row in duplicates]
    assert matches == [(revisit.id, "exact_duplicate", original.id)]


def test_a_revisit_that_now_refuses_training_takes_its_original_out_too(tmp_path: Path) -> None:
    """The 304's ``noai`` is the publisher's newer word on the page: the older capture goes."""
    warcs = tmp_path / "warcs"
    warcs.mkdir()
    _archive(warcs / "r.warc.gz", by="id", refuse=True)
    config = BuildConfig(
        output=tmp_path / "ds",
        warcs=(warcs,),
        workers=1,
        third_party_training="allow",
        allow_empty=True,
    )
    result = build(config)
    original, revisit = WarcReader(warcs / "r.warc.gz")()
    exclusions = pq.read_table(result.version / "exclusions").to_pylist()
    reasons = {row["id"]: row["reason"] for row in exclusions if row["step"] == "consent"}
    assert reasons == {
        original.id: "opt_out_newer/x_robots_tag",
        revisit.id: "opt_out/x_robots_tag",
    }
    assert "kept" not in result.stats["consent"]


def _split(path: Path, *, original_first: bool) -> tuple[Path, Path]:
    """The two records of ``path`` written into two archives (or one, revisit first)."""
    from warcio.archiveiterator import ArchiveIterator

    records = []
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream):
            out = BytesIO()
            WARCWriter(out, gzip=True).write_record(record)
            records.append(out.getvalue())
    original, revisit = records
    first, second = path.with_name("1.warc.gz"), path.with_name("2.warc.gz")
    if original_first:
        first.write_bytes(original)
        second.write_bytes(revisit)
    else:
        first.write_bytes(revisit + original)
        second.write_bytes(b"")
    path.unlink()
    return first, second


@pytest.mark.parametrize("by", ["id", "digest"])
@pytest.mark.parametrize(
    "layout", ["other_archive", "later_in_archive"], ids=["recrawl", "original_after"]
)
def test_the_build_finds_an_original_anywhere_in_its_archives(
    tmp_path: Path, by: str, layout: str
) -> None:
    warcs = tmp_path / "warcs"
    warcs.mkdir()
    _archive(warcs / "r.warc.gz", by=by, refuse=False)
    first, second = _split(warcs / "r.warc.gz", original_first=layout == "other_archive")
    if not second.read_bytes():
        second.unlink()
    # Read alone, the revisit's archive cannot know its original.
    alone = WarcReader(first if layout == "later_in_archive" else second)
    list(alone())
    assert alone.stats.as_dict()["dropped/revisit_unresolved"] == 1
    config = BuildConfig(
        output=tmp_path / "ds", warcs=(warcs,), workers=1, third_party_training="allow"
    )
    result = build(config)
    assert "dropped/revisit_unresolved" not in result.stats["read_warc"]
    assert result.stats["read_warc"]["revisit_resolved"] == 1
    (kept,) = pq.read_table(result.version / "shards").to_pylist()
    (duplicate,) = pq.read_table(result.version / "duplicates.parquet").to_pylist()
    assert (duplicate["reason"], duplicate["dedup_matched_id"]) == ("exact_duplicate", kept["id"])
    assert kept["url"] == duplicate["url"] == URL


def test_a_revisit_is_never_given_a_body_its_headers_do_not_name(tmp_path: Path) -> None:
    """The build's index keys are hashes: the record read must name the revisit's target."""
    from pipeline.readers._revisits import BuildOriginals, load_revisit_targets
    from pipeline.readers.robots import archived_site_files

    path = _archive(tmp_path / "r.warc.gz", by="id", refuse=False)
    index = BuildOriginals()
    list(archived_site_files(path, index))
    index.save(tmp_path / "map.parquet")
    targets = load_revisit_targets(tmp_path / "map.parquet", path)
    assert len(targets) == 1
    (revisit_at,) = targets
    # Pointed at a record that is not its original (the revisit itself), it stays unresolved.
    reader = WarcReader(path, originals={revisit_at: (path, revisit_at)})
    assert [d.url for d in reader()] == [URL]
    assert reader.stats.as_dict()["dropped/revisit_unresolved"] == 1
