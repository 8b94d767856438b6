"""What a committed version records about its own bytes, so changes can be detected.

A version's manifest lists every file of the version with its byte size and
sha256 (shards in ``shards``, everything else in ``files``) and ends with
``digest``: the sha256 of the manifest's own canonical JSON without that key,
computed last. ``verify`` recomputes all of them; ``sql`` compares the sizes
only, which costs one ``stat`` per file. The digest detects edits to the
manifest (its config, created time, input checksums); it is not a signature, as
anyone who edits the manifest on purpose can recompute it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pipeline.shards import file_sha256

__all__ = [
    "DIGEST",
    "FILES",
    "canonical",
    "file_entry",
    "manifest_digest",
    "seal",
    "size_problems",
    "version_files",
]

#: The manifest key holding the digest of the rest of the manifest.
DIGEST = "digest"
#: The manifest key listing the version's files other than its shards.
FILES = "files"
# Listed elsewhere (shards) or the manifest itself.
_NOT_IN_FILES = ("manifest.json", "shards/")


def canonical(manifest: Mapping[str, Any]) -> str:
    """The manifest without its digest as compact, key-sorted JSON: the bytes digested."""
    body = {k: v for k, v in manifest.items() if k != DIGEST}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def manifest_digest(manifest: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(manifest).encode("utf-8")).hexdigest()


def file_entry(folder: Path, relative: str) -> dict[str, Any]:
    path = folder / relative
    return {"path": relative, "bytes": path.stat().st_size, "sha256": file_sha256(path)}


def version_files(folder: Path) -> list[dict[str, Any]]:
    """Every file of a version folder except the manifest and the shards, sorted by path."""
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    return [file_entry(folder, n) for n in names if not n.startswith(_NOT_IN_FILES)]


def seal(manifest: Mapping[str, Any], folder: Path) -> dict[str, Any]:
    """The manifest as written: its files listed, JSON-normalised, the digest added last."""
    listed = {**manifest, FILES: version_files(folder)}
    # Normalise first (paths and dates become strings) so the digest covers what is written.
    sealed: dict[str, Any] = json.loads(json.dumps(listed, default=str))
    sealed[DIGEST] = manifest_digest(sealed)
    return sealed


def size_problems(folder: Path, manifest: Mapping[str, Any]) -> list[str]:
    """Listed files that are missing or whose byte size differs from the manifest's.

    Cheap (a ``stat`` per file), so ``sql`` can run it before every session;
    entries written before sizes were recorded are only checked for existence.
    """
    problems = []
    for entry in [*manifest.get("shards", []), *manifest.get(FILES, [])]:
        relative = entry.get("path") if isinstance(entry, dict) else None
        if not isinstance(relative, str):
            problems.append(f"manifest entry without a path: {entry!r}")
            continue
        path = folder / relative
        if not path.is_file():
            problems.append(f"{relative}: missing")
        elif "bytes" in entry and path.stat().st_size != entry["bytes"]:
            problems.append(
                f"{relative}: {path.stat().st_size} bytes, the manifest says {entry['bytes']}"
            )
    return problems
