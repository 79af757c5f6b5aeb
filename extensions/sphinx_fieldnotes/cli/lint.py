"""Lint the notes: Vale over the pages plus a validation-only Sphinx build, in one report.

Runs, at the same time, ``vale --output=JSON PATHS`` (the site's ``.vale.ini``, else the house
style, spelling and vocabulary shipped in the package) and ``sphinx-build -b dummy`` of the whole
site (every fieldnotes diagnostic, MyST and Sphinx warning), and also flags fieldnotes directives
written in backtick fences. Every finding is printed as ``path:line[:col]: LEVEL: message [code]``,
sorted by path and line, then a summary; ``--format json|sarif|rdjsonl|github`` writes them for
other tools instead (summary on stderr), ``-o FILE`` to a file.
The exit status is 1 when any finding is an error, else 0, in every format.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sphinx_fieldnotes import vale_style, vocabulary
from sphinx_fieldnotes.cli import fences

#: Directives fieldnotes defines; in a backtick fence they are flagged (see :func:`fence_findings`).
FIELDNOTES_DIRECTIVES = frozenset(vocabulary.DIRECTIVES)

LEVELS = ("ERROR", "WARNING", "SUGGESTION")
_LEVEL_ORDER = {name: i for i, name in enumerate(LEVELS)}
_VALE_LEVELS = {"error": "ERROR", "warning": "WARNING", "suggestion": "SUGGESTION"}
_SPHINX_LEVELS = {
    "CRITICAL": "ERROR",
    "SEVERE": "ERROR",
    "ERROR": "ERROR",
    "WARNING": "WARNING",
    "INFO": "SUGGESTION",
}

#: "path:line: LEVEL: message [code]" (line and code optional), as Sphinx logs problems.
_SPHINX_LINE = re.compile(
    r"^(?P<path>.*?):(?:(?P<line>\d+):)? (?P<level>CRITICAL|SEVERE|ERROR|WARNING|INFO): "
    r"(?P<message>.*?)(?: \[(?P<code>[\w.-]+)\])?\s*$"
)
#: "LEVEL: message [code]", a problem Sphinx logs without a location.
_SPHINX_BARE = re.compile(
    r"^(?P<level>CRITICAL|SEVERE|ERROR|WARNING): (?P<message>.*?)(?: \[(?P<code>[\w.-]+)\])?\s*$"
)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_MARKDOWN_SUFFIXES = (".md", ".myst", ".markdown")


@dataclass(frozen=True, order=True)
class Finding:
    """One problem, from Vale, Sphinx or the lint itself."""

    path: str
    line: int  # 0: the whole file, or no file
    column: int  # 0: no column
    level: str  # ERROR, WARNING or SUGGESTION
    message: str
    code: str

    def sort_key(self) -> tuple[str, int, int, int, str, str]:
        return (
            self.path,
            self.line,
            self.column,
            _LEVEL_ORDER.get(self.level, 9),
            self.code,
            self.message,
        )

    def format(self) -> str:
        where = self.path or "<lint>"
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return f"{where}: {self.level}: {self.message} [{self.code}]"


# --------------------------------------------------------------------------------------------
# Paths


def find_root(start: Path) -> Path:
    """The site's root: the nearest directory at or above *start* holding ``conf.py``."""
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / "conf.py").is_file():
            return candidate
    return start


def display_path(path: str | os.PathLike[str], base: Path, origin: Path | None = None) -> str:
    """*path* (relative ones taken from *origin*, default *base*) as shown: relative to *base* when
    it is inside it, with POSIX separators; else as given."""
    raw = os.fspath(path)
    if not raw:
        return raw
    p = Path(raw)
    absolute = p if p.is_absolute() else ((origin or base) / p)
    try:
        return absolute.resolve().relative_to(base.resolve()).as_posix()
    except (ValueError, OSError):
        return p.as_posix()


def markdown_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every Markdown page under *paths* (files are taken as given), skipping hidden folders."""
    for path in paths:
        if path.is_dir():
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_build")))
                for name in sorted(filenames):
                    if name.endswith(_MARKDOWN_SUFFIXES):
                        yield Path(dirpath) / name
        elif path.is_file():
            yield path


# --------------------------------------------------------------------------------------------
# Vale


#: The oldest Vale the configuration works with: MyST came in 3.18; the style is verified on 3.22.
VALE_MIN = (3, 22)
_VALE_VERSION = re.compile(r"vale version v?(\d+)\.(\d+)(?:\.(\d+))?")


def find_vale(root: Path, explicit: str | None) -> str | None:
    """The vale binary: ``--vale``/``$VALE``, else ``ROOT/.tools/bin/vale`` (what ``make vale``
    installs, first on PATH in ``make lint`` too), else vale on PATH."""
    if explicit:
        return shutil.which(explicit) or (explicit if Path(explicit).is_file() else None)
    local = root / ".tools" / "bin" / ("vale.exe" if os.name == "nt" else "vale")
    if local.is_file() and os.access(local, os.X_OK):
        return str(local)
    return shutil.which("vale")


def vale_version_problem(vale: str) -> str | None:
    """Why *vale* cannot be used (it does not run, or is older than :data:`VALE_MIN`), or None."""
    try:
        out = subprocess.run([vale, "--version"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        return f"cannot run vale ({vale}): {exc}"
    m = _VALE_VERSION.search(out)
    if not m:
        return None  # a development build: trust it
    version = (int(m[1]), int(m[2]))
    if version < VALE_MIN or version[0] != VALE_MIN[0]:
        want = ".".join(map(str, VALE_MIN))
        return (
            f"{vale} is Vale {m[1]}.{m[2]}, but the configuration needs {want} or newer (3.x): "
            "run 'make vale'"
        )
    return None


def parse_vale_json(stdout: str, base: Path) -> list[Finding]:
    """Findings from ``vale --output=JSON``: ``{path: [alert, ...]}``.

    Raises ``ValueError`` when *stdout* is not that shape (Vale reported an error of its own).
    """
    data = json.loads(stdout) if stdout.strip() else {}
    if not isinstance(data, dict) or any(not isinstance(v, list) for v in data.values()):
        raise ValueError("unexpected JSON from vale")
    findings = []
    for path, alerts in data.items():
        shown = display_path(path, base)
        for alert in alerts:
            span = alert.get("Span") or [0]
            findings.append(
                Finding(
                    path=shown,
                    line=int(alert.get("Line") or 0),
                    column=int(span[0] or 0),
                    level=_VALE_LEVELS.get(str(alert.get("Severity", "")).lower(), "WARNING"),
                    message=str(alert.get("Message", "")).strip(),
                    code=str(alert.get("Check") or "vale"),
                )
            )
    return findings


def _vale_error_text(stdout: str, stderr: str) -> str:
    """The message of a Vale runtime error (printed as JSON or as text)."""
    for text in (stdout, stderr):
        text = text.strip()
        if not text:
            continue
        try:
            data = json.loads(text)
        except ValueError:
            return " ".join(_ANSI.sub("", text).split())[:500]
        if isinstance(data, dict) and "Text" in data:
            return " ".join(str(data["Text"]).split())[:500]
        return " ".join(text.split())[:500]
    return "no output"


def run_vale(vale: str | None, files: Sequence[Path], root: Path, cwd: Path) -> list[Finding]:
    if vale is None:
        return [
            Finding(
                "",
                0,
                0,
                "ERROR",
                "vale is not installed: run 'make vale' (it builds Vale into .tools/bin), or see "
                "'Installing Vale' in README.md",
                "lint.vale-missing",
            )
        ]
    if not files:
        return []
    problem = vale_version_problem(vale)
    if problem:
        return [Finding("", 0, 0, "ERROR", problem, "lint.vale-version")]
    setup = vale_style.vale_setup(root)
    cmd = [vale, "--output=JSON", "--no-exit", f"--config={setup.config}"]
    cmd += [os.fspath(f) for f in files]
    try:
        proc = subprocess.run(
            cmd,
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            env=setup.env,
        )
    except OSError as exc:
        return [Finding("", 0, 0, "ERROR", f"cannot run vale ({vale}): {exc}", "lint.vale-failed")]
    try:
        findings = parse_vale_json(proc.stdout, cwd)
    except ValueError:
        findings = None
    if findings is None or (proc.returncode not in (0, 1) and not findings):
        return [
            Finding(
                "",
                0,
                0,
                "ERROR",
                f"vale failed (exit {proc.returncode}): "
                f"{_vale_error_text(proc.stdout, proc.stderr)}",
                "lint.vale-failed",
            )
        ]
    return findings


# --------------------------------------------------------------------------------------------
# Sphinx


def parse_sphinx_log(text: str, base: Path, origin: Path | None = None) -> list[Finding]:
    """Findings from what ``sphinx-build`` prints on stderr.

    A problem is ``path:line: LEVEL: message [code]`` (line and code optional); the lines that
    follow one and are not problems themselves (a docutils message's context) are part of it.
    """
    findings: list[Finding] = []
    for raw in _ANSI.sub("", text).splitlines():
        line = raw.rstrip()
        if not line:
            continue
        m = _SPHINX_LINE.match(line)
        if m and (m["line"] or _looks_like_path(m["path"])):
            findings.append(
                Finding(
                    path=display_path(m["path"], base, origin),
                    line=int(m["line"] or 0),
                    column=0,
                    level=_SPHINX_LEVELS[m["level"]],
                    message=m["message"].strip(),
                    code=m["code"] or "sphinx",
                )
            )
            continue
        bare = _SPHINX_BARE.match(line)
        if bare:
            findings.append(
                Finding(
                    "",
                    0,
                    0,
                    _SPHINX_LEVELS[bare["level"]],
                    bare["message"].strip(),
                    bare["code"] or "sphinx",
                )
            )
    return findings


def _looks_like_path(text: str) -> bool:
    return bool(text) and " " not in text.strip() and ("/" in text or "." in text or "\\" in text)


_CRASH_KIND = re.compile(r"^(?P<kind>[A-Z][\w ]*?(?:error|exception|Error|Exception))!\s*$")
_EXCEPTION_LINE = re.compile(
    r"^\s*(?P<type>[\w.]+(?:Error|Exception|Interrupt|Exit)): (?P<text>.+)$"
)
_BOILERPLATE = (
    "The full traceback has been saved",
    "To report this error",
    "Please also report",
    "Traceback",
    "  File ",
)


def _failure_summary(stderr: str) -> str:
    """The gist of a failed build on one line: what failed ("Configuration error") and why (the
    last exception line), else its last meaningful lines."""
    lines = _ANSI.sub("", stderr).splitlines()
    kind = next((m["kind"] for ln in lines if (m := _CRASH_KIND.match(ln.strip()))), "")
    reasons = [m for ln in lines if (m := _EXCEPTION_LINE.match(ln))]
    if reasons:
        last = reasons[-1]
        why = f"{last['type'].rsplit('.', 1)[-1]}: {last['text'].strip()}"
        return (f"{kind}: {why}" if kind else why)[:600]
    meaningful = [
        ln.strip()
        for ln in lines
        if ln.strip()
        and not ln.startswith(_BOILERPLATE)
        and not ln.startswith("    ")
        and not ln.strip().startswith("/tmp/sphinx-err-")
    ]
    return " | ".join(meaningful[-3:])[:600] or "no output"


def run_sphinx(
    sphinx: Sequence[str], root: Path, builddir: Path | None, keep: set[str] | None, cwd: Path
) -> list[Finding]:
    """A validation-only build (``-b dummy``) of the site at *root*, fresh each time.

    Only findings about files in *keep* (display paths) are returned, plus any without a file or
    outside the pages; a build that fails without reporting an error is itself an error.
    """
    with tempfile.TemporaryDirectory(prefix="fieldnotes-lint-") as tmp:
        out = builddir or Path(tmp) / "out"
        doctrees = Path(tmp) / "doctrees"
        cmd = [*sphinx, "-b", "dummy", "-q", "-E", "-N", "-d", os.fspath(doctrees), ".",
               os.fspath(out)]  # fmt: skip
        env = dict(os.environ, PYTHONWARNINGS=os.environ.get("PYTHONWARNINGS", "ignore"))
        try:
            proc = subprocess.run(
                cmd,
                cwd=root,
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
                env=env,
            )
        except OSError as exc:
            return [
                Finding("", 0, 0, "ERROR", f"cannot run sphinx-build: {exc}", "lint.sphinx-failed")
            ]
    findings = parse_sphinx_log(proc.stderr, cwd, root)
    if proc.returncode != 0 and not any(f.level == "ERROR" for f in findings):
        conf = root / "conf.py"
        findings.append(
            Finding(
                display_path(conf, cwd) if conf.is_file() else "",
                0,
                0,
                "ERROR",
                f"the Sphinx build failed (exit {proc.returncode}): "
                f"{_failure_summary(proc.stderr)}",
                "lint.sphinx-failed",
            )
        )
    if keep is not None:
        findings = [
            f
            for f in findings
            if f.code.startswith("lint.")
            or not f.path
            or not f.path.endswith(_MARKDOWN_SUFFIXES)
            or f.path in keep
        ]
    return findings


# --------------------------------------------------------------------------------------------
# Backtick-fenced fieldnotes directives


def fence_findings(path: Path, shown: str) -> list[Finding]:
    """Fieldnotes directives written with backtick (or tilde) fences in the page at *path*.

    The house style writes every fieldnotes directive with a colon fence: a backtick fence shows as
    a code block to every Markdown tool that does not know MyST (editors' previews, GitHub, older
    Vale), which then neither renders nor checks its prose. Fences inside code blocks (examples in
    the authoring guide) are not directives and are not reported.
    """
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return [
        _backtick_fence_finding(shown, line.number, line.opens.directive)
        for line in fences.scan(text.splitlines())
        if line.opens and line.opens.directive in FIELDNOTES_DIRECTIVES
    ]


def _backtick_fence_finding(shown: str, number: int, name: str) -> Finding:
    return Finding(
        shown,
        number,
        1,
        "WARNING",
        f"fieldnotes directive '{name}' in a backtick fence; Markdown tools that do "
        f"not know MyST show it as code and do not check its prose: write it as a "
        f"colon fence (:::{{{name}}})",
        "fieldnotes.lint-backtick-fence",
    )


# --------------------------------------------------------------------------------------------
# Command line


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        default=["source"],
        help="pages or folders to lint (default: source)",
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=None,
        help="the site's root, with conf.py and .vale.ini (default: nearest folder with conf.py)",
    )
    parser.add_argument(
        "--vale",
        default=os.environ.get("VALE") or None,
        help="the vale binary (default: $VALE, else ROOT/.tools/bin/vale, else vale on PATH)",
    )
    parser.add_argument(
        "--builddir",
        type=Path,
        default=None,
        help="output folder of the dummy build (default: a temporary folder)",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json", "sarif", "rdjsonl", "github"),
        default="text",
        help="how findings are written (default: text); the summary always goes to stderr",
    )
    parser.add_argument(
        "-o", "--output", type=Path, default=None, help="write the findings to FILE, not stdout"
    )
    parser.add_argument("--no-vale", action="store_true", help="skip Vale")
    parser.add_argument("--no-sphinx", action="store_true", help="skip the Sphinx build")


def lint(args: argparse.Namespace) -> list[Finding]:
    cwd = Path.cwd()
    root = (args.root or find_root(cwd)).resolve()
    targets = [Path(p) for p in (args.paths or ["source"])]
    findings: list[Finding] = []
    for target in targets:
        if not target.exists():
            findings.append(
                Finding(
                    display_path(target, cwd),
                    0,
                    0,
                    "ERROR",
                    "no such file or folder",
                    "lint.no-such-path",
                )
            )
    files = list(markdown_files(t for t in targets if t.exists()))
    shown = {display_path(f, cwd): f for f in files}

    jobs = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        if not args.no_sphinx:
            sphinx = [sys.executable, "-m", "sphinx"]
            jobs.append(pool.submit(run_sphinx, sphinx, root, args.builddir, set(shown), cwd))
        if not args.no_vale:
            vale = find_vale(root, args.vale)
            jobs.append(pool.submit(run_vale, vale, files, root, cwd))
        for name, path in shown.items():
            findings.extend(fence_findings(path, name))
        for job in jobs:
            try:
                findings.extend(job.result())
            except Exception as exc:  # never a traceback: report it and fail
                findings.append(
                    Finding("", 0, 0, "ERROR", f"lint failed: {exc!r}", "lint.internal-error")
                )
    return sorted(set(findings), key=Finding.sort_key)


def summary(findings: Sequence[Finding], seconds: float) -> str:
    def count(n: int, noun: str) -> str:
        return f"{n} {noun}" + ("" if n == 1 else "s")

    parts = ", ".join(
        count(sum(f.level == level for f in findings), level.lower()) for level in LEVELS
    )
    return f"fieldnotes lint: {count(len(findings), 'finding')} ({parts}) in {seconds:.1f}s"


def run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    try:
        findings = lint(args)
    except Exception as exc:  # never a traceback
        findings = [Finding("", 0, 0, "ERROR", f"lint failed: {exc!r}", "lint.internal-error")]
    status = 1 if any(f.level == "ERROR" for f in findings) else 0
    from sphinx_fieldnotes.cli.lint_formats import FORMATTERS

    text = FORMATTERS[getattr(args, "format", "text")](findings)
    output = getattr(args, "output", None)
    if output is not None:
        output.write_text(text, encoding="utf-8")
    try:
        if output is None:
            sys.stdout.write(text)
            sys.stdout.flush()
        # Text on stdout keeps its summary as the last line; machine formats stay parseable.
        plain = output is None and getattr(args, "format", "text") == "text"
        print(
            summary(findings, time.monotonic() - started), file=sys.stdout if plain else sys.stderr
        )
    except BrokenPipeError:  # e.g. piped into `head`: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return status
