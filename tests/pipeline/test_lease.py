"""A worker writes into a staging folder only while the build that claimed it lives and owns it."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.errors import StagingLost
from pipeline.lease import OWNER, StagingLease


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_the_claiming_build_may_write(tmp_path: Path) -> None:
    StagingLease.claim(tmp_path).check()


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda lease: StagingLease.claim(lease.folder), "taken this folder over"),
        (lambda lease: (lease.folder / OWNER).unlink(), "taken this folder over"),
        (lambda lease: (lease.folder / OWNER).write_text("{half"), "taken this folder over"),
    ],
    ids=["claimed_again", "owner_file_gone", "owner_file_garbled"],
)
def test_a_lease_stops_holding_when_the_folder_changes_hands(
    tmp_path: Path, spoil: object, message: str
) -> None:
    lease = StagingLease.claim(tmp_path)
    spoil(lease)  # type: ignore[operator]
    with pytest.raises(StagingLost, match=message):
        lease.check()


def test_a_lease_of_a_dead_build_does_not_hold(tmp_path: Path) -> None:
    orphaned = replace(StagingLease.claim(tmp_path), pid=_dead_pid())
    with pytest.raises(StagingLost, match="owns this folder is gone"):
        orphaned.check()
