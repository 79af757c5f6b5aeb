"""The wheelhouse of a test environment: the runtime dependencies of sphinx-fieldnotes, as wheels.

tests/test_wheel.py installs the built wheel into a fresh venv with ``pip --no-index``, so the test
needs no network: its dependencies come from here, at exactly the versions installed in the
environment running the tests (so each nox session tests the wheel against its own releases).
``python tests/wheelhouse.py`` fills it (downloading, like the rest of the bootstrap); ``make test``
and each nox session run it after installing the project.
"""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

DISTRIBUTION = "sphinx-fieldnotes"
# One per environment, inside it, so it goes with the venv it was made for.
WHEELHOUSE = Path(sys.prefix) / "wheelhouse"
# Written last: a wheelhouse without it was cut short.
COMPLETE = WHEELHOUSE / "requirements.txt"


def runtime_closure(name: str = DISTRIBUTION) -> dict[str, str]:
    """Installed name -> version of every distribution that ``name`` needs at run time."""
    found: dict[str, str] = {}
    seen: set[tuple[str, str]] = set()
    pending = [(canonicalize_name(name), "")]
    while pending:
        current, extra = pending.pop()
        if (current, extra) in seen:
            continue
        seen.add((current, extra))
        dist = metadata.distribution(current)
        found[current] = dist.version
        environment = {**default_environment(), "extra": extra}
        for line in dist.requires or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate(environment):
                needed = canonicalize_name(requirement.name)
                pending += [(needed, ""), *((needed, e) for e in requirement.extras)]
    return found


def dependency_pins() -> list[str]:
    """``name==version`` of each installed runtime dependency of sphinx-fieldnotes, sorted."""
    closure = runtime_closure()
    del closure[canonicalize_name(DISTRIBUTION)]
    return [f"{name}=={version}" for name, version in sorted(closure.items())]


def build_backend_pins() -> list[str]:
    """``name==version`` of the installed build backend: pre-commit builds the hook from source."""
    names = ("setuptools",)  # pyproject.toml's [build-system] requires
    return [f"{name}=={metadata.version(name)}" for name in names]


def main() -> int:
    pins = dependency_pins()
    WHEELHOUSE.mkdir(exist_ok=True)
    COMPLETE.unlink(missing_ok=True)
    download = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
    subprocess.run([*download, "--only-binary", ":all:", "-d", str(WHEELHOUSE), *pins], check=True)
    # Not in requirements.txt: only building fieldnotes needs it, not installing its wheel.
    subprocess.run([*download, "-d", str(WHEELHOUSE), *build_backend_pins()], check=True)
    COMPLETE.write_text("".join(f"{pin}\n" for pin in pins), encoding="utf-8")
    print(f"{WHEELHOUSE}: {len(pins)} wheels")
    return 0


if __name__ == "__main__":
    sys.exit(main())
