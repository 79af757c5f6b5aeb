"""The version matrix and what it claims: pins, interpreters, and the Read the Docs statement.

The nox sessions (noxfile.py) run the whole suite; these tests keep their inputs true: the oldest
pins are pyproject.toml's lower bounds, every pinned or floored release is one pyproject.toml
admits, each session's Python is found (and a missing one fails its session, naming it), and the
README names the Python and Sphinx that .readthedocs.yaml really installs.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import tomllib
import warnings
from pathlib import Path

import pytest
import sphinx.deprecation
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from sites import REPO

CONSTRAINTS = REPO / "tests" / "constraints"
# Sphinx's deprecation classes in the Sphinx running the suite, and docutils' FutureWarning.
DEPRECATIONS = [
    *(cls for name, cls in vars(sphinx.deprecation).items() if name.startswith("RemovedInSphinx")),
    FutureWarning,
]


def load_noxfile():
    spec = importlib.util.spec_from_file_location("fieldnotes_noxfile", REPO / "noxfile.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def noxfile():
    return load_noxfile()


def dependencies() -> dict[str, Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {canonicalize_name(r.name): r for r in map(Requirement, project["dependencies"])}


def constraints(name: str) -> dict[str, Requirement]:
    lines = (CONSTRAINTS / name).read_text(encoding="utf-8").splitlines()
    found = [Requirement(line) for line in lines if line.strip() and not line.startswith("#")]
    return {canonicalize_name(r.name): r for r in found}


def single(requirement: Requirement, operator: str) -> str:
    """The version of the one ``operator`` clause of ``requirement``."""
    (version,) = [s.version for s in requirement.specifier if s.operator == operator]
    return version


def test_oldest_pins_are_exactly_the_lower_bounds_of_the_dependencies() -> None:
    declared = dependencies()
    pinned = constraints("oldest.txt")
    assert pinned.keys() == declared.keys()
    for name, requirement in declared.items():
        assert Version(single(pinned[name], "==")) == Version(single(requirement, ">=")), name


@pytest.mark.parametrize("name", ["newest.txt", "sphinx-9.1.txt", "readthedocs.txt"])
def test_every_constrained_release_is_one_the_dependencies_admit(name: str) -> None:
    declared = dependencies()
    constrained = constraints(name)
    assert constrained
    for dist, requirement in constrained.items():
        if dist not in declared:
            continue  # furo, for Read the Docs: in the docs extra
        for clause in requirement.specifier:
            if clause.operator in ("==", ">="):
                assert declared[dist].specifier.contains(clause.version), (dist, clause)


def test_each_session_names_an_existing_constraints_file(noxfile) -> None:
    assert set(noxfile.CELLS) == {"oldest", "sphinx-9.1", "newest"}
    for cell in noxfile.CELLS.values():
        assert (CONSTRAINTS / cell.constraints).is_file()
    assert noxfile.CELLS["oldest"].python == "3.11", "the oldest supported Python"


def test_each_known_failure_names_a_test_that_exists(noxfile) -> None:
    for cell in noxfile.CELLS.values():
        for test, reason in cell.known_failures:
            path, name = test.split("::")
            name = name.partition("[")[0]  # a parametrized test's function
            assert f"def {name}(" in (REPO / path).read_text(encoding="utf-8"), test
            assert reason


def test_each_session_finds_a_python_that_runs_as_its_version(noxfile) -> None:
    for name, cell in noxfile.CELLS.items():
        found = noxfile.find_python(cell.python)
        assert found, f"{name}: " + noxfile.missing_python(cell.python)
        probe = "import sys; print(sys.version_info[:2])"
        out = subprocess.run([found, "-c", probe], capture_output=True, text=True, check=True)
        assert out.stdout.strip() == str(tuple(map(int, cell.python.split(".")))), name


def test_a_session_whose_python_is_missing_fails_and_names_it(tmp_path: Path) -> None:
    # No python3.13 on PATH and an empty pyenv: the noxfile finds none.
    env = {**os.environ, "PATH": str(tmp_path), "PYENV_ROOT": str(tmp_path / "pyenv")}
    nox = [sys.executable, "-m", "nox", "-f", str(REPO / "noxfile.py")]
    proc = subprocess.run(
        [*nox, "--envdir", str(tmp_path / ".nox"), "-s", "newest"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "Session newest aborted" in output
    assert "Python 3.13 was not found: no working python3.13 on PATH" in output
    assert not (tmp_path / ".nox").exists(), "no venv was made"


def test_read_the_docs_python_and_sphinx_are_the_pinned_ones_the_readme_names(noxfile) -> None:
    config = yaml.safe_load((REPO / ".readthedocs.yaml").read_text(encoding="utf-8"))
    python = config["build"]["tools"]["python"]
    install = config["python"]["install"]
    assert install[0] == {"requirements": "tests/constraints/readthedocs.txt"}, "pins first"
    assert install[1]["path"] == "." and install[1]["extra_requirements"] == ["docs"]
    pins = constraints("readthedocs.txt")
    assert pins.keys() >= dependencies().keys(), "every dependency pinned"
    sphinx = single(pins["sphinx"], "==")

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Read the Docs") :]
    section = " ".join(section[: section.index("\n## ")].split())
    assert f"**Python {python} and Sphinx {sphinx}**" in section
    mentions = re.findall(r"(MyST-Parser|sphinx-design|docutils) ([\d.]+)", section)
    named = dict(mentions)
    assert named == {
        "MyST-Parser": single(pins["myst-parser"], "=="),
        "sphinx-design": single(pins["sphinx-design"], "=="),
        "docutils": single(pins["docutils"], "=="),
    }
    # The suite runs on that Python too.
    assert python in {cell.python for cell in noxfile.CELLS.values()}


@pytest.mark.parametrize("category", DEPRECATIONS, ids=lambda c: c.__name__)
def test_a_deprecation_warning_from_fieldnotes_code_fails_the_test(category) -> None:
    # As Sphinx raises them: attributed to the caller, here a fieldnotes module.
    with pytest.raises(category):
        warnings.warn_explicit("x is deprecated", category, "a.py", 1, "sphinx_fieldnotes.render")


def test_deprecation_warnings_from_other_packages_do_not_fail_the_test() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.warn_explicit("x is deprecated", DeprecationWarning, "core.py", 1, "myst_parser")
    assert [str(w.message) for w in caught] == ["x is deprecated"]
