"""fieldnotes in the themes its sites use (issue 13): badges, the filter form and the landscape
map readable in light and dark mode, and the filter working.

For each theme, tests/theme_site.py builds the same small site with ``html_theme`` set to it, and
``tests/browser/themes.test.mjs`` (node, Playwright over Debian's Chromium, as in
tests/test_browser.py) runs axe-core's color-contrast rule over fieldnotes' elements in light mode,
in dark mode for furo, pydata-sphinx-theme and sphinx-book-theme (the system's preference, and a
reader's choice on a light system), and on a dark system for the themes without a dark mode; then
it types into the filter. The themes are the ``themes`` extra; a theme that is missing fails its
test (noxfile.py deselects, with its reason, a theme a nox cell cannot install).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sites import REPO
from theme_site import THEMES, build_theme_site

BROWSER_TESTS = REPO / "tests" / "browser"
CHROMIUM = os.environ.get("FIELDNOTES_CHROMIUM", "/usr/bin/chromium")
DARK_MODE_THEMES = {"furo", "pydata_sphinx_theme", "sphinx_book_theme"}
PAGES = 2  # themes.test.mjs checks the contrast on the entries' page and the home page


def browser_tools() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on PATH: the browser tests need Node.js 20 or newer")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make test does)")
    for package in ("playwright-core", "axe-core"):
        if not (BROWSER_TESTS / "node_modules" / package / "package.json").exists():
            pytest.fail(f"tests/browser/node_modules/{package} is missing: run 'npm ci' there")
    return node


@pytest.mark.parametrize("theme", THEMES)
def test_fieldnotes_is_readable_and_usable_in_theme(theme: str, tmp_path: Path) -> None:
    if theme != "alabaster" and importlib.util.find_spec(theme) is None:
        pytest.fail(f"{theme} is not installed: pip install -e '.[themes]'")
    node = browser_tools()
    site = build_theme_site(tmp_path, theme).outdir
    result = subprocess.run(
        [node, "--test", "--test-reporter=tap", "themes.test.mjs"],
        cwd=BROWSER_TESTS,
        env={**os.environ, "FIELDNOTES_THEME": theme, "FIELDNOTES_THEME_SITE": str(site),
             "FIELDNOTES_CHROMIUM": CHROMIUM},
        capture_output=True, text=True, timeout=600, check=False,
    )
    output = result.stdout + result.stderr
    print(output)  # the per-mode axe lines ("# axe THEME MODE PAGE: N violations, ...") with -s
    assert result.returncode == 0, output[-6000:]
    counts = dict(re.findall(r"^# (pass|fail|cancelled|skipped|todo) (\d+)$", output, re.M))
    modes = 3 if theme in DARK_MODE_THEMES else 2
    # every contrast check (per mode and page) and the filter test ran and passed
    assert counts == {"pass": str(modes * PAGES + 1), "fail": "0", "cancelled": "0",
                      "skipped": "0", "todo": "0"}, counts
    scans = re.findall(rf"axe {theme} .*: (\d+) violations, (\d+) passed", output)
    assert len(scans) == modes * PAGES, output[-3000:]
    assert all(violations == "0" and int(passed) > 0 for violations, passed in scans), scans
