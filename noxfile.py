"""The version matrix: the whole test suite against the oldest and the newest supported releases.

``make test`` runs the suite in .venv/ and then every session here (``make matrix`` only these;
``.venv/bin/nox -s newest -- -k wheel`` one session, with pytest arguments). Each session has a
venv of its own under .nox/, with the project installed editable from this checkout and its
releases set by a constraints file in tests/constraints/; Vale (.tools/bin) and the browser tests'
npm packages (tests/browser/node_modules) are the checkout's, which ``make test`` installs first.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import NamedTuple

import nox

REPO = Path(__file__).resolve().parent
CONSTRAINTS = REPO / "tests" / "constraints"
EXTRAS = ".[docs,test,dev,bench,themes]"
# The `themes` extra without sphinx-rtd-theme, whose newest release (3.1) needs docutils<0.23.
THEMES_BUT_RTD = ("furo", "pydata-sphinx-theme>=0.16.1", "sphinx-book-theme>=1.3")
RTD_NEEDS_OLDER_DOCUTILS = "sphinx-rtd-theme 3.1, its newest release, requires docutils<0.23"
UPGRADE = ("--upgrade", "--upgrade-strategy=eager")
# As in the Makefile: every core, a test file per worker at a time (pytest arguments after `--`
# come later, so `-- -n 0` runs one process).
PYTEST_PARALLEL = ("-n", "auto", "--dist", "loadfile")


class Cell(NamedTuple):
    python: str
    constraints: str  # a file in tests/constraints/
    pip_options: tuple[str, ...] = ()
    # (test, why): tests that cannot run in this session for a cause outside fieldnotes: not run there,
    # and named in its log.
    known_failures: tuple[tuple[str, str], ...] = ()
    # What is installed, editable from this checkout, and besides it.
    extras: str = EXTRAS
    packages: tuple[str, ...] = ()


CELLS = {
    # The oldest supported releases, pinned, on the oldest supported Python.
    "oldest": Cell("3.11", "oldest.txt"),
    # Sphinx 9.1 (it needs Python 3.12) with the newest of the rest.
    "sphinx-9.1": Cell("3.12", "sphinx-9.1.txt", UPGRADE),
    # The newest releases (Sphinx 9.2 needs Python 3.13), upgraded on every run.
    # sphinx-rtd-theme is left out: it cannot be installed next to docutils 0.23.
    "newest": Cell(
        "3.13",
        "newest.txt",
        UPGRADE,
        (
            (
                "tests/test_themes.py::test_fieldnotes_is_readable_and_usable_in_theme[sphinx_rtd_theme]",
                RTD_NEEDS_OLDER_DOCUTILS,
            ),
        ),
        extras=".[docs,test,dev,bench]",
        packages=THEMES_BUT_RTD,
    ),
}

nox.options.sessions = list(CELLS)
nox.options.default_venv_backend = "venv"
# A session whose Python is missing fails (never skips), and nox downloads none.
nox.options.error_on_missing_interpreters = True
nox.options.download_python = "never"
# Kept between runs (each run still installs, upgrading where its constraints allow).
nox.options.reuse_venv = "yes"

# What the log says a session runs on.
SHOW_RELEASES = """
import importlib.metadata as m, platform
names = ["Sphinx", "docutils", "MyST-Parser", "sphinx-design"]
print(f"Python {platform.python_version()}", *(f"{n} {m.version(n)}" for n in names), sep=", ")
"""


def _runs_as(executable: str, version: str) -> bool:
    """Whether ``executable`` starts and is Python ``version`` (a pyenv shim may do neither)."""
    probe = "import sys; print('%d.%d' % sys.version_info[:2])"
    try:
        proc = subprocess.run(
            [executable, "-c", probe], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError:
        return False
    return proc.returncode == 0 and proc.stdout.strip() == version


def _patch_level(path: Path) -> tuple[int, ...]:
    # .../versions/3.13.0/bin/python3.13 -> (3, 13, 0)
    return tuple(int(n) for n in re.findall(r"\d+", path.parents[1].name))


def find_python(version: str) -> str | None:
    """The path of a working ``python<version>``: on PATH, else the newest pyenv build of it.

    pyenv's shims are on PATH but run only the versions selected (PYENV_VERSION or pyenv global),
    and nox's own discovery takes the shim: so each candidate is started once to see that it works.
    """
    candidates = [shutil.which(f"python{version}")]
    pyenv_root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    builds = pyenv_root.glob(f"versions/{version}.*/bin/python{version}")
    candidates += [str(p) for p in sorted(builds, key=_patch_level, reverse=True)]
    return next((c for c in candidates if c and _runs_as(c, version)), None)


def missing_python(version: str) -> str:
    return (
        f"Python {version} was not found: no working python{version} on PATH nor under "
        f"$PYENV_ROOT/versions/{version}.*. Install it (for example `pyenv install {version}`) "
        "to run this session"
    )


def define_session(name: str, cell: Cell) -> None:
    python = find_python(cell.python)

    # Without the interpreter there is no venv to make: the session runs without one, to fail.
    @nox.session(name=name, python=python, venv_backend="venv" if python else "none")
    def run_suite(session: nox.Session) -> None:
        if python is None:
            session.error(missing_python(cell.python))
        session.install("--quiet", "--upgrade", "pip")
        constraints = ["--constraint", str(CONSTRAINTS / cell.constraints)]
        session.install(
            "--quiet", *cell.pip_options, *constraints, "--editable", cell.extras, *cell.packages
        )
        session.run("python", "-m", "pip", "check", silent=True)
        session.run("python", "-c", SHOW_RELEASES, log=False)
        # The wheels tests/test_wheel.py installs the built wheel with, offline.
        session.run("python", "tests/wheelhouse.py", silent=True)
        path = os.pathsep.join([str(REPO / ".tools" / "bin"), os.environ["PATH"]])
        pytest = ["python", "-m", "pytest", "-p", "no:cacheprovider", *PYTEST_PARALLEL]
        for test, reason in cell.known_failures:
            session.warn(f"Not run here: {test} ({reason})")
            pytest += ["--deselect", test]
        session.run(*pytest, *session.posargs, env={"PATH": path})


for _name, _cell in CELLS.items():
    define_session(_name, _cell)
