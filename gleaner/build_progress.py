"""A build's progress for people: a bar per stage on a terminal, plain lines otherwise.

The library reports (:class:`pipeline.progress.BuildProgress`); this module draws.
Each bar shows documents per second and an ETA from the stage's total (stage 1's
input bytes, stage 2's documents); piped output gets a line per stage and at most
one line every ``interval`` seconds while a stage runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

__all__ = ["BuildBars", "PlainBuildLines", "build_progress"]


class DocumentRate(ProgressColumn):
    """Documents per second of a stage so far."""

    def render(self, task: Task) -> Text:
        elapsed = task.finished_time if task.finished else task.elapsed
        documents = int(task.fields.get("documents", 0))
        if not documents and task.total is None:
            return Text("")  # a stage that reads no documents (stage 0)
        return Text(f"{documents:,} docs, {_rate(documents, elapsed)}", style="cyan")


class BuildBars:
    """A rich bar per stage; use as a context manager around the build."""

    def __init__(self, console: Console) -> None:
        self.bars = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            DocumentRate(),
            TimeRemainingColumn(),
            console=console,
        )
        self.task: TaskID | None = None

    def __enter__(self) -> BuildBars:
        self.bars.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bars.stop()

    def stage(self, name: str, total: int | None = None, unit: str = "") -> None:
        del unit  # the bar shows a fraction; the unit only matters for plain lines
        self.task = self.bars.add_task(name, total=total, documents=0)

    def advance(self, done: int, documents: int) -> None:
        if self.task is not None:
            task = self.bars.tasks[self.task]
            seen = int(task.fields.get("documents", 0)) + documents
            self.bars.update(self.task, advance=done, documents=seen)

    def finish(self) -> None:
        if self.task is not None:
            total = self.bars.tasks[self.task].total or 1
            self.bars.update(self.task, total=total, completed=total)
            self.task = None


class PlainBuildLines:
    """One line when a stage starts and ends, and one every ``interval`` seconds between."""

    def __init__(self, say: Callable[[str], None], interval: float = 5.0) -> None:
        self.say = say
        self.interval = interval
        self.started = self.last = 0.0
        self.total: int | None = None
        self.unit = ""
        self.done = self.documents = 0

    def __enter__(self) -> PlainBuildLines:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def stage(self, name: str, total: int | None = None, unit: str = "") -> None:
        self.started = self.last = time.monotonic()
        self.total, self.unit, self.done, self.documents = total, unit, 0, 0
        self.say(name if total is None else f"{name}: {total:,} {unit}")

    def advance(self, done: int, documents: int) -> None:
        self.done += done
        self.documents += documents
        now = time.monotonic()
        if now - self.last >= self.interval:
            self.last = now
            self.say(f"  {self._fraction()}{self._counts(now)}, ETA {self._eta(now)}")

    def finish(self) -> None:
        now = time.monotonic()
        counts = f": {self._counts(now)}" if self.documents else ""
        self.say(f"  done in {now - self.started:.1f} s{counts}")

    def _fraction(self) -> str:
        return f"{self.done:,} of {self.total:,} {self.unit}, " if self.total else ""

    def _counts(self, now: float) -> str:
        elapsed = now - self.started
        return f"{self.documents:,} documents, {_rate(self.documents, elapsed)}"

    def _eta(self, now: float) -> str:
        if not self.total or not self.done:
            return "unknown"
        left = (now - self.started) * (self.total - self.done) / self.done
        return f"{max(left, 0.0):.0f} s"


def build_progress(console: Console, interval: float = 5.0) -> BuildBars | PlainBuildLines:
    """Bars when ``console`` is a terminal, plain lines (never wrapped) when not."""
    if console.is_terminal:
        return BuildBars(console)
    return PlainBuildLines(lambda line: console.out(line, highlight=False), interval)


def _rate(documents: int, elapsed: float | None) -> str:
    if not elapsed:
        return "- docs/s"
    return f"{documents / elapsed:,.0f} docs/s"
