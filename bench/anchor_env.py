"""The anchors' own virtualenv, ``bench/.anchor-venv``, kept apart from Gleaner's.

datatrove 0.10 pins trafilatura < 1.12 and pulls in numpy, spaCy, nltk, fasttext and the
Hugging Face hub client; none of that may enter Gleaner's dependencies, so the anchor runs in a
second interpreter that only the benchmark knows about.

Offline at run time: datatrove's English word tokenizer is ``spacy.blank("en")`` plus the
rule-based ``sentencizer`` (see ``datatrove/utils/word_tokenizers.py``), so no spaCy model is
downloaded, and the build slice uses neither nltk data, the fastText language model nor a hub
tokenizer (the tokenize row hands DocumentTokenizer a local ``tokenizer.json``). The only
network use is ``pip install`` here, during setup. trafilatura 1.11 still imports
``lxml.html.clean``, which lxml 6 moved to the ``lxml_html_clean`` package, so that is
installed too (Gleaner needs it for the same reason). datatrove's WARC reader imports
``python-magic``, which needs the system library libmagic (Debian: ``libmagic1``).

    python -m bench.anchor_env            # create or reuse, print versions
    python -m bench.anchor_env --recreate
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "ANCHOR_REQUIREMENTS",
    "ANCHOR_VENV",
    "AnchorEnv",
    "AnchorUnavailable",
    "ensure_anchor_env",
    "main",
]

ANCHOR_VENV = Path(__file__).resolve().parent / ".anchor-venv"
ANCHOR_REQUIREMENTS = (
    "datatrove[io,processing]==0.10.*",
    "spacy>=3.8,<3.9",
    "lxml_html_clean>=0.4,<0.5",
    # DocumentTokenizer's library (datatrove[processing] pulls it in too); Gleaner's own range,
    # so both sides of the tokenizer rows run the same Rust code.
    "tokenizers>=0.20,<0.24",
)
SETUP_TIMEOUT_S = 1200
_PROBE = """
import json, importlib.metadata as md
import datatrove, spacy, trafilatura, lxml_html_clean, magic, cchardet, tokenizers
spacy.blank("en")  # the tokenizer datatrove uses for English; fails if it would need a model
names = ["datatrove", "spacy", "trafilatura", "lxml", "numpy", "pyarrow", "warcio", "tokenizers"]
print(json.dumps({name: md.version(name) for name in names}))
"""


class AnchorUnavailable(RuntimeError):
    """Raised when the anchor venv cannot be created or does not work; the message says why."""


@dataclass(frozen=True, slots=True)
class AnchorEnv:
    """A working anchor interpreter and the versions it runs."""

    python: Path
    versions: dict[str, str]


def _python(venv: Path) -> Path:
    return venv / "bin" / "python"


def _last_error(text: str) -> str:
    # pip and Python both end with the line that matters: "ERROR: ..." or the exception.
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR")]
    return (errors or lines or ["no output"])[-1]


def probe(venv: Path) -> AnchorEnv:
    """Check that ``venv`` imports everything the anchors use; raise AnchorUnavailable if not."""
    python = _python(venv)
    if not python.exists():
        raise AnchorUnavailable(f"no interpreter at {python}")
    done = subprocess.run(
        [str(python), "-c", _PROBE], capture_output=True, text=True, timeout=300, check=False
    )
    if done.returncode != 0:
        raise AnchorUnavailable(f"anchor venv is broken: {_last_error(done.stderr)}")
    versions = json.loads(done.stdout.strip().splitlines()[-1])
    if not versions["datatrove"].startswith("0.10."):
        raise AnchorUnavailable(f"datatrove {versions['datatrove']} installed, want 0.10.*")
    return AnchorEnv(python, versions)


def _run_setup_step(command: list[str], what: str) -> None:
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=SETUP_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise AnchorUnavailable(f"{what} timed out after {exc.timeout:.0f} s") from exc
    if done.returncode != 0:
        raise AnchorUnavailable(f"{what} failed: {_last_error(done.stdout + done.stderr)}")


def create(venv: Path) -> None:
    """(Re)create ``venv`` from scratch and pip-install the anchor requirements into it."""
    shutil.rmtree(venv, ignore_errors=True)
    # From inside Gleaner's venv, ``-m venv`` builds on the base interpreter, not on this venv.
    _run_setup_step([sys.executable, "-m", "venv", str(venv)], "python -m venv")
    pip = [str(_python(venv)), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    _run_setup_step([*pip, *ANCHOR_REQUIREMENTS], "pip install of the anchor requirements")


def ensure_anchor_env(venv: Path = ANCHOR_VENV, recreate: bool = False) -> AnchorEnv:
    """Reuse ``venv`` if it works, else create it; raise AnchorUnavailable with the reason."""
    if not recreate:
        try:
            return probe(venv)
        except AnchorUnavailable:
            pass  # missing or broken: build it afresh below
    create(venv)
    return probe(venv)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Create or check bench/.anchor-venv.")
    parser.add_argument("--venv", type=Path, default=ANCHOR_VENV, help="venv location")
    parser.add_argument("--recreate", action="store_true", help="rebuild even if it works")
    args = parser.parse_args(argv)
    try:
        env = ensure_anchor_env(args.venv, args.recreate)
    except AnchorUnavailable as exc:
        print(f"anchor unavailable: {exc}", file=sys.stderr)
        return 1
    print(f"{env.python}: " + ", ".join(f"{k} {v}" for k, v in env.versions.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
