"""The ``fieldnotes`` command: its table of subcommands, a start that loads no Sphinx, and lint's
list of fieldnotes directives against what the extension's ``setup()`` registers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sphinx_fieldnotes.cli import COMMANDS, lint

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "tests" / "fixtures" / "importer" / "legacy-seed.md"
HEAVY = ("sphinx", "myst_parser", "docutils")

# Runs fieldnotes' main() with the arguments given, then prints (on stderr, after what the command
# printed) its exit status and every module of Sphinx, MyST-Parser or docutils that got loaded.
MODULES_PROBE = f"""
import json, sys
if sys.argv[1] == "--load-extension":
    import sphinx_fieldnotes.extension
from sphinx_fieldnotes.cli import main
try:
    status = main(sys.argv[2:])
except SystemExit as exit:
    status = exit.code
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {HEAVY!r})
print(json.dumps({{"status": status, "heavy": heavy}}), file=sys.stderr)
"""

# Starts a real Sphinx application with the extensions given, and prints every directive then
# registered with docutils, as name -> the directive's class.
DIRECTIVES_PROBE = """
import io, json, sys, tempfile
from pathlib import Path
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
root = Path(tempfile.mkdtemp())
(root / "src").mkdir()
Sphinx(root / "src", None, root / "out", root / "doctrees", "dummy",
       confoverrides={"extensions": sys.argv[1:]}, status=io.StringIO(), warning=io.StringIO())
found = {name: f"{d.__module__}.{d.__qualname__}" for name, d in directives._directives.items()}
print(json.dumps(found))
"""


def probe_modules(*argv: str, load_extension: bool = False, cwd: Path = REPO) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", MODULES_PROBE, "--load-extension" if load_extension else "-", *argv],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )
    assert proc.stderr, proc.stdout
    return {**json.loads(proc.stderr.splitlines()[-1]), "stdout": proc.stdout}


@pytest.mark.parametrize(
    "argv", [["--help"], ["import", "--help"], ["lint", "--help"]], ids=" ".join
)
def test_help_loads_no_sphinx_myst_or_docutils(argv):
    got = probe_modules(*argv)
    assert got["status"] == 0
    assert got["stdout"].startswith(f"usage: fieldnotes {' '.join(argv[:-1])}".rstrip())
    assert got["heavy"] == []


def test_importing_notes_loads_no_sphinx_myst_or_docutils(tmp_path):
    got = probe_modules("import", str(SEED), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert got["status"] == 0
    assert (tmp_path / "out" / "networking.md").is_file()
    assert got["heavy"] == []


def test_the_probe_sees_sphinx_once_the_extension_is_loaded():
    got = probe_modules("--help", load_extension=True)
    assert {"sphinx", "myst_parser", "docutils"} <= set(got["heavy"])


def test_every_subcommand_in_the_table_is_listed_with_its_docstring_first_line():
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("fieldnotes")), "--help"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    listed = " ".join(proc.stdout.split())
    for name, path in COMMANDS.items():
        module = __import__(path, fromlist=["run"])
        summary = " ".join(module.__doc__.splitlines()[0].split())
        assert f"{name} {summary}" in listed
        assert callable(module.add_arguments) and callable(module.run)


def registered_directives(*extensions: str) -> dict[str, str]:
    proc = subprocess.run(
        [sys.executable, "-c", DIRECTIVES_PROBE, *extensions],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_lint_knows_exactly_the_directives_setup_registers():
    # fieldnotes' setup() also sets up MyST-Parser and sphinx-design: what it registers itself is
    # what is new, or another class, next to an application with only those two.
    others = registered_directives("myst_parser", "sphinx_design")
    everything = registered_directives("sphinx_fieldnotes")
    registered = {name for name, cls in everything.items() if others.get(name) != cls}
    assert registered == lint.FIELDNOTES_DIRECTIVES
