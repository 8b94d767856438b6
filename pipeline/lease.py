"""Which build owns a staging folder, checked before a worker writes into it.

A build claims its scratch folder by writing a fresh token to ``owner.json``;
a resumed build claims it again. A worker checks, before it puts a work file
or a completion marker in place, that the build that started it is still its
parent and still holds the token, so a worker left over from a killed build
can never add output to a folder another build now fills. A Ray worker is no
child of the build (it may be on another machine): the token alone tells.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import StagingLost

__all__ = ["OWNER", "StagingLease"]

OWNER = "owner.json"


@dataclass(frozen=True, slots=True)
class StagingLease:
    """The claim of the build process ``pid`` on ``folder`` (picklable, for workers).

    ``pid`` is None when the workers are not the build's children (Ray's).
    """

    folder: Path
    token: str
    pid: int | None

    @classmethod
    def claim(cls, folder: Path, watch_parent: bool = True) -> StagingLease:
        """Take ``folder`` over for this process; earlier claims stop being honoured."""
        lease = cls(folder, uuid.uuid4().hex, os.getpid() if watch_parent else None)
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{OWNER}.tmp"
        tmp.write_text(json.dumps({"pid": os.getpid(), "token": lease.token}) + "\n", "utf-8")
        os.replace(tmp, folder / OWNER)
        return lease

    def check(self) -> None:
        """Raise :class:`StagingLost` unless the claiming build is alive and still owns it."""
        if self.pid is not None and self.pid not in (os.getpid(), os.getppid()):
            raise StagingLost(f"{self.folder}: the build that owns this folder is gone")
        try:
            owner = json.loads((self.folder / OWNER).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            owner = {}
        if owner.get("token") != self.token:
            raise StagingLost(f"{self.folder}: another build has taken this folder over")
