"""The ``gleaner`` command line: thin verbs over the library.

Each verb builds one object and calls one method; library errors become a
one-line ``Error: ...`` and exit code 1.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from crawler.errors import CrawlerError, CrawlInterrupted
from pipeline.errors import BuildInterrupted, PipelineError

__all__ = ["cli", "main"]

_F = TypeVar("_F", bound=Callable[..., Any])


def _errors_to_exit(func: _F) -> _F:
    """Turn the library's typed errors into ``Error: ...`` and exit code 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BrokenPipeError:  # the reader left (``| head``): click exits quietly
            raise
        except (CrawlInterrupted, BuildInterrupted, KeyboardInterrupt) as exc:
            _say_interrupted(exc)
            raise click.exceptions.Exit(130) from None
        except (CrawlerError, PipelineError, OSError) as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


def _say_interrupted(exc: BaseException) -> None:
    """``interrupted: ...; continue with `<this command> --resume```, on stderr.

    The resume hint only for a verb that can resume (crawl, build).
    """
    import shlex
    import sys

    done = str(exc) if str(exc).startswith("interrupted") else "interrupted"
    params = click.get_current_context().command.params
    if not any(param.name == "resume" for param in params):
        click.echo(done, err=True)
        return
    words = ["gleaner", *sys.argv[1:]]
    words += [] if "--resume" in words else ["--resume"]
    click.echo(f"{done}; continue with `{shlex.join(words)}`", err=True)


class _LazyGroup(click.Group):
    """A group whose verbs in :data:`_COMMANDS` are imported only when asked for.

    Each verb's module brings its own libraries (Scrapy, the build, matplotlib); importing
    them all costs seconds at every start, and again in every spawned worker process, which
    imports the CLI anew. ``--help`` still lists (and so imports) every verb.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *(name for _, name in _COMMANDS)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        for module, name in _COMMANDS:
            if name == cmd_name:
                from importlib import import_module

                command: click.Command = getattr(import_module(module), name)
                return command
        return super().get_command(ctx, cmd_name)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gleaner")
def cli() -> None:
    """Gleaner: crawl politely, honour training opt-outs, build datasets you can query."""


@cli.command()
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    default=Path("gleaner-demo"),
    show_default=True,
    help="Fresh folder for the demo's runs and dataset.",
)
@click.option("--workers", type=int, default=2, show_default=True, help="Build processes.")
@_errors_to_exit
def demo(output: Path, workers: int) -> None:
    """Crawl the bundled example web, build a dataset, print the funnel and queries.

    Example: gleaner demo --output /tmp/gleaner-demo
    """
    from gleaner.demo import run_demo

    run_demo(output, workers=workers)


@cli.command()
@click.argument("job", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--log-level",
    type=click.Choice(["CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"], case_sensitive=False),
    default="WARNING",
    show_default=True,
    help="Scrapy log level.",
)
@click.option(
    "-s",
    "--set",
    "settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a crawler setting, as with scrapy -s.",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Continue the job's last unfinished run (killed or stopped) in its own folder.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Check the job, resolve its seeds and say which would be refused and why; fetch nothing.",
)
@click.option(
    "--frontier",
    metavar="redis://HOST:PORT/DB",
    help="Share the crawl with every worker pointed at this Redis (else the job's [frontier]).",
)
@click.option(
    "--workers",
    type=int,
    default=None,
    help="Crawl workers to start here on the shared frontier (default: the job's, or 1).",
)
@_errors_to_exit
def crawl(
    job: Path,
    log_level: str,
    settings: tuple[str, ...],
    resume: bool,
    dry_run: bool,
    frontier: str | None,
    workers: int | None,
) -> None:
    """Crawl one job file; print the run folder.

    Example: gleaner crawl jobs/news.toml -s ROBOTS_MAX_CRAWL_DELAY=10
    (after a crash: gleaner crawl jobs/news.toml --resume; to look first: --dry-run;
    with others: gleaner crawl jobs/news.toml --frontier redis://127.0.0.1:6379/0 --workers 3)
    """
    from crawler.errors import SettingError
    from crawler.process import parse_overrides

    try:
        overrides = parse_overrides(settings)
    except SettingError as exc:  # a malformed option, not a bad value: a usage error
        raise click.UsageError(str(exc)) from exc
    if dry_run:
        from gleaner.commands.check import dry_run as judge_starts

        lines, any_fetched = judge_starts(job, overrides)
        click.echo("\n".join(lines))
        raise click.exceptions.Exit(0 if any_fetched else 1)
    run_dir = _crawl(job, log_level, overrides, resume, frontier, workers)
    click.echo(run_dir)
    _fail_if_nothing_fetched(job, run_dir)


def _crawl(
    job: Path,
    log_level: str,
    overrides: dict[str, str],
    resume: bool,
    frontier: str | None,
    workers: int | None,
) -> Path:
    """One crawl process (this one), or ``workers`` of them on a shared frontier."""
    from functools import partial

    from crawler.process import run_crawl
    from crawler.workers import crawl_job

    here = partial(run_crawl, log_level=log_level)
    return crawl_job(
        job, here, workers=workers, frontier=frontier, overrides=overrides, resume=resume
    )


def _fail_if_nothing_fetched(job_file: Path, run_dir: Path) -> None:
    """Every seed refused is not a success: say why, exit 1."""
    from crawler.jobspec import load_job
    from crawler.refusals import nothing_fetched

    why = nothing_fetched(load_job(job_file), run_dir)
    if why:
        raise click.ClickException(why)


@cli.command()
@click.argument("jobs_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--once", is_flag=True, help="Run whatever is due now, then exit.")
@_errors_to_exit
def schedule(jobs_dir: Path, once: bool) -> None:
    """Run each job in JOBS_DIR when its [schedule] cron says; runs after the first are
    incremental (conditional GETs, revisit records).

    A job's [refresh] table runs `gleaner optout refresh` on its datasets on its own cron.
    Prints each job with what it ran and when it is next due. A job file that does not
    load, or whose crawl fails, is reported on one line and skipped; the other jobs run,
    and --once then exits 1.

    Example: gleaner schedule jobs/ --once
    """
    from crawler.schedule import run_forever, run_round
    from crawler.spawn import crawl_in_subprocess
    from gleaner.optout_refresh import scheduled_refresh

    if not once:
        run_forever(
            jobs_dir,
            crawl_in_subprocess,
            say=lambda o: click.echo(o.describe()),
            refresh=scheduled_refresh,
        )
    outcomes = run_round(jobs_dir, crawl_in_subprocess, refresh=scheduled_refresh)
    for outcome in outcomes:
        failed = outcome.problem is not None
        click.echo(("Error: " if failed else "") + outcome.describe(), err=failed)
    if not outcomes:
        click.echo(f"{jobs_dir}: no job file with a [schedule] or [refresh] cron")
    if any(o.problem for o in outcomes):  # the others ran; the exit code still tells
        raise click.exceptions.Exit(1)


@cli.command()
@click.argument(
    "config", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--crawl", "crawls", multiple=True, type=click.Path(path_type=Path), help="A crawl run folder."
)
@click.option(
    "--warc",
    "warcs",
    multiple=True,
    type=click.Path(path_type=Path),
    help="WARC file or folder (third-party).",
)
@click.option(
    "--licensed", multiple=True, type=click.Path(path_type=Path), help="A licensed-corpus manifest."
)
@click.option(
    "--output", type=click.Path(path_type=Path), help="Dataset folder (a new version is added)."
)
@click.option("--workers", type=int, help="Worker processes (default: one per core).")
@click.option(
    "--executor",
    type=click.Choice(["local", "ray"]),
    help="Run stage 1 and the dedup keys as local processes or Ray tasks (default: local; "
    "ray needs the cluster extra). Same dataset either way.",
)
@click.option(
    "--ray-address",
    help="With --executor ray: an existing Ray cluster, e.g. HOST:6379 "
    "(default: a local Ray instance with --workers CPUs).",
)
@click.option(
    "--third-party-training",
    type=click.Choice(["allow", "deny"]),
    help="Training default for third-party pages with no signal (default: deny).",
)
@click.option(
    "--resume",
    is_flag=True,
    default=None,
    help="Finish a killed or interrupted build: reuse its staging folder, skip inputs "
    "finished and unchanged.",
)
@click.option(
    "--allow-empty",
    is_flag=True,
    default=None,
    help="Write a version even when it adds no document: none kept, or every one already "
    "in the latest version (default: write nothing and say so).",
)
@_errors_to_exit
def build(config: Path | None, **options: Any) -> None:
    """Build a new dataset version from crawls, WARCs and licensed corpora.

    The new version is the whole dataset: the latest version's documents (their shards
    hard-linked, not copied) plus what this build adds that they do not already hold.
    A build that adds nothing writes no version and says so.

    \b
    Example:
      gleaner build --crawl runs/news/20261129T120000Z \\
                    --licensed corpus/manifest.toml --output datasets/news
      gleaner build build.toml --executor ray --ray-address 10.0.0.5:6379
    """
    from gleaner.build_progress import build_progress
    from gleaner.output import err_console, print_funnel
    from pipeline.build import build as run_build
    from pipeline.config import BuildConfig, load_build_config
    from pipeline.funnel import funnel

    given: dict[str, Any] = {k: v for k, v in options.items() if v not in (None, ())}
    if config is not None:
        cfg = load_build_config(config, **given)
    else:
        if not given.get("output"):
            raise click.UsageError("give --output (or a build config file)")
        cfg = BuildConfig(**given)
    with build_progress(err_console) as progress:
        result = run_build(cfg, progress=progress)
    if result.newer_word:
        # Before the build's own version: what its inputs now refuse left the dataset first.
        click.echo(
            f"{result.newer_word}: the inputs' newer opt-outs took documents out of the "
            f"dataset (see its removals.parquet)"
        )
    if not result.written:
        duplicates = result.stats.get("dedup", {}).get("dropped", 0)
        click.echo(
            f"nothing new: every document is already in {result.version.name} "
            f"({duplicates} duplicates); no version written"
        )
        return
    # On stderr, with the bars: the last line on stdout stays the version.
    print_funnel(funnel(result.version), err_console)
    click.echo(
        f"{result.version}: {result.documents} documents ({result.added} added) "
        f"in {len(result.shards)} shard(s)"
    )


@cli.command()
@click.argument("dataset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("statement", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    help="Output format (default: table on a terminal, csv when piped).",
)
@click.option("--version", "version", help="Version to query, e.g. v0001 (default: the latest).")
@click.option(
    "--allow-external",
    is_flag=True,
    help="Lift the read-only sandbox: DuckDB may then read and write any file you can, "
    "attach databases and download extensions. Only for SQL you trust.",
)
@click.option(
    "--tokens",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A token output (gleaner tokenize --out) whose index the tokens view reads.",
)
@_errors_to_exit
def sql(
    dataset: Path,
    statement: str | None,
    fmt: str | None,
    version: str | None,
    allow_external: bool,
    tokens: Path | None,
) -> None:
    """Run SQL over a dataset version; with no STATEMENT, read statements from stdin until EOF.

    A version is the whole dataset at that point. Views: documents, added and removed (the
    change since the parent version), removals, duplicates, exclusions, decisions, robots,
    stats, sites, and tokens (the index of the token output given with --tokens; see
    docs/queries.md).
    Read-only: only SELECT and EXPLAIN run, and DuckDB may open the version's own files
    and nothing else (no COPY, ATTACH, INSTALL, other files or URLs). A version whose files
    differ from its manifest is refused; run verify.

    \b
    Example: gleaner sql datasets/demo "SELECT source, count(*) FROM documents GROUP BY ALL"
             gleaner sql datasets/demo --version v0001 "SELECT count(*) FROM added"
             echo "SELECT count(*) FROM duplicates;" | gleaner sql datasets/demo
             gleaner sql datasets/demo --tokens tokens/demo \
               "SELECT source, sum(length) AS tokens FROM tokens GROUP BY ALL"
    """
    import sys

    import duckdb

    from gleaner.output import default_format, print_rows
    from pipeline.sql import query

    fmt = fmt or default_format()
    if tokens is not None:
        from gleaner.commands.tokenize import warn_other_version

        warn_other_version(dataset, version, tokens)

    if statement is None:
        from gleaner.sql_shell import run_shell

        raise click.exceptions.Exit(
            run_shell(
                dataset,
                sys.stdin,
                fmt,
                version=version,
                allow_external=allow_external,
                tokens=tokens,
            )
        )

    try:
        columns, rows = query(
            dataset, statement, version=version, allow_external=allow_external, tokens=tokens
        )
    except duckdb.Error as exc:
        raise click.ClickException(f"{dataset}: {exc}") from exc
    print_rows(columns, rows, fmt)


@cli.command()
@click.argument("dataset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--version", "version", help="Version to check, e.g. v0001 (default: the latest).")
@_errors_to_exit
def verify(dataset: Path, version: str | None) -> None:
    """Check a dataset version end to end: every file it lists or implies (shards, index,
    duplicates, stats, exclusions), sizes, checksums, schema, ids, stats, the manifest's
    digest and the inputs' checksums.

    Prints each mismatch on its own line, naming the file, and exits 1 when there is any;
    notes (an input no longer on disk, checks an older version cannot support) do not fail.

    Example: gleaner verify datasets/news --version v0001
    """
    from pipeline.dataset import resolve_version
    from pipeline.verify import verify_version

    folder = resolve_version(dataset, version)
    report = verify_version(folder)
    for note in report.notes:
        click.echo(f"{folder.name}: note: {note}")
    for problem in report.problems:
        click.echo(f"{folder.name}: {problem}")
    if not report.ok:
        raise click.exceptions.Exit(1)
    click.echo(f"{folder}: ok ({len(report.checked)} checks)")


#: Verbs that live in their own modules: (module, command), in the order ``--help`` lists.
_COMMANDS = (
    ("gleaner.commands.policy", "policy"),
    ("gleaner.commands.check", "check"),
    ("gleaner.commands.versions", "expire"),
    ("gleaner.commands.versions", "remove"),
    ("gleaner.commands.report", "report"),
    ("gleaner.commands.audit", "audit"),
    ("gleaner.commands.optout", "optout"),
    ("gleaner.commands.tokenizer", "tokenizer"),
    ("gleaner.commands.tokenize", "tokenize"),
)


def main() -> None:
    cli(prog_name="gleaner")


if __name__ == "__main__":
    main()
