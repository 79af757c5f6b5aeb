"""Shared test helpers: build a small site with the real Sphinx, MyST and fieldnotes."""

from __future__ import annotations

import io
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

REPO = Path(__file__).resolve().parents[1]

# "path:line: LEVEL: message [fieldnotes.code]", as Sphinx prints fieldnotes diagnostics.
DIAGNOSTIC = re.compile(
    r"^(?P<path>\S+?):(?P<line>\d+): (?P<level>WARNING|ERROR): (?P<message>.*?)"
    r" \[fieldnotes\.(?P<code>[a-z-]+)\]$",
    re.MULTILINE,
)
# Colour codes Sphinx may add.
_ANSI = re.compile(r"\x1b\[[0-9;]*m")

# Misspellings of the legacy notes: the shipped pages must not have them, and Vale must catch them.
LEGACY_TYPOS = (
    "baremtal",
    "senario",
    "servcie",
    "developyer",
    "chanages",
    "requst",
    "multple",
    "shema",
    "undera",
    "virlet",
)

BASE_CONF = {
    "extensions": ["myst_parser", "sphinx_design", "sphinx_fieldnotes"],
    "myst_enable_extensions": ["colon_fence"],
    "fieldnotes_today": "2026-01-01",
    "html_theme": "basic",
}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    level: str
    code: str
    message: str


@dataclass
class BuildResult:
    status: int
    warnings: str
    outdir: Path
    app: Any = field(repr=False)

    @property
    def findings(self) -> list[Finding]:
        return [
            Finding(m["path"], int(m["line"]), m["level"], m["code"], m["message"])
            for m in DIAGNOSTIC.finditer(self.warnings)
        ]

    @property
    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def page(self, name: str) -> str:
        return (self.outdir / name).read_text(encoding="utf-8")


class Site:
    """A throw-away Sphinx project in a temporary directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.srcdir = root / "src"
        self.srcdir.mkdir(parents=True, exist_ok=True)
        self.conf: dict[str, Any] = dict(BASE_CONF)

    def write(self, name: str, text: str) -> Path:
        path = self.srcdir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def remove(self, name: str) -> None:
        (self.srcdir / name).unlink()

    def build(
        self, builder: str = "html", *, parallel: int = 0, outname: str | None = None,
        fresh: bool = False, **conf: Any,
    ) -> BuildResult:
        conf_py = "".join(f"{k} = {v!r}\n" for k, v in {**self.conf, **conf}.items())
        if not (self.srcdir / "conf.py").exists() or (self.srcdir / "conf.py").read_text() != conf_py:
            (self.srcdir / "conf.py").write_text(conf_py)
        outdir = self.root / "_build" / (outname or builder)
        if fresh and outdir.exists():
            import shutil

            shutil.rmtree(outdir)
        warning = io.StringIO()
        app = SphinxTestApp(
            builder,
            srcdir=self.srcdir,
            builddir=outdir,
            status=io.StringIO(),
            warning=warning,
            parallel=parallel,
        )
        try:
            app.build()
        finally:
            app.cleanup()
        return BuildResult(app.statuscode, _ANSI.sub("", warning.getvalue()), Path(app.outdir), app)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    """A fresh site; diagnostics print paths relative to its source directory."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    s = Site(tmp_path)
    monkeypatch.chdir(s.srcdir)
    return s
