"""Build progress: every stage begins, advances to its total and finishes, in order."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.build import plan_units
from pipeline.config import BuildConfig
from pipeline.progress import counted, unit_bytes
from tests.pipeline.built import build_small


class Recorder:
    """A BuildProgress that keeps what it heard."""

    def __init__(self) -> None:
        self.events: list[tuple[str, object, ...]] = []

    def stage(self, name: str, total: int | None = None, unit: str = "") -> None:
        self.events.append(("stage", name, total, unit))

    def advance(self, done: int, documents: int) -> None:
        self.events.append(("advance", done, documents))

    def finish(self) -> None:
        self.events.append(("finish",))

    def stages(self) -> list[tuple[str, int | None, str, int, int]]:
        """Per stage: name, total, unit, work advanced and documents reported."""
        found: list[list[object]] = []
        for event in self.events:
            if event[0] == "stage":
                found.append([*event[1:], 0, 0])
            elif event[0] == "advance":
                found[-1][3] += event[1]  # type: ignore[operator]
                found[-1][4] += event[2]  # type: ignore[operator]
        return [tuple(stage) for stage in found]  # type: ignore[misc]


@pytest.fixture(scope="module")
def heard(tmp_path_factory: pytest.TempPathFactory) -> tuple[Recorder, Path]:
    folder = tmp_path_factory.mktemp("progress")
    recorder = Recorder()
    build_small(folder, progress=recorder)
    return recorder, folder


def test_each_stage_begins_and_finishes_once_in_order(heard: tuple[Recorder, Path]) -> None:
    recorder, _ = heard
    names = [e[1] for e in recorder.events if e[0] == "stage"]
    assert [n.split(":")[0] for n in names] == ["stage 0", "stage 1", "stage 2"]
    assert [e[0] for e in recorder.events].count("finish") == 3
    assert recorder.events[-1] == ("finish",)


def test_stage_one_advances_by_every_input_byte(heard: tuple[Recorder, Path]) -> None:
    recorder, folder = heard
    config = BuildConfig(
        output=folder / "unused",
        warcs=(folder / "warcs",),
        licensed=(folder / "corpus" / "manifest.toml",),
        third_party_training="allow",
    )
    units, _ = plan_units(config)
    _, total, unit, done, documents = recorder.stages()[1]
    assert (total, unit) == (sum(unit_bytes(u) for u in units), "bytes")
    assert done == total  # the ETA's basis reaches its end
    assert documents == 4 + 2  # four pages read from the WARCs, two licensed documents


def test_stage_two_counts_documents_written(heard: tuple[Recorder, Path]) -> None:
    recorder, _ = heard
    _, total, unit, done, documents = recorder.stages()[2]
    assert unit == "documents" and total is not None
    assert done == documents <= total  # duplicates are dropped on the way


@pytest.mark.parametrize(
    ("docs", "every", "advances"), [(0, 3, []), (5, 2, [2, 2, 1]), (4, 2, [2, 2])]
)
def test_counted_reports_in_batches(docs: int, every: int, advances: list[int]) -> None:
    recorder = Recorder()
    items = list(counted(iter(range(docs)), recorder, every))  # type: ignore[arg-type]
    assert items == list(range(docs))
    assert recorder.events == [("advance", n, n) for n in advances]
