"""``gleaner policy check``: verdicts from files, JSON output, errors naming the file."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from gleaner.commands.policy import policy


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n")
    (tmp_path / "headers.txt").write_text(
        "HTTP/1.1 200 OK\nX-Robots-Tag: noindex\nX-Robots-Tag: noai\nContent-Type: text/html\n"
    )
    (tmp_path / "page.html").write_text('<meta name="tdm-reservation" content="1">')
    (tmp_path / "tdmrep.json").write_text('[{"location": "/", "tdm-reservation": 0}]')
    return tmp_path


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(policy, ["check", *args])


def test_policy_is_a_click_group_with_check() -> None:
    assert isinstance(policy, click.Group)
    assert "check" in policy.commands


def test_check_prints_verdict_and_explanation(site: Path) -> None:
    result = run(
        "https://a.example/page",
        "--agent",
        "Gleaner",
        "--robots",
        str(site / "robots.txt"),
        "--headers",
        str(site / "headers.txt"),
    )
    assert result.exit_code == 1, result.output  # not allowed: no training
    assert "verdict: not allowed (may not train on it)" in result.output
    assert "may_fetch: yes  may_index: no  may_train: no" in result.output
    assert "X-Robots-Tag header rule 'noindex'" in result.output


def test_check_refused_fetch(site: Path) -> None:
    result = run(
        "https://a.example/private/1", "--agent", "Gleaner", "--robots", str(site / "robots.txt")
    )
    assert result.exit_code == 1
    assert "Fetch: not allowed, because of robots.txt (crawl token) rule 'Disallow: /private/'" in (
        result.output
    )


def test_check_json(site: Path) -> None:
    result = run(
        "https://a.example/page",
        "--agent",
        "Gleaner",
        "--robots",
        str(site / "robots.txt"),
        "--html",
        str(site / "page.html"),
        "--tdmrep",
        str(site / "tdmrep.json"),
        "--json",
    )
    assert result.exit_code == 1, result.output  # tdm-reservation: no training
    document = json.loads(result.output)
    assert document["training_signal"] == "disallowed"
    assert document["deciding_signal"] == "tdmrep"
    assert document["robots"]["outcome"] == "parsed"
    assert "tdmrep" in document["signals_seen"]


def test_robots_status_is_applied(site: Path) -> None:
    result = run(
        "https://a.example/page",
        "--agent",
        "Gleaner",
        "--robots",
        str(site / "robots.txt"),
        "--robots-status",
        "503",
        "--json",
    )
    assert json.loads(result.output)["may_fetch"] is False


def test_training_agent_option(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("User-agent: Other-Extended\nDisallow: /\n")
    args = ["https://a.example/", "--agent", "Gleaner", "--robots", str(tmp_path / "r.txt")]
    assert json.loads(run(*args, "--json").output)["training_signal"] == "unknown"
    named = run(*args, "--training-agent", "Other-Extended", "--json")
    assert json.loads(named.output)["training_signal"] == "disallowed"


def test_html_cut_at_reproduces_a_truncated_capture(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("<html><body><p>first part of a longer page")
    args = ["https://a.example/", "--agent", "G", "--html", str(tmp_path / "page.html")]
    whole = json.loads(run(*args, "--json").output)
    cut = json.loads(run(*args, "--html-cut-at", "42", "--json").output)
    assert (whole["training_signal"], cut["training_signal"]) == ("unknown", "unreadable")
    assert cut["evidence"] == "body cut at 42 bytes, before its end"


def test_robots_from_stdin() -> None:
    result = CliRunner().invoke(
        policy,
        ["check", "https://a.example/x", "--agent", "G", "--robots", "-", "--json"],
        input="User-agent: *\nDisallow: /\n",
    )
    assert json.loads(result.output)["may_fetch"] is False


def test_unreadable_file_is_one_line_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    result = run("https://a.example/", "--agent", "Gleaner", "--html", str(missing))
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"Error: {missing}: No such file or directory"]


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(policy, ["check", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "gleaner policy check" in result.output
    assert "Example:" in CliRunner().invoke(policy, ["--help"]).output


@pytest.mark.parametrize(
    ("robots", "verdict", "code"),
    [
        ("User-agent: *\nAllow: /\n", "verdict: allowed (may fetch it and train on it)", 0),
        (
            "User-agent: Gleaner-Extended\nDisallow: /\n",
            "verdict: not allowed (may not train on it)",
            1,
        ),
        (
            "User-agent: *\nDisallow: /\n",
            "verdict: not allowed (may not fetch it or train on it)",
            1,
        ),
    ],
)
def test_exit_code_and_wording_follow_the_verdict(
    tmp_path: Path, robots: str, verdict: str, code: int
) -> None:
    (tmp_path / "robots.txt").write_text(robots)
    result = run(
        "https://a.example/x", "--agent", "Gleaner", "--robots", str(tmp_path / "robots.txt")
    )
    assert result.exit_code == code
    assert result.output.splitlines()[1] == verdict
    as_json = run(
        "https://a.example/x",
        "--agent",
        "Gleaner",
        "--robots",
        str(tmp_path / "robots.txt"),
        "--json",
    )
    assert as_json.exit_code == code
