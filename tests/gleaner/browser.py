"""A headless Chromium that opens a report from file:// and says what went wrong.

Debian's ``chromium`` and ``chromium-driver``, driven by Selenium with the driver's path given
explicitly, so Selenium Manager never runs (and never downloads a driver). A page passes when
the browser logged no console error, requested nothing but the file itself (no failed request,
no http(s) request at all), and every plot drew something: each ``<svg>`` has a mark (a bar,
a marker) with a non-empty bounding box in the browser's own layout (``getBBox``).

Without Chromium the tests that need it are skipped with the reason, unless
``GLEANER_REQUIRE_BROWSER=1`` (CI sets it) where a missing browser is a failure.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

__all__ = ["PageLoad", "load_page", "require_chromium"]

_FLAGS = (
    "--headless=new",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--window-size=1280,1000",
    # Chromium's own background traffic is not the page's, but keep the run quiet and offline.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--no-first-run",
    "--no-pings",
)

# Marks are the data drawn inside a matplotlib axes: its patches (bars) and lines (markers),
# except the first patch, which is the axes' background. Spines are patches with a zero-width
# box and do not count.
_PLOTS_JS = """
return Array.from(document.querySelectorAll('svg')).map((svg) => {
  let marks = 0;
  for (const axes of svg.querySelectorAll('g[id^="axes"]')) {
    const parts = Array.from(axes.children).filter(
      (g) => /^(patch|line2d)_/.test(g.id));
    const background = parts.find((g) => g.id.startsWith('patch_'));
    for (const part of parts) {
      if (part === background) continue;
      for (const el of part.querySelectorAll('path, rect, use, circle, polygon')) {
        const box = el.getBBox();
        if (box.width > 0 && box.height > 0) marks += 1;
      }
    }
  }
  const size = svg.getBoundingClientRect();
  return {label: svg.getAttribute('aria-label') || '', marks: marks,
          width: size.width, height: size.height};
});
"""


@dataclass
class PageLoad:
    """What the browser saw while loading one page."""

    url: str
    console: list[dict[str, Any]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    plots: list[dict[str, Any]] = field(default_factory=list)
    title: str = ""
    text: str = ""
    screenshot: Path | None = None

    @property
    def errors(self) -> list[str]:
        return [e["message"] for e in self.console if e.get("level") == "SEVERE"]

    @property
    def foreign_requests(self) -> list[str]:
        """Requests for anything but the page's own file (a data: URL is inline, not fetched)."""
        return [u for u in self.requests if u != self.url and not u.startswith("data:")]

    @property
    def empty_plots(self) -> list[dict[str, Any]]:
        return [p for p in self.plots if not (p["marks"] and p["width"] and p["height"])]

    def assert_clean(self) -> None:
        """No console error, no failed or foreign request, every plot drawn."""
        assert self.errors == [], self.errors
        assert self.failed == [], self.failed
        assert self.foreign_requests == [], self.foreign_requests
        assert self.empty_plots == [], f"plots with nothing drawn: {self.empty_plots}"


def require_chromium() -> tuple[str, str]:
    """The paths of chromium and chromedriver; skip (or, when CI requires it, fail) without."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    missing = [name for name, path in (("chromium", browser), ("chromedriver", driver)) if not path]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip install -e '.[dev]')")
    if missing:
        reason = f"headless browser tests need {', '.join(missing)} (apt-get install chromium)"
        if os.environ.get("GLEANER_REQUIRE_BROWSER") == "1":
            pytest.fail(f"GLEANER_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    assert browser and driver
    return browser, driver


def load_page(page: Path, screenshot: Path) -> PageLoad:
    """Open ``page`` from file:// in headless Chromium; save a full-page PNG to ``screenshot``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver_path = require_chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in _FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    try:
        return _observe(driver, page.resolve().as_uri(), screenshot)
    finally:
        driver.quit()


def _observe(driver: Any, url: str, screenshot: Path) -> PageLoad:
    driver.get(url)
    load = PageLoad(url=url, title=driver.title)
    load.text = driver.execute_script("return document.body.innerText")
    load.plots = driver.execute_script(_PLOTS_JS)
    load.console = driver.get_log("browser")
    for entry in driver.get_log("performance"):
        _network_event(load, json.loads(entry["message"])["message"])
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}
    )
    screenshot.write_bytes(base64.b64decode(shot["data"]))
    load.screenshot = screenshot
    return load


def _network_event(load: PageLoad, event: dict[str, Any]) -> None:
    method, params = event.get("method"), event.get("params", {})
    if method == "Network.requestWillBeSent":
        load.requests.append(params["request"]["url"])
    elif method == "Network.loadingFailed":
        load.failed.append(f"{params.get('errorText')} ({params.get('blockedReason', '')})")
