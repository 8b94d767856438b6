"""Issue 9, item 6: every input is finite, in range and well-formed.

Each finding is a row: the library raises the package's typed error naming the
file, the key and the reason, and the real ``gleaner`` command prints that as
one ``Error: ...`` line with exit code 1 and no traceback.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from crawler.errors import JobSpecError
from crawler.jobspec import load_job
from gleaner.cli import cli
from pipeline.build import build
from pipeline.config import BuildConfig, load_build_config
from pipeline.errors import ConfigError, ManifestError
from pipeline.licensed import LicensedReader, load_manifest, validate_corpus

JOB = """\
[job]
name = "news"
output = "runs"
seeds = ["http://127.0.0.1:9/"]

[scope]
allowed_hosts = ["127.0.0.1"]
max_depth = 2

[identity]
user_agent = "Mozilla/5.0 (compatible; Gleaner/0.1; +https://gleaner.invalid/bot)"

[politeness]
min_delay = 2

[limits]
max_body_bytes = 1048576
"""

MANIFEST = """\
[corpus]
name = "acme"
licensor = "Acme Ltd."
license = "LicenseRef-Acme-1"
training_allowed = true
valid_from = 2026-01-01
valid_until = 2030-12-31
{extra}
[[files]]
path = "{path}"
format = "{fmt}"
{fields}
"""
MAPPED = '[files.fields]\nid = "id"\ntext = "text"\n'


def assert_one_line_error(result: Result, *needles: str) -> None:
    """Exit code 1, one ``Error:`` line holding every needle, and no traceback."""
    output = result.output.strip()
    assert result.exit_code == 1, output
    assert output.count("\n") == 0 and output.startswith("Error: "), output
    assert "Traceback" not in output
    for needle in needles:
        assert needle in output


def edited_job(tmp_path: Path, old: str, new: str) -> Path:
    assert old in JOB
    path = tmp_path / "job.toml"
    path.write_text(JOB.replace(old, new, 1), encoding="utf-8")
    return path


# --- job files -------------------------------------------------------------------------------

JOB_FINDINGS = [
    # (finding, old text, new text, "[section] key", reason)
    ("min_delay_inf_never_sends", "min_delay = 2", "min_delay = inf", "[politeness] min_delay",
     "must be a finite number"),
    ("min_delay_nan", "min_delay = 2", "min_delay = nan", "[politeness] min_delay",
     "must be a finite number"),
    ("min_delay_absurdly_long", "min_delay = 2", "min_delay = 1e9", "[politeness] min_delay",
     "must be at most 3600 seconds"),
    ("max_crawl_delay_negative", "min_delay = 2", "min_delay = 2\nmax_crawl_delay = -1",
     "[politeness] max_crawl_delay", "must be at least 0 seconds"),
    ("max_crawl_delay_inf", "min_delay = 2", "min_delay = 2\nmax_crawl_delay = inf",
     "[politeness] max_crawl_delay", "must be a finite number"),
    ("concurrency_per_host_impolite", "min_delay = 2", "min_delay = 2\nconcurrency_per_host = 500",
     "[politeness] concurrency_per_host", "must be at most 16"),
    ("max_body_bytes_a_terabyte", "max_body_bytes = 1048576", "max_body_bytes = 1_000_000_000_000",
     "[limits] max_body_bytes", "must be at most"),
    ("name_dot_dot_escapes_output", 'name = "news"', 'name = ".."', "[job] name",
     "must be one folder name"),
    ("name_dot_is_output_itself", 'name = "news"', 'name = "."', "[job] name",
     "must be one folder name"),
    ("name_with_trailing_newline", 'name = "news"', 'name = "news\\n"', "[job] name",
     "must be one folder name"),
    ("seed_without_host_makes_empty_run", 'seeds = ["http://127.0.0.1:9/"]', 'seeds = ["http://"]',
     "[job] seeds", "must name a host"),
    ("seed_with_port_out_of_range", 'seeds = ["http://127.0.0.1:9/"]',
     'seeds = ["http://127.0.0.1:99999/"]', "[job] seeds", "is not a URL"),
    ("sitemap_without_host", 'seeds = ["http://127.0.0.1:9/"]',
     'seeds = []\nsitemaps = ["https:///sitemap.xml"]', "[job] sitemaps", "must name a host"),
    ("allowed_hosts_item_not_a_string", 'allowed_hosts = ["127.0.0.1"]', "allowed_hosts = [1]",
     "[scope] allowed_hosts (1)", "must be a host name string"),
    ("allowed_hosts_item_is_a_url", 'allowed_hosts = ["127.0.0.1"]',
     'allowed_hosts = ["http://127.0.0.1/"]', "[scope] allowed_hosts", "must be a bare host name"),
    ("allow_private_item_not_a_string", "max_depth = 2", "max_depth = 2\nallow_private = [127]",
     "[scope] allow_private (127)", "must be an IP address or network string"),
    ("content_types_empty", "max_body_bytes = 1048576",
     "max_body_bytes = 1048576\ncontent_types = []", "[limits] content_types ([])",
     "must not be empty"),
    ("section_is_not_a_table", "[job]", "schedule = 3\n[job]", "[schedule]", "must be a table"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "key", "reason"),
    [row[1:] for row in JOB_FINDINGS],
    ids=[row[0] for row in JOB_FINDINGS],
)
def test_job_file_values_are_refused_naming_file_key_and_reason(
    tmp_path: Path, old: str, new: str, key: str, reason: str
) -> None:
    path = edited_job(tmp_path, old, new)
    with pytest.raises(JobSpecError) as info:
        load_job(path)
    message = str(info.value)
    assert str(path) in message and key in message and reason in message
    assert_one_line_error(CliRunner().invoke(cli, ["crawl", str(path)]), str(path), key, reason)
    assert not (tmp_path / "runs").exists()


def test_job_name_never_leaves_output_folder(tmp_path: Path) -> None:
    job = load_job(edited_job(tmp_path, 'name = "news"', 'name = "news.v2"'))
    assert (job.output / job.name).resolve().parent == job.output


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=12))
@example(name="..")
@example(name=".")
@example(name="news\n")
@example(name="a/../..")
def test_any_job_name_is_refused_or_one_folder_inside_output(tmp_path: Path, name: str) -> None:
    path = edited_job(tmp_path, 'name = "news"', f"name = {json.dumps(name)}")
    try:
        job = load_job(path)
    except JobSpecError:
        return
    assert (job.output / job.name).resolve().parent == job.output


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(delay=st.floats(allow_nan=True, allow_infinity=True))
@example(delay=math.inf)
@example(delay=math.nan)
def test_any_min_delay_is_refused_or_finite_and_polite(tmp_path: Path, delay: float) -> None:
    path = edited_job(tmp_path, "min_delay = 2", f"min_delay = {delay!r}")
    try:
        job = load_job(path)
    except JobSpecError:
        return
    assert math.isfinite(job.min_delay) and 1 <= job.min_delay <= 3600


def test_job_error_is_one_line_through_the_real_command(tmp_path: Path) -> None:
    path = edited_job(tmp_path, 'allowed_hosts = ["127.0.0.1"]', "allowed_hosts = [1]")
    done = subprocess.run(
        [sys.executable, "-m", "gleaner.cli", "crawl", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert (
        done.stderr.strip()
        == f"Error: {path}: [scope] allowed_hosts (1) must be a host name string"
    )
    assert "Traceback" not in done.stderr + done.stdout


# --- build configs ---------------------------------------------------------------------------

CONFIG_FINDINGS = [
    # (finding, TOML added to a minimal build file, "[table] key", reason)
    ("extract_timeout_nan", "[extract]\ntimeout = nan",
     "[extract] timeout", "must be a finite number"),
    ("extract_timeout_inf", "[extract]\ntimeout = inf",
     "[extract] timeout", "must be a finite number"),
    ("extract_timeout_a_day", "[extract]\ntimeout = 86400",
     "[extract] timeout", "must be at most 3600"),
    ("shards_max_rows_not_a_number", '[shards]\nmax_rows = "many"', "[shards] max_rows",
     "must be an integer"),
    ("workers_absurd", "workers = 1_000_000", "workers", "must be at most 1024"),
    ("workers_a_string", 'workers = "4"', "workers", "must be an integer"),
    ("crawl_agent_not_a_string", "[consent]\ncrawl_agent = 7", "[consent] crawl_agent",
     "must be a string"),
    ("output_not_a_path", "output = 5", "output", "must be a non-empty path string"),
    ("inputs_item_not_a_path", '[inputs]\nwarcs = [1]',
     "[inputs] warcs", "must be a list of path strings"),
    ("inputs_not_a_table", 'inputs = "in"', "[inputs]", "must be a table"),
    ("quality_ratio_nan", "[quality]\nmax_symbol_ratio = nan", "[quality] max_symbol_ratio",
     "must be a finite number"),
    ("quality_ratio_above_one", "[quality]\nmax_bullet_line_ratio = 2",
     "[quality] max_bullet_line_ratio", "must be at most 1"),
    ("quality_count_negative", "[quality]\nmin_words = -5",
     "[quality] min_words", "must be at least 0"),
    ("quality_count_a_float", "[quality]\nmin_words = 1.5",
     "[quality] min_words", "must be an integer"),
    ("language_min_score_inf", "[filters.language]\nmin_score = inf",
     "[filters.language] min_score", "must be a finite number"),
    ("language_item_not_a_string", "[filters.language]\nlanguages = [1]",
     "[filters.language] languages", "has an item (1) that must be a string"),
    ("language_enabled_a_string", '[filters.language]\nenabled = "no"',
     "[filters.language] enabled", "must be true or false"),
    ("c4_count_negative", "[filters.c4]\nmin_sentences = -1", "[filters.c4] min_sentences",
     "must be at least 0"),
    ("fineweb_chars_a_string", '[filters.fineweb]\nshort_line_chars = "x"',
     "[filters.fineweb] short_line_chars", "must be an integer"),
    ("repetition_ngram_zero", "[filters.repetition]\ntop_ngrams = [[0, 0.2]]",
     "[filters.repetition] top_ngrams", "must pair an n-gram size from 1 to 50"),
    ("repetition_share_nan", "[filters.repetition]\nduplicate_ngrams = [[5, nan]]",
     "[filters.repetition] duplicate_ngrams", "must be a finite number"),
    ("dedup_jaccard_nan", "[dedup]\njaccard = nan", "[dedup] jaccard", "must be"),
    ("dedup_bands_absurd", "[dedup]\nbands = 1_000_000",
     "[dedup] minhash bands", "must be at most 1024"),
    ("dedup_seed_negative", "[dedup]\nseed = -1", "[dedup] minhash seed", "must be at least 0"),
    ("dedup_ngram_a_float", "[dedup]\nngram = 5.5", "[dedup] minhash ngram", "must be an integer"),
    ("dedup_memory_limit_spliced_into_sql", "[dedup]\nmemory_limit = \"1GB'; SELECT 1; --\"",
     "[dedup] memory_limit", "must be a size"),
    ("dedup_near_a_string", '[dedup]\nnear = "yes"', "[dedup] near", "must be true or false"),
    ("dedup_prefer_a_string", '[dedup]\nprefer = "longer"', "[dedup] prefer", "must be a list"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("extra", "key", "reason"),
    [row[1:] for row in CONFIG_FINDINGS],
    ids=[row[0] for row in CONFIG_FINDINGS],
)
def test_build_config_values_are_refused_naming_file_key_and_reason(
    tmp_path: Path, extra: str, key: str, reason: str
) -> None:
    path = tmp_path / "build.toml"
    base = 'output = "out"\n' if not extra.startswith("output") else ""
    inputs = '[inputs]\nwarcs = ["in"]\n' if "inputs" not in extra else ""
    path.write_text(base + extra + "\n" + inputs, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_build_config(path)
    message = str(info.value)
    assert str(path) in message and key in message and reason in message
    assert_one_line_error(CliRunner().invoke(cli, ["build", str(path)]), str(path), key, reason)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"workers": 0}, "workers (0) must be at least 1"),
        ({"extract_timeout": math.inf}, "extract_timeout (inf) must be a finite number"),
        ({"max_rows_per_shard": math.nan}, "max_rows_per_shard (nan) must be an integer"),
    ],
    ids=["workers_zero", "timeout_inf", "max_rows_nan"],
)
def test_build_config_from_the_library_refuses_the_same_values(
    tmp_path: Path, options: dict[str, float], message: str
) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        BuildConfig(output=tmp_path / "ds", warcs=(tmp_path,), **options)  # type: ignore[arg-type]


# --- licensed manifests ----------------------------------------------------------------------


def corpus(
    folder: Path,
    lines: list[bytes],
    *,
    extra: str = "",
    fmt: str = "jsonl",
    name: str = "docs.jsonl",
) -> Path:
    """A licensed corpus of raw lines (bytes, so a test can write what is not UTF-8)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(b"".join(line + b"\n" for line in lines))
    manifest = folder / "manifest.toml"
    text = MANIFEST.format(extra=extra, path=name, fmt=fmt, fields=MAPPED)
    manifest.write_text(text, encoding="utf-8")
    return manifest


def row(id_: str, text: str) -> bytes:
    return json.dumps({"id": id_, "text": text}).encode()


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2026-01-01T00:00:00", "(2026-01-01T00:00:00)"),
        ("2026-01-01T08:00:00-08:00", "(2026-01-01T08:00:00-08:00)"),
    ],
    ids=["local_datetime", "offset_datetime"],
)
def test_licence_date_given_as_datetime_is_refused_naming_the_field(
    tmp_path: Path, value: str, shown: str
) -> None:
    manifest = corpus(tmp_path / "c", [row("a", "Some licensed text.")])
    manifest.write_text(manifest.read_text().replace("2026-01-01", value))
    with pytest.raises(ManifestError) as info:
        load_manifest(manifest)
    message = str(info.value)
    assert str(manifest) in message and "'valid_from'" in message and shown in message
    assert "must be a date such as 2026-01-01, not a date-time" in message
    result = CliRunner().invoke(
        cli, ["build", "--licensed", str(manifest), "--output", str(tmp_path / "ds")]
    )
    assert_one_line_error(result, str(manifest), "'valid_from'", "not a date-time")


NOT_UTF8 = {
    "jsonl": (b'{"id": "bad", "text": "caf\xe9 latin-1"}', "docs.jsonl"),
    "csv": (b'bad,"caf\xe9 latin-1"', "docs.csv"),
}


def utf8_corpus(folder: Path, fmt: str, on_error: str) -> Path:
    bad, name = NOT_UTF8[fmt]
    extra = f'on_error = "{on_error}"'
    if fmt == "csv":
        lines = [b"id,text", b"a,First licensed text.", bad, b"c,Third licensed text."]
    else:
        lines = [row("a", "First licensed text."), bad, row("c", "Third licensed text.")]
    return corpus(folder, lines, extra=extra, fmt=fmt, name=name)


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_non_utf8_row_with_skip_is_counted_and_the_build_completes(
    tmp_path: Path, fmt: str
) -> None:
    manifest = utf8_corpus(tmp_path / "c", fmt, "skip")
    reader = LicensedReader(load_manifest(manifest))
    assert [d.text for d in reader()] == ["First licensed text.", "Third licensed text."]
    assert reader.stats.as_dict()["dropped/not_utf8"] == 1
    result = build(BuildConfig(output=tmp_path / "ds", licensed=(manifest,), workers=1))
    assert result.documents == 2
    assert result.stats["read_licensed"]["dropped/not_utf8"] == 1
    assert [p.name for p in (tmp_path / "ds").iterdir()] == ["v0001"]  # no staging left


def test_non_utf8_text_file_with_skip_is_counted(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    (folder / "texts").mkdir(parents=True)
    (folder / "texts" / "a.txt").write_text("A licensed text.", encoding="utf-8")
    (folder / "texts" / "b.txt").write_bytes(b"caf\xe9 latin-1")
    manifest = folder / "manifest.toml"
    manifest.write_text(
        MANIFEST.format(extra='on_error = "skip"', path="texts", fmt="text", fields="")
    )
    reader = LicensedReader(load_manifest(manifest))
    assert [d.text for d in reader()] == ["A licensed text."]
    assert reader.stats.as_dict()["dropped/not_utf8"] == 1


def test_non_utf8_row_with_raise_names_file_and_row(tmp_path: Path) -> None:
    manifest = utf8_corpus(tmp_path / "c", "jsonl", "raise")
    with pytest.raises(ManifestError, match=r"docs\.jsonl:2: not UTF-8 text"):
        validate_corpus(load_manifest(manifest))
    result = CliRunner().invoke(
        cli, ["build", "--licensed", str(manifest), "--output", str(tmp_path / "ds")]
    )
    assert_one_line_error(result, str(manifest), "docs.jsonl:2: not UTF-8 text")
    assert not (tmp_path / "ds").exists()


@pytest.mark.parametrize("on_error", ["raise", "skip"])
def test_duplicate_licensed_ids_are_refused_naming_the_rows(tmp_path: Path, on_error: str) -> None:
    lines = [row("x", "One text."), row("y", "Two text."), row("x", "Three text.")]
    manifest = corpus(tmp_path / "c", lines, extra=f'on_error = "{on_error}"')
    with pytest.raises(ManifestError, match=r"docs\.jsonl: rows 1 and 3 share id 'x'"):
        validate_corpus(load_manifest(manifest))
    with pytest.raises(ManifestError, match="share id"):
        build(BuildConfig(output=tmp_path / "ds", licensed=(manifest,), workers=1))
    result = CliRunner().invoke(
        cli, ["build", "--licensed", str(manifest), "--output", str(tmp_path / "ds")]
    )
    assert_one_line_error(result, str(manifest), "rows 1 and 3 share id 'x'")
    assert not (tmp_path / "ds").exists()  # nothing written, so nothing for verify to reject


def test_duplicate_ids_across_files_of_one_corpus_are_refused(tmp_path: Path) -> None:
    manifest = corpus(tmp_path / "c", [row("x", "One text.")])
    (tmp_path / "c" / "more.jsonl").write_bytes(row("x", "Other text.") + b"\n")
    manifest.write_text(
        manifest.read_text()
        + '[[files]]\npath = "more.jsonl"\n'
        + MAPPED.replace("[files", "[files")
    )
    with pytest.raises(
        ManifestError, match=r"docs\.jsonl row 1 and .*more\.jsonl row 1 share id 'x'"
    ):
        validate_corpus(load_manifest(manifest))


def test_two_corpora_with_one_name_are_refused(tmp_path: Path) -> None:
    first = corpus(tmp_path / "a", [row("x", "One text.")])
    second = corpus(tmp_path / "b", [row("x", "Other text.")])
    with pytest.raises(ManifestError, match="corpus name 'acme' is already used by"):
        build(BuildConfig(output=tmp_path / "ds", licensed=(first, second), workers=1))


def test_corpus_named_web_is_refused(tmp_path: Path) -> None:
    manifest = corpus(tmp_path / "c", [row("x", "One text.")])
    manifest.write_text(manifest.read_text().replace('name = "acme"', 'name = "web"'))
    with pytest.raises(ManifestError, match="'name' \\('web'\\) is reserved for crawled pages"):
        load_manifest(manifest)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (('attribution = ""', "attribution = 5"), "field 'attribution' must be str"),
        (('text = "text"', "text = 1"), "[fields] must map names to column name strings"),
        (("[[files]]", "[files]"), "files must be [[files]] tables"),  # one table, not an array
    ],
    ids=["attribution_not_text", "field_mapping_not_text", "files_not_tables"],
)
def test_manifest_values_of_the_wrong_type_are_refused(
    tmp_path: Path, edit: tuple[str, str], message: str
) -> None:
    manifest = corpus(tmp_path / "c", [row("x", "One text.")], extra='attribution = ""')
    manifest.write_text(manifest.read_text().replace(*edit))
    with pytest.raises(ManifestError) as info:
        load_manifest(manifest)
    assert str(manifest) in str(info.value) and message in str(info.value)
