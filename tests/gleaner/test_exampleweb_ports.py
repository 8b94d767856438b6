"""The example web on a demo's own ports: its dataset's hosts can be asked again."""

from __future__ import annotations

import json
import socket
import urllib.request
from pathlib import Path

import pytest

from gleaner.exampleweb import ExampleWeb
from gleaner.exampleweb.__main__ import main


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_publishers_serve_on_the_ports_given() -> None:
    port = _free_port()
    with ExampleWeb(delay_scale=0, ports={"open": port}) as web:
        assert web.base_urls["open"] == f"http://127.0.0.1:{port}"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=5) as answer:
            assert answer.status == 200
        assert all(url != web.base_urls["open"] for n, url in web.base_urls.items() if n != "open")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not readable as the demo's example-web ports"),
        ('{"nobody": "http://127.0.0.1:1"}', "no publisher ports in it"),
        ('{"open": "http://127.0.0.1"}', "no publisher ports in it"),
    ],
)
def test_a_bad_ports_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    ports = tmp_path / "exampleweb.json"
    ports.write_text(content, encoding="utf-8")
    assert main(["--ports", str(ports)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"Error: {ports}: {message}") and err.count("\n") == 1


def test_a_port_taken_since_the_demo_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        ports = tmp_path / "exampleweb.json"
        url = f"http://127.0.0.1:{taken.getsockname()[1]}"
        ports.write_text(json.dumps({"open": url}), encoding="utf-8")
        assert main(["--ports", str(ports)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and err.count("\n") == 1
