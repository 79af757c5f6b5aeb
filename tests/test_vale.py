"""The project's Vale setup (.vale.ini and the house style shipped in the package), run with the
real vale binary, in the environment `fieldnotes lint` gives it (VALE_STYLES_PATH pointing at the
packaged styles).

vale is found on PATH; `make test` puts .tools/bin (where `make vale` builds it) first. Without it
these tests fail, telling you to run `make vale`: they are never skipped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from itertools import chain
from pathlib import Path

import pytest

from sites import LEGACY_TYPOS
from sphinx_fieldnotes import vale_style

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "vale"
RULES = FIXTURES / "rules"
CONFIG = REPO / ".vale.ini"
INSTALL = REPO / "linters" / "install-vale.sh"
#: What `fieldnotes lint` runs vale with for this repository's site.
SETUP = vale_style.vale_setup(REPO)

pytestmark = pytest.mark.vale


def vale_binary() -> str:
    found = shutil.which("vale")
    if not found:
        pytest.fail(
            "vale is not on PATH: run `make vale` (it builds Vale into .tools/bin) and run the "
            "tests with `make test`, which puts .tools/bin on PATH"
        )
    return found


def vale(*paths: Path | str, config: Path = CONFIG) -> dict[str, list[dict]]:
    """Alerts from the real vale, keyed by path relative to the repository."""
    proc = subprocess.run(
        [vale_binary(), "--output=JSON", "--no-exit", f"--config={config}", *map(str, paths)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=SETUP.env,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(proc.stdout or "{}")
    assert isinstance(data, dict), proc.stdout
    return {_key(k): v for k, v in data.items()}


def _key(path: str | Path) -> str:
    """A path as the alerts are keyed: relative to the repository when inside it."""
    p = (REPO / path).resolve()
    return p.relative_to(REPO).as_posix() if p.is_relative_to(REPO) else p.as_posix()


def alerts_of(path: Path) -> list[dict]:
    return vale(path).get(_key(path), [])


def show(alerts: list[dict]) -> str:
    return "\n".join(f"{a['Line']}:{a['Span'][0]} {a['Check']}: {a['Message']}" for a in alerts)


# --------------------------------------------------------------------------------------------
# The binary and the configuration


def test_vale_version_is_the_one_the_style_is_verified_on():
    out = subprocess.run([vale_binary(), "--version"], capture_output=True, text=True).stdout
    m = re.search(r"vale version v?(\d+)\.(\d+)\.(\d+)", out)
    assert m, out
    major, minor, _ = map(int, m.groups())
    assert (major, minor) >= (3, 22) and major == 3, out


def test_config_is_offline_and_uses_the_packaged_style():
    text = CONFIG.read_text()
    # No StylesPath: the styles are the package's, reached through VALE_STYLES_PATH.
    assert not re.search(r"^\s*StylesPath\s*=", text, re.M)
    assert not re.search(r"^\s*Packages\s*=", text, re.M), "no packages: works offline, no sync"
    assert re.search(r"^md\s*=\s*myst\s*$", text, re.M), ".md is read as MyST"
    assert re.search(r"^BasedOnStyles\s*=\s*Vale,\s*FieldNotes\s*$", text, re.M)
    # The repository's site is linted exactly as a site without a .vale.ini of its own.
    assert text == vale_style.DEFAULT_CONFIG.read_text()
    assert SETUP.config == CONFIG
    styles = vale_style.STYLES_PATH
    assert SETUP.env["VALE_STYLES_PATH"] == str(styles)
    assert styles.is_relative_to(REPO / "extensions" / "sphinx_fieldnotes")
    assert not (REPO / "linters" / "styles").exists(), "one copy of the style: the package's"
    assert (styles / "config" / "vocabularies" / "FieldNotes" / "accept.txt").is_file()
    rules = sorted(p.stem for p in (styles / "FieldNotes").glob("*.yml"))
    assert {"ProductNames", "K8s", "Acronyms", "Versions", "Terms"} <= set(rules)
    # Every rule of the house style has a fixture that triggers it and one that must not.
    for rule in rules:
        assert (RULES / f"FieldNotes.{rule}.trigger.md").is_file(), rule
        assert (RULES / f"FieldNotes.{rule}.ok.md").is_file(), rule


def test_config_loads_without_errors():
    proc = subprocess.run(
        [vale_binary(), f"--config={CONFIG}", "ls-config"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=SETUP.env,
    )
    assert proc.returncode == 0, proc.stderr
    cfg = json.loads(proc.stdout)
    assert cfg["Formats"] == {"md": "myst"}
    assert cfg["Vocab"] == ["FieldNotes"]
    assert cfg["Paths"] == [str(vale_style.STYLES_PATH)]


def test_without_the_packaged_styles_path_vale_cannot_find_the_style(tmp_path):
    # The control for the tests below: the style reaches Vale only through VALE_STYLES_PATH.
    env = {k: v for k, v in SETUP.env.items() if k != "VALE_STYLES_PATH"}
    env["XDG_DATA_HOME"] = str(tmp_path)  # no default StylesPath of the user's either
    page = tmp_path / "page.md"
    page.write_text("# Page\n\nFine prose.\n")
    proc = subprocess.run(
        [vale_binary(), "--output=JSON", f"--config={CONFIG}", str(page)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode != 0
    assert "'FieldNotes' vocabulary not found" in proc.stdout + proc.stderr


# --------------------------------------------------------------------------------------------
# MyST: prose in project/update/todo-item bodies is linted, markup is not



def test_legacy_typos_in_nested_bodies_are_reported_at_their_file_and_line():
    page = FIXTURES / "legacy-typos.md"
    lines = page.read_text().splitlines()
    expected = set()
    for typo in LEGACY_TYPOS:
        hits = [(n, line.index(typo) + 1) for n, line in enumerate(lines, 1) if typo in line]
        assert len(hits) == 1, f"{typo} must appear once in the fixture"
        expected.add((typo, *hits[0]))
    alerts = alerts_of(page)
    got = {
        (re.search(r"'(.+)'", a["Message"]).group(1), a["Line"], a["Span"][0])
        for a in alerts
        if a["Check"] == "Vale.Spelling"
    }
    assert got == expected, show(alerts)
    # Nothing else: not the option lines (:tags: ... xyzzyplugh), the fences, the comment, the
    # front matter, the (label)= target or the {project} role.
    assert all(a["Check"] == "Vale.Spelling" for a in alerts), show(alerts)
    assert len(alerts) == len(LEGACY_TYPOS), show(alerts)


# Words no dictionary has: reported wherever they are prose.
NONSENSE = ["zorbleflax", "quizzlewump", "frabjousk", "snickerblat", "glimmerquox", "vorpalisk"]

MARKUP_ONLY = """\
---
category: zorbleflax
tags: [quizzlewump]
---

(frabjousk)=
# Field notes

% snickerblat is in a comment

::::{{project}} glimmerquox
:url: https://github.com/vorpalisk/glimmerquox
:date: 2018-06-02
:version: v0.2
:kubernetes: 1.7
:status: beta
:tags: zorbleflax, quizzlewump

See {{project}}`frabjousk` and `snickerblat` in code.

```yaml
vorpalisk: glimmerquox
```

:::{{update}}
:date: 2018-12-13
:version: v3.1

Here too: {{project}}`zorbleflax`.
:::
::::

:::{{todo-item}} quizzlewump
:priority: P1
:depth: basic
:url: https://github.com/vorpalisk/quizzlewump
:::

:::{{project-index}}
:group-by: category
:::
{prose}"""


def test_option_lines_fences_roles_labels_and_front_matter_report_nothing(tmp_path):
    page = tmp_path / "markup.md"
    page.write_text(MARKUP_ONLY.format(prose=""))
    result = vale(page)
    assert not any(result.values()), show(list(chain.from_iterable(result.values())))


def test_the_same_words_as_prose_are_reported(tmp_path):
    # The control for the test above: its words are misspellings wherever Vale reads prose.
    page = tmp_path / "markup.md"
    page.write_text(MARKUP_ONLY.format(prose="\n" + " ".join(NONSENSE) + ".\n"))
    alerts = list(chain.from_iterable(vale(page).values()))
    last = page.read_text().count("\n")
    spelled = {re.search(r"'(.+)'", a["Message"]).group(1) for a in alerts if a["Line"] == last}
    assert spelled == set(NONSENSE), show(alerts)
    assert all(a["Line"] == last for a in alerts), show(alerts)


def test_prose_in_a_backtick_fenced_project_is_linted_too(tmp_path):
    # Vale (3.18+) reads backtick-fenced directives as MyST too; fieldnotes lint still asks for a
    # colon fence (tests/test_lint.py), for Markdown tools that do not know MyST.
    page = tmp_path / "backtick.md"
    page.write_text(
        "# Page\n\n````{project} sample\n:url: https://example.com\n:date: 2018-01-01\n"
        ":version: v1\n\nThe servcie is here.\n\n```{update}\n:date: 2018-02-01\n:version: v2\n\n"
        "It watches for chanages.\n```\n````\n\n```markdown\n:::{project} example\n"
        "A code example with a snickerblat is not prose.\n:::\n```\n"
    )
    alerts = list(chain.from_iterable(vale(page).values()))
    assert {(a["Line"], a["Check"]) for a in alerts} == {
        (8, "Vale.Spelling"),
        (14, "Vale.Spelling"),
    }, show(alerts)


# --------------------------------------------------------------------------------------------
# The house style: every rule has a fixture that triggers it and one that must not


def _rule_fixtures(kind: str) -> list[Path]:
    return sorted(RULES.glob(f"*.{kind}.md"))


@pytest.mark.parametrize("fixture", _rule_fixtures("trigger"), ids=lambda p: p.name)
def test_rule_fires_on_every_item_of_its_trigger_fixture(fixture: Path):
    rule = fixture.name.removesuffix(".trigger.md")
    lines = fixture.read_text().splitlines()
    items = {n for n, line in enumerate(lines, 1) if line.startswith("- ")}
    assert items, "a trigger fixture lists its cases as '- ' items"
    alerts = alerts_of(fixture)
    assert {a["Line"] for a in alerts if a["Check"] == rule} == items, show(alerts)
    # Nothing but that rule, and only on the items.
    assert {a["Check"] for a in alerts} == {rule}, show(alerts)


@pytest.mark.parametrize("fixture", _rule_fixtures("ok"), ids=lambda p: p.name)
def test_nothing_fires_on_an_ok_fixture(fixture: Path):
    alerts = alerts_of(fixture)
    assert alerts == [], show(alerts)


def test_every_trigger_fixture_has_an_ok_fixture():
    triggers = {p.name.removesuffix(".trigger.md") for p in _rule_fixtures("trigger")}
    oks = {p.name.removesuffix(".ok.md") for p in _rule_fixtures("ok")}
    assert triggers == oks
    assert {"Vale.Spelling", "Vale.Repetition"} <= triggers


def test_product_names_message_names_the_right_spelling():
    alerts = alerts_of(RULES / "FieldNotes.ProductNames.trigger.md")
    messages = {a["Message"] for a in alerts}
    for right, wrong in [
        ("Kubernetes", "kubernetes"),
        ("kubectl", "Kubectl"),
        ("DaemonSet", "daemonset"),
        ("ConfigMap", "configmap"),
        ("CustomResourceDefinition", "Custom Resource Definition"),
        ("GitHub", "Github"),
        ("Prometheus", "prometheus"),
        ("Helm", "helm"),
    ]:
        assert f"Use '{right}' instead of '{wrong}'." in messages, messages
    assert all(a["Severity"] == "error" for a in alerts)


# --------------------------------------------------------------------------------------------
# The shipped site


def test_the_shipped_site_lints_clean():
    assert len(list((REPO / "source").rglob("*.md"))) > 5, "the site's pages are in source/"
    result = vale(REPO / "source")
    problems = [f"{path}:{a['Line']}:{a['Span'][0]} {a['Check']}: {a['Message']}"
                for path, alerts in result.items() for a in alerts]  # fmt: skip
    assert problems == [], "\n".join(problems)


# --------------------------------------------------------------------------------------------
# linters/install-vale.sh


def _fake_repo(tmp_path: Path) -> Path:
    """A copy of the install script in an otherwise empty checkout (no .tools/)."""
    (tmp_path / "linters").mkdir(parents=True)
    shutil.copy(INSTALL, tmp_path / "linters" / "install-vale.sh")
    return tmp_path


def _run_install(repo: Path, path: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": path, "HOME": str(repo), "LANG": "C"}
    return subprocess.run(
        ["bash", str(repo / "linters" / "install-vale.sh")],
        env=env,
        capture_output=True,
        text=True,
        cwd=repo,
    )


def test_install_uses_an_acceptable_vale_on_path(tmp_path):
    repo = _fake_repo(tmp_path / "repo")
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "vale").symlink_to(vale_binary())
    proc = _run_install(repo, f"{bindir}:/usr/bin:/bin")
    assert proc.returncode == 0, proc.stderr
    assert (repo / ".tools" / ".vale-ok").is_file()
    assert f"using {bindir}/vale" in proc.stderr
    assert not (repo / ".tools" / "bin" / "vale").exists(), "nothing built"


def test_install_without_vale_or_go_explains_how_to_install(tmp_path):
    repo = _fake_repo(tmp_path / "repo")
    empty = tmp_path / "empty"
    empty.mkdir()
    bash_dir = Path(shutil.which("bash")).parent
    # PATH with the shell tools but neither vale nor go.
    assert not (bash_dir / "vale").exists() and not (bash_dir / "go").exists()
    proc = _run_install(repo, f"{empty}:{bash_dir}")
    assert proc.returncode != 0
    for how in (
        "brew install vale",
        "snap install vale",
        "choco install vale",
        "releases",
        "go install",
    ):
        assert how in proc.stderr, proc.stderr
    assert not (repo / ".tools" / ".vale-ok").exists()


def test_install_rejects_a_vale_that_is_too_old(tmp_path):
    repo = _fake_repo(tmp_path / "repo")
    bindir = tmp_path / "bin"
    bindir.mkdir()
    old = bindir / "vale"
    old.write_text("#!/bin/sh\necho 'vale version 2.30.0'\n")
    old.chmod(0o755)
    bash_dir = Path(shutil.which("bash")).parent
    proc = _run_install(repo, f"{bindir}:{bash_dir}")
    assert proc.returncode != 0
    assert "version '2.30.0'" in proc.stderr and "brew install vale" in proc.stderr, proc.stderr
    assert not (repo / ".tools" / ".vale-ok").exists()


def test_installed_vale_is_the_pinned_one_when_built_here():
    # When `make vale` built Vale (no acceptable one was on PATH), it is the pinned release.
    built = REPO / ".tools" / "bin" / "vale"
    pinned = re.search(r'VALE_VERSION="\$\{VALE_VERSION:-([\d.]+)\}"', INSTALL.read_text())
    assert pinned, "install-vale.sh pins a version"
    if built.exists():
        out = subprocess.run([str(built), "--version"], capture_output=True, text=True).stdout
        assert out.strip() == f"vale version {pinned.group(1)}"
    else:
        assert os.path.realpath(vale_binary()) != str(built)
