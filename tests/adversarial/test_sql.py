"""Issue 9, item 3: ``gleaner sql`` is read-only and sandboxed unless ``--allow-external``.

Each escape the issue reproduced is a row: the statement is refused with a one-line
``Error:``, and what it would have done (a file written, read, attached or an
extension fetched) did not happen, for a single statement and for the stdin shell.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner, Result

from gleaner.cli import cli
from pipeline import BuildResult
from pipeline.shards import file_sha256
from pipeline.sql import connect
from tests.pipeline.built import build_small

SECRET = "the-secret-line-outside-the-dataset"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_small(tmp_path_factory.mktemp("sql-sandbox"))


@pytest.fixture
def version(built: BuildResult, tmp_path: Path) -> Path:
    """A private copy of the built version, so an escape that works cannot spoil others."""
    return Path(shutil.copytree(built.version, tmp_path / "ds" / built.version.name))


class _Recorder(BaseHTTPRequestHandler):
    paths: list[str]

    def do_GET(self) -> None:
        self.paths.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def extension_server() -> Iterator[tuple[str, list[str]]]:
    """A local extension repository that records every request it receives."""
    requests: list[str] = []
    handler = type("Handler", (_Recorder,), {"paths": requests})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


@dataclass(frozen=True)
class Escape:
    """A statement the sandbox must refuse, and how to tell it did nothing."""

    name: str
    statement: str
    untouched: str  # "absent:<file>" must not exist; "same:<file>" keeps its sha256


ESCAPES = [
    Escape(
        "copy_to_writes_outside",
        "COPY (SELECT id FROM documents) TO '{out}/leak.csv'",
        "absent:{out}/leak.csv",
    ),
    Escape(
        "copy_to_overwrites_a_shard_of_the_version",
        "COPY (SELECT * FROM documents LIMIT 1) "
        "TO '{version}/shards/part-00000.parquet' (FORMAT parquet)",
        "same:{version}/shards/part-00000.parquet",
    ),
    Escape(
        "copy_to_writes_inside_the_version_folder",
        "COPY (SELECT 1 AS x) TO '{version}/extra.csv'",
        "absent:{version}/extra.csv",
    ),
    Escape("read_csv_reads_any_file", "SELECT * FROM read_csv('{secret}')", "same:{secret}"),
    Escape(
        "read_text_reads_any_file", "SELECT content FROM read_text('{secret}')", "same:{secret}"
    ),
    Escape(
        "attach_creates_a_database", "ATTACH '{out}/new.duckdb' AS other", "absent:{out}/new.duckdb"
    ),
    Escape("create_table_writes", "CREATE TABLE copy AS SELECT * FROM documents", "same:{secret}"),
    Escape("install_httpfs_downloads", "INSTALL httpfs FROM '{repo}'", "same:{secret}"),
]


def _run(mode: str, version: Path, statement: str, *extra: str) -> Result:
    args = ["sql", str(version), *extra, "--format", "csv"]
    if mode == "statement":
        return CliRunner().invoke(cli, [*args, statement])
    return CliRunner().invoke(cli, args, input=statement + ";\n")


@pytest.mark.parametrize("mode", ["statement", "stdin"])
@pytest.mark.parametrize("escape", ESCAPES, ids=[e.name for e in ESCAPES])
def test_the_sandbox_refuses(
    escape: Escape,
    mode: str,
    version: Path,
    tmp_path: Path,
    extension_server: tuple[str, list[str]],
) -> None:
    repo, requests = extension_server
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(f"name\n{SECRET}\n")
    names = {"out": tmp_path / "outside", "version": version, "secret": secret, "repo": repo}
    kind, target = escape.untouched.split(":", 1)
    watched = Path(target.format(**names))
    before = file_sha256(watched) if kind == "same" else None

    result = _run(mode, version, escape.statement.format(**names))

    assert result.exit_code == 1, result.output
    assert "Error:" in result.output and "Traceback" not in result.output
    assert SECRET not in result.output
    assert requests == []
    if kind == "absent":
        assert not watched.exists()
    else:
        assert file_sha256(watched) == before


# Each setting DuckDB offers to contain a query, and the value it must have in force.
SETTINGS = [
    ("enable_external_access", False),
    ("lock_configuration", True),
    ("autoinstall_known_extensions", False),
    ("autoload_known_extensions", False),
]


@pytest.mark.parametrize(("name", "value"), SETTINGS, ids=[s[0] for s in SETTINGS])
def test_each_sandbox_setting_is_in_force(built: BuildResult, name: str, value: object) -> None:
    con = connect(built.version)
    row = con.execute(f"SELECT current_setting('{name}')").fetchone()
    assert row is not None and row[0] == value


def test_the_only_allowed_directory_is_duckdbs_own_spill_folder(built: BuildResult) -> None:
    # DuckDB adds its temp directory itself when external access is switched off.
    con = connect(built.version)
    row = con.execute(
        "SELECT current_setting('allowed_directories'), current_setting('temp_directory')"
    ).fetchone()
    assert row is not None
    directories, spill = row
    assert [Path(d) for d in directories] == [Path(spill).resolve()]


def test_allowed_paths_are_exactly_the_files_the_views_read(built: BuildResult) -> None:
    con = connect(built.version)
    row = con.execute("SELECT current_setting('allowed_paths')").fetchone()
    manifest = json.loads((built.version / "manifest.json").read_text())
    shards = {str(built.version / s["path"]) for s in manifest["shards"]}
    files = ("stats/stats.parquet", "duplicates.parquet", "consent/sites.parquet")
    tables = {str(built.version / p) for p in files}
    exclusions = {str(p) for p in built.version.glob("exclusions/*.parquet")}
    assert exclusions  # one file per input, read by the exclusions view
    assert row is not None and set(row[0]) == shards | tables | exclusions


@pytest.mark.parametrize(
    "statement",
    [
        "SET enable_external_access = true",
        "SET lock_configuration = false",
        "SET allowed_directories = ['/']",
        "SET autoinstall_known_extensions = true",
    ],
)
def test_a_query_cannot_undo_the_sandbox(built: BuildResult, statement: str) -> None:
    # Straight to DuckDB, past gleaner's statement check: the lock itself must hold.
    con = connect(built.version)
    with pytest.raises(duckdb.Error, match="locked"):
        con.execute(statement)


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT count(*) FROM documents",
        "WITH d AS (SELECT * FROM documents) SELECT count(*) FROM d",
        "FROM duplicates SELECT count(*)",
        "EXPLAIN SELECT * FROM stats",
        "DESCRIBE documents",
        "SUMMARIZE documents",
    ],
)
def test_reads_still_run(built: BuildResult, statement: str) -> None:
    result = CliRunner().invoke(cli, ["sql", str(built.version), statement])
    assert result.exit_code == 0, result.output


def test_allow_external_opens_duckdbs_full_power(version: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    result = _run(
        "statement", version, f"SELECT content FROM read_text('{secret}')", "--allow-external"
    )
    assert result.exit_code == 0 and SECRET in result.output


@pytest.mark.parametrize("mode", ["statement", "stdin"])
def test_a_shard_whose_size_differs_from_the_manifest_is_refused(version: Path, mode: str) -> None:
    shard = version / "shards" / "part-00000.parquet"
    # Same rows, valid Parquet, other bytes: DuckDB would read it without complaint.
    pq.write_table(pq.read_table(shard), shard, compression="none")
    result = _run(mode, version, "SELECT count(*) AS n FROM documents")
    assert result.exit_code == 1
    assert "shards/part-00000.parquet" in result.output and "gleaner verify" in result.output
    assert "Traceback" not in result.output


def test_a_version_without_recorded_sizes_still_answers(version: Path) -> None:
    manifest = json.loads((version / "manifest.json").read_text())
    for key in ("digest", "files"):
        manifest.pop(key, None)
    for shard in manifest["shards"]:
        shard.pop("bytes", None)
    (version / "manifest.json").write_text(json.dumps(manifest))
    result = _run("statement", version, "SELECT count(*) AS n FROM documents")
    assert result.exit_code == 0 and result.output.splitlines() == ["n", str(manifest["documents"])]
