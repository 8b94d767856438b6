"""The harness itself: it must see what a broken report would do in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from gleaner.report import Html, Page, bar_chart
from tests.gleaner.browser import load_page, require_chromium


def _page(tmp_path: Path, *parts: str) -> Path:
    page = Page("harness").section("plots", *(Html(p) for p in parts))
    return page.write(tmp_path / "page.html")


def test_a_clean_page_passes_and_is_photographed(tmp_path: Path) -> None:
    page = _page(tmp_path, bar_chart(["a", "b"], [3, 1], title="bars"))
    load = load_page(page, tmp_path / "shot.png")
    load.assert_clean()
    assert load.plots and load.plots[0]["marks"] >= 2
    assert load.screenshot and load.screenshot.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("markup", "seen"),
    [
        ('<img src="http://127.0.0.1:9/x.png">', "foreign_requests"),
        ('<img src="http://127.0.0.1:9/x.png">', "errors"),  # the page's policy refuses it
        ('<img src="http://127.0.0.1:9/x.png">', "failed"),
        ('<svg width="10" height="10"><g id="axes_1"></g></svg>', "empty_plots"),
    ],
)
def test_a_broken_page_fails(tmp_path: Path, markup: str, seen: str) -> None:
    load = load_page(_page(tmp_path, markup), tmp_path / "shot.png")
    assert getattr(load, seen)
    with pytest.raises(AssertionError):
        load.assert_clean()


@pytest.mark.parametrize(
    ("required", "outcome"),
    [(None, pytest.skip.Exception), ("1", pytest.fail.Exception)],
)
def test_a_missing_browser_skips_unless_ci_requires_it(
    monkeypatch: pytest.MonkeyPatch, required: str | None, outcome: type[BaseException]
) -> None:
    monkeypatch.setattr("tests.gleaner.browser.shutil.which", lambda name: None)
    if required is None:
        monkeypatch.delenv("GLEANER_REQUIRE_BROWSER", raising=False)
    else:
        monkeypatch.setenv("GLEANER_REQUIRE_BROWSER", required)
    with pytest.raises(outcome, match="apt-get install chromium"):
        require_chromium()
