"""Real web pages nobody here wrote: the HTML of six sites, from Debian packages.

Each package ships a site's pages as its authors publish them (navigation, sidebars, footers,
scripts and all). They are fetched at bench setup with ``apt-get download`` (no root needed),
unpacked with ``dpkg-deb -x`` and cached under the work folder; Gleaner itself never downloads.

    python -m bench.debian_pages bench/.work/debian      # fetch and unpack, print versions

Anything missing (no ``apt-get``, no package lists, no network) raises
:class:`PagesUnavailable` with the reason, so a row can say "skipped: <reason>".
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["PACKAGES", "Package", "PagesUnavailable", "Unpacked", "ensure_packages"]

_TIMEOUT_S = 300
_DONE = ".unpacked"


class PagesUnavailable(Exception):
    """Raised when a package cannot be fetched or unpacked; the message says why."""


@dataclass(frozen=True, slots=True)
class Package:
    """A Debian package holding one site's pages: ``root`` inside it is served at ``base_url``."""

    name: str
    root: str
    base_url: str
    server: str
    licence: str


@dataclass(frozen=True, slots=True)
class Unpacked:
    """A fetched package: its exact version and the folder its pages were unpacked to."""

    package: Package
    version: str
    directory: Path

    def page(self, path: str) -> Path:
        return self.directory / self.package.root / path

    def url(self, path: str) -> str:
        return self.package.base_url + path


PACKAGES = {
    package.name: package
    for package in (
        Package(
            "python3.11-doc",
            "usr/share/doc/python3.11/html",
            "https://docs.python.org/3.11/",
            "nginx",
            "PSF-2.0",
        ),
        Package(
            "sqlite3-doc",
            "usr/share/doc/sqlite3",
            "https://www.sqlite.org/",
            "althttpd",
            "public-domain",
        ),
        Package(
            "apache2-doc",
            "usr/share/doc/apache2-doc/manual/en",
            "https://httpd.apache.org/docs/2.4/",
            "Apache",
            "Apache-2.0",
        ),
        Package(
            "git-doc",
            "usr/share/doc/git/html",
            "https://git.github.io/htmldocs/",
            "GitHub.com",
            "GPL-2",
        ),
        Package(
            "debian-reference-en",
            "usr/share/debian-reference",
            "https://www.debian.org/doc/manuals/debian-reference/",
            "Apache",
            "GPL-2+",
        ),
        Package(
            "ikiwiki",
            "usr/share/doc/ikiwiki/html",
            "https://ikiwiki.info/",
            "Apache",
            "GPL-2+",
        ),
    )
}


def _run(command: list[str], cwd: Path) -> str:
    if shutil.which(command[0]) is None:
        raise PagesUnavailable(f"no `{command[0]}` on this machine")
    try:
        done = subprocess.run(
            command, cwd=cwd, capture_output=True, text=True, timeout=_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise PagesUnavailable(f"`{' '.join(command)}` timed out") from exc
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise PagesUnavailable(f"`{' '.join(command)}` failed: {last}")
    return done.stdout


def _deb(cache: Path, name: str) -> Path:
    debs = cache / "debs"
    debs.mkdir(parents=True, exist_ok=True)
    found = sorted(debs.glob(f"{name}_*.deb"))
    if not found:
        _run(["apt-get", "download", "-q", name], debs)
        found = sorted(debs.glob(f"{name}_*.deb"))
    if not found:
        raise PagesUnavailable(f"apt-get download {name} left no .deb file")
    return found[-1]


def _unpack(cache: Path, package: Package) -> Unpacked:
    deb = _deb(cache, package.name)
    version = _run(["dpkg-deb", "-f", str(deb), "Version"], cache).strip()
    target = cache / "pkgs" / package.name
    marker = target / _DONE
    if not marker.is_file() or marker.read_text() != version:
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        _run(["dpkg-deb", "-x", str(deb), str(target)], cache)
        marker.write_text(version)
    return Unpacked(package, version, target)


def ensure_packages(cache: Path, names: Sequence[str] | None = None) -> dict[str, Unpacked]:
    """Fetch (once) and unpack (once per version) the named packages, default all of them."""
    cache = cache.resolve()
    cache.mkdir(parents=True, exist_ok=True)
    return {name: _unpack(cache, PACKAGES[name]) for name in names or PACKAGES}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cache", type=Path, help="where to keep the .deb files and their pages")
    args = parser.parse_args(argv)
    try:
        unpacked = ensure_packages(args.cache)
    except PagesUnavailable as exc:
        print(f"Error: {exc}")
        return 1
    for name, got in unpacked.items():
        print(f"{name} {got.version} ({got.package.licence}) -> {got.package.base_url}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
