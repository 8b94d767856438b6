"""``gleaner policy check``: explain what Gleaner may do with one URL, from captured files.

Thin over :mod:`policies`: read the files, build one verdict, print it. Nothing is fetched,
so a publisher or auditor can reproduce a decision from the robots.txt, headers and HTML
recorded with the page.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from policies import RobotsTxt, TdmRepFile, Verdict, evaluate, explain
from record import verdict_summary

__all__ = ["allowed", "policy"]

_FILE = click.Path(dir_okay=False, allow_dash=True, path_type=Path)


@click.group()
def policy() -> None:
    """Check consent policies (robots.txt, page signals) offline.

    \b
    Example:
      gleaner policy check https://news.example/a/1 --agent Gleaner --robots robots.txt
    """


@policy.command()
@click.argument("url")
@click.option("--agent", required=True, help="Crawl product token, e.g. Gleaner.")
@click.option("--training-agent", help="Training token (default: Gleaner-Extended).")
@click.option("--robots", "robots_file", type=_FILE, help="robots.txt body ('-' = stdin).")
@click.option(
    "--robots-status",
    type=int,
    default=200,
    show_default=True,
    help="HTTP status the robots.txt came with.",
)
@click.option(
    "--headers", "headers_file", type=_FILE, help="Response headers, 'Name: value' lines."
)
@click.option("--html", "html_file", type=_FILE, help="The page's HTML.")
@click.option(
    "--html-cut-at",
    type=click.IntRange(min=0),
    help="The HTML is only the first BYTES of a longer body (e.g. a WARC-Truncated capture).",
)
@click.option("--tdmrep", "tdmrep_file", type=_FILE, help="/.well-known/tdmrep.json body.")
@click.option("--ai-txt", "ai_txt_file", type=_FILE, help="/ai.txt body.")
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as JSON.")
def check(
    url: str,
    agent: str,
    training_agent: str | None,
    robots_status: int,
    html_cut_at: int | None,
    as_json: bool,
    **files: Path | None,
) -> None:
    """Print the verdict for URL and a plain-English explanation.

    Without --robots no robots.txt is known, so fetching is refused. The training signal
    is allowed, disallowed, unknown (nobody said) or unreadable (the page was cut or does
    not decode, so its own signals were not all read).

    Exits 0 when the verdict allows fetching the page and training on it, 1 when it
    refuses either (and 1 for an unreadable file, 2 for a usage error).

    \b
    Example:
      gleaner policy check https://news.example/a/1 --agent Gleaner \\
          --robots robots.txt --headers headers.txt --html page.html
    """
    body = {name: _read(path) for name, path in files.items() if path is not None}
    robots = None
    if "robots_file" in body:
        robots = RobotsTxt.parse(body["robots_file"], status=robots_status)
    verdict = _evaluate_files(url, agent, training_agent, robots, body, html_cut_at)
    click.echo(_as_json(url, verdict, robots) if as_json else _as_text(url, verdict))
    if not allowed(verdict):
        raise click.exceptions.Exit(1)


def allowed(verdict: Verdict) -> bool:
    """The verdict the exit code gives: Gleaner may fetch the page and train on it."""
    return verdict.may_fetch and verdict.may_train


def _summary(verdict: Verdict) -> str:
    if allowed(verdict):
        return "verdict: allowed (may fetch it and train on it)"
    parts = (("fetch it", verdict.may_fetch), ("train on it", verdict.may_train))
    return "verdict: not allowed (may not " + " or ".join(p for p, ok in parts if not ok) + ")"


def _evaluate_files(
    url: str,
    agent: str,
    training_agent: str | None,
    robots: RobotsTxt | None,
    body: dict[str, bytes],
    html_cut_at: int | None,
) -> Verdict:
    return evaluate(
        url,
        crawl_agent=agent,
        training_agent=training_agent,
        robots=robots,
        headers=_parse_headers(body.get("headers_file", b"")),
        html=body.get("html_file"),
        tdmrep=TdmRepFile.parse(body["tdmrep_file"]) if "tdmrep_file" in body else None,
        ai_txt=body.get("ai_txt_file"),
        html_cut_at=html_cut_at,
    )


def _read(path: Path) -> bytes:
    """Read a file ('-' is stdin); an unreadable file is a one-line error naming it."""
    try:
        return sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    except OSError as exc:
        raise click.ClickException(f"{path}: {exc.strerror or exc}") from exc


def _parse_headers(raw: bytes) -> list[tuple[str, str]]:
    """``Name: value`` lines; blank lines, a status line and lines without a colon are skipped."""
    pairs = []
    for line in raw.decode("utf-8", "replace").splitlines():
        name, colon, value = line.partition(":")
        if colon and name.strip() and " " not in name.strip():
            pairs.append((name.strip(), value.strip()))
    return pairs


def _as_text(url: str, verdict: Verdict) -> str:
    flags = "  ".join(
        f"{name}: {'yes' if value else 'no'}"
        for name, value in (
            ("may_fetch", verdict.may_fetch),
            ("may_index", verdict.may_index),
            ("may_train", verdict.may_train),
        )
    )
    signal = f"(training signal: {verdict.training_signal})"
    return f"{url}\n{_summary(verdict)}\n{flags}  {signal}\n\n{explain(verdict)}"


def _as_json(url: str, verdict: Verdict, robots: RobotsTxt | None) -> str:
    """The verdict as a decision-log ``page`` row would hold it, every reason, and the
    robots.txt it was read from."""
    document: dict[str, Any] = {
        "url": url,
        **verdict_summary(verdict),
        "robots": None
        if robots is None
        else {"outcome": robots.outcome, "status": robots.status, "sha256": robots.sha256},
        "explanation": explain(verdict),
    }
    return json.dumps(document, indent=2)
