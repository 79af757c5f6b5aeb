"""Building sites in tests: every test that runs Sphinx in-process builds through :class:`Site`.

A :class:`Site` is a Sphinx project: a throw-away one whose ``conf.py`` is written from
:data:`BASE_CONF` (``Site(tmp_path)``), or an existing one with its own ``conf.py``, such as the
repository root for the shipped site (``Site(tmp_path, srcdir=REPO, conf=None)``). Each build runs
the real Sphinx (``SphinxTestApp``) from within the source directory, so diagnostics print paths
relative to it, with ``SOURCE_DATE_EPOCH`` unset unless :attr:`Site.env` sets it, and returns a
:class:`BuildResult` that keeps the application for inspection.

Also what several test modules know about fieldnotes' output (the diagnostic line format, the
legacy notes' misspellings) and how they run its commands (:func:`run_command`, a throw-away lint
site with the project's Vale style).
"""

from __future__ import annotations

import inspect
import io
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Collection, Mapping
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


def strip_ansi(text: str) -> str:
    """*text* without the colour codes Sphinx may add."""
    return _ANSI.sub("", text)


def conf_py(conf: dict[str, Any]) -> str:
    """A ``conf.py`` that sets each name of *conf* to its value."""
    return "".join(f"{name} = {value!r}\n" for name, value in conf.items())


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    level: str
    code: str
    message: str


def findings_in(warnings: str) -> list[Finding]:
    """The fieldnotes diagnostics printed in *warnings* (colour codes already stripped)."""
    return [
        Finding(m["path"], int(m["line"]), m["level"], m["code"], m["message"])
        for m in DIAGNOSTIC.finditer(warnings)
    ]


@dataclass
class BuildResult:
    """One build: its exit status, what it printed (without colour codes), and the application."""

    status: int
    warnings: str
    outdir: Path
    app: Any = field(repr=False)
    srcdir: Path = field(default=Path())
    log: str = field(default="", repr=False)  # Sphinx's status stream: "reading sources...", ...

    @property
    def findings(self) -> list[Finding]:
        return findings_in(self.warnings)

    @property
    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def findings_of(self, page: str) -> list[Finding]:
        """The findings of the source ``{page}.md``."""
        return [f for f in self.findings if f.path == f"{page}.md"]

    def page(self, name: str) -> str:
        return (self.outdir / name).read_text(encoding="utf-8")

    def resolved_doctree(self, docname: str) -> Any:
        """*docname*'s doctree as the builder writes it (toctrees and references resolved)."""
        env, builder = self.app.env, self.app.builder
        if "tags" in inspect.signature(env.get_and_resolve_doctree).parameters:
            # Sphinx 9 takes the tags explicitly (leaving them out is deprecated in Sphinx 11).
            return env.get_and_resolve_doctree(docname, builder, tags=builder.tags)
        return env.get_and_resolve_doctree(docname, builder)


class Site:
    """A Sphinx project to build, and where its builds go (below ``root / "_build"``).

    *srcdir* defaults to ``root / "src"``. With *conf* (default :data:`BASE_CONF`) the site's
    ``conf.py`` is written from it before each build; with ``conf=None`` the project's own
    ``conf.py`` is used and the settings passed to :meth:`build` become Sphinx's overrides.
    """

    def __init__(
        self, root: Path, *, srcdir: Path | None = None, conf: dict[str, Any] | None = BASE_CONF
    ) -> None:
        self.root = root
        self.srcdir = srcdir or root / "src"
        self.srcdir.mkdir(parents=True, exist_ok=True)
        self.conf: dict[str, Any] | None = None if conf is None else dict(conf)
        # Environment variables of every build; SOURCE_DATE_EPOCH is unset unless set here.
        self.env: dict[str, str] = {}

    def write(self, name: str, text: str | bytes, *, verbatim: bool = False) -> Path:
        """Write the source *name*: *text* dedented and without leading newlines, or byte for byte
        (line endings included) when *verbatim*."""
        path = self.srcdir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            assert verbatim, "bytes are written verbatim"
            path.write_bytes(text)
        elif verbatim:
            path.write_bytes(text.encode("utf-8"))
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def remove(self, name: str) -> None:
        (self.srcdir / name).unlink()

    def write_conf(self, **conf: Any) -> None:
        """Write ``conf.py`` from the site's settings and *conf*, unless it already says that
        (an unchanged file keeps its time stamp)."""
        assert self.conf is not None, "this site keeps its own conf.py"
        text = conf_py({**self.conf, **conf})
        path = self.srcdir / "conf.py"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")

    def build(
        self,
        builder: str = "html",
        *,
        outname: str | None = None,
        fresh: bool = False,
        parallel: int = 0,
        warningiserror: bool = False,
        **conf: Any,
    ) -> BuildResult:
        """Build with *builder* into ``_build/{outname or builder}`` (doctrees included, so builds
        that share an *outname* share their environment), from scratch when *fresh*."""
        overrides: dict[str, Any] = {}
        if self.conf is None:
            overrides = conf
        else:
            self.write_conf(**conf)
        builddir = self.root / "_build" / (outname or builder)
        if fresh and builddir.exists():
            shutil.rmtree(builddir)
        status, warning = io.StringIO(), io.StringIO()
        with pytest.MonkeyPatch.context() as mp:
            mp.chdir(self.srcdir)
            mp.delenv("SOURCE_DATE_EPOCH", raising=False)
            for name, value in self.env.items():
                mp.setenv(name, value)
            app = SphinxTestApp(
                builder,
                srcdir=self.srcdir,
                builddir=builddir,
                confoverrides=overrides,
                status=status,
                warning=warning,
                parallel=parallel,
                warningiserror=warningiserror,
            )
            try:
                app.build()
            finally:
                app.cleanup()
        return BuildResult(
            app.statuscode,
            strip_ansi(warning.getvalue()),
            Path(app.outdir),
            app,
            srcdir=self.srcdir,
            log=strip_ansi(status.getvalue()),
        )


# -- the commands ----------------------------------------------------------------------------------


def run_command(
    command: str,
    *args: str,
    cwd: Path,
    unset: Collection[str] = (),
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m sphinx_fieldnotes COMMAND ARGS`` in *cwd*, as a user runs it: this environment
    less the variables *unset*, plus *env*."""
    environ = {k: v for k, v in os.environ.items() if k not in unset}
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "sphinx_fieldnotes", command, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=environ,
        timeout=300,
    )


def vale_dir() -> str:
    """The directory of the real vale binary on PATH (``make test`` puts .tools/bin first)."""
    found = shutil.which("vale")
    if not found:
        pytest.fail("vale is not on PATH: run `make vale` (it builds Vale into .tools/bin)")
    return str(Path(found).parent)


LINT_CONF = """\
extensions = ["myst_parser", "sphinx_design", "sphinx_fieldnotes"]
myst_enable_extensions = ["colon_fence"]
root_doc = "source/index"
include_patterns = ["source/**"]
fieldnotes_today = "2026-01-01"
"""


def lint_site(root: Path, pages: dict[str, str], conf: str = LINT_CONF) -> Path:
    """A throw-away site with the project's Vale configuration and house style."""
    (root / "source").mkdir(parents=True)
    (root / "conf.py").write_text(conf)
    shutil.copy(REPO / ".vale.ini", root / ".vale.ini")  # the style is the package's
    for name, text in pages.items():
        (root / "source" / name).write_text(textwrap.dedent(text))
    return root
