"""Refresh the upstream snapshot: what each linked repository looks like today.

Reads the site's projects and TODO items (a validation-only ``-b dummy`` Sphinx build of the
site at --root), asks the code host's REST API about every repository their :url: names
(GitHub; other hosts are listed as unsupported), and writes one JSON file to commit with the
site (--snapshot, default: the site's fieldnotes_upstream_snapshot setting, below its source
directory): archived, moved to, default branch,
last push, latest release (or newest tag), and the releases since the version each note studied.
Builds read only that file; they never touch the network.

A token in the environment variable GITHUB_TOKEN is sent to raise the rate limit; it is never
written anywhere. Answers are cached by ETag: a second refresh asks conditionally, and a
refresh that finds nothing new leaves the file byte-identical. When the API's rate limit asks for
a longer wait than --max-wait, the run stops, says when the limit resets, and still writes what it
fetched.

Exit status: 0 when every repository was fetched or kept; 1 when some failed or the run stopped
(the file is written with what was fetched); 2 when the site cannot be read or an argument is
wrong.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import io
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from sphinx_fieldnotes.cli.lint import find_root
from sphinx_fieldnotes.upstream.hosts import GITHUB_API, github_hosts
from sphinx_fieldnotes.upstream.site import SiteEntry, Target, repositories, site_entries
from sphinx_fieldnotes.upstream.snapshot import read_snapshot, write_snapshot

if TYPE_CHECKING:
    from sphinx_fieldnotes.upstream.refresh import Outcome, RefreshResult

TOKEN_VARIABLE = "GITHUB_TOKEN"


class UsageError(Exception):
    """Exit status 2, with this message."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--root",
        type=Path,
        default=None,
        help="the site's root, with conf.py (default: nearest folder with conf.py)",
    )
    parser.add_argument(
        "--snapshot",
        type=Path,
        default=None,
        help="the snapshot file (default: the conf.py setting fieldnotes_upstream_snapshot, "
        "relative to the source directory; the build reads the same file)",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="refresh only the repository of this project or TODO item (repeatable); "
        "the other records are kept as they are",
    )
    parser.add_argument(
        "--max-age",
        type=_non_negative,
        metavar="DAYS",
        default=None,
        help="skip repositories whose record was fetched less than DAYS ago (and whose entries "
        "study the same versions)",
    )
    parser.add_argument(
        "--api-url",
        default=None,
        metavar="URL",
        help="the GitHub REST API's base URL, for GitHub Enterprise (https://HOST/api/v3) or "
        "tests (default: the conf.py setting fieldnotes_upstream_api_url when set, else "
        f"$GITHUB_API_URL, else {GITHUB_API})",
    )
    parser.add_argument(
        "--concurrency",
        type=_positive_int,
        default=4,
        metavar="N",
        help="requests in flight at once (default: %(default)s)",
    )
    parser.add_argument(
        "--timeout",
        type=_positive,
        default=10.0,
        metavar="SECONDS",
        help="give up on an answer after this long (default: %(default)s)",
    )
    parser.add_argument(
        "--max-wait",
        type=_non_negative,
        default=60.0,
        metavar="SECONDS",
        help="the longest rate-limit wait to sit out; a longer one stops the run "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--progress",
        choices=("auto", "bar", "lines"),
        default="auto",
        help="a progress bar (on a terminal, outside CI) or a line per repository "
        "(default: %(default)s)",
    )


def _positive(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return value


def _non_negative(text: str) -> float:
    value = float(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"{text} is not zero or more")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a whole number above zero")
    return value


# --------------------------------------------------------------------------------------------
# The site


@dataclass(frozen=True)
class SiteSettings:
    """What ``fieldnotes refresh`` reads of a site: its entries, and its two settings."""

    entries: list[SiteEntry]
    snapshot: Path  # fieldnotes_upstream_snapshot, below the source directory
    api_url: str | None  # fieldnotes_upstream_api_url when conf.py sets it


def read_site(root: Path) -> SiteSettings:
    """Every project and TODO item of the site at *root* that has a valid URL, from a
    validation-only build (``-b dummy``) in a temporary folder: the same entries ``make html``
    sees, whatever the site's layout, includes or configuration; and where the build reads the
    snapshot from."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    from sphinx_fieldnotes import state
    from sphinx_fieldnotes.config import FieldnotesConfig
    from sphinx_fieldnotes.domain import get_domain

    with (
        tempfile.TemporaryDirectory(prefix="fieldnotes-refresh-") as tmp,
        patch_docutils(str(root)),
        docutils_namespace(),
    ):
        app = Sphinx(
            srcdir=root,
            confdir=root,
            outdir=Path(tmp, "out"),
            doctreedir=Path(tmp, "doctrees"),
            buildername="dummy",
            status=None,
            warning=io.StringIO(),  # the site's own problems are fieldnotes lint's business
            freshenv=True,
        )
        app.build()
        settings = state.of(app.config).settings
        api_url = settings.upstream_api_url
        return SiteSettings(
            entries=site_entries(get_domain(app.env).catalog()),
            snapshot=Path(app.srcdir, settings.upstream_snapshot),
            api_url=None if api_url == FieldnotesConfig.upstream_api_url else api_url,
        )


# --------------------------------------------------------------------------------------------
# The command


def run(args: argparse.Namespace) -> int:
    token = os.environ.get(TOKEN_VARIABLE) or None
    out = _Output(sys.stdout, token)
    try:
        return _refresh(args, token, out)
    except UsageError as exc:
        out.line(f"fieldnotes refresh: {exc}", stream=sys.stderr)
        return 2


def _refresh(args: argparse.Namespace, token: str | None, out: _Output) -> int:
    from sphinx_fieldnotes.upstream.github import FetchSettings
    from sphinx_fieldnotes.upstream.refresh import refresh

    root = (args.root or find_root(Path.cwd())).resolve()
    if not (root / "conf.py").is_file():
        raise UsageError(f"no conf.py in {root}: give the site's root with --root")
    try:
        site = read_site(root)
    except Exception as exc:  # a broken conf.py or extension: say so, never a traceback
        raise UsageError(f"cannot read the site at {root}: {_gist(exc)}") from None
    entries = site.entries
    path = args.snapshot if args.snapshot is not None else site.snapshot
    shown = _display(path)
    api_url = args.api_url or site.api_url or os.environ.get("GITHUB_API_URL") or GITHUB_API

    hosts = github_hosts(api_url)
    linked = repositories(entries, hosts)
    targets = linked.targets
    only = _only(args.only, entries, targets) if args.only else None
    for url, (reason, names) in sorted(linked.unsupported.items()):
        out.line(f"{url}: {reason}: not refreshed ({', '.join(sorted(names))})")

    old, problems = read_snapshot(path, shown=shown)
    for problem in problems:
        out.line(f"{problem.format()} (the snapshot is written anew)")

    settings = FetchSettings(
        api_url=api_url,
        token=token,
        concurrency=args.concurrency,
        timeout=args.timeout,
        max_wait=args.max_wait,
    )
    progress = _Progress(out, len(only if only is not None else targets), args.progress)
    try:
        result = refresh(
            targets,
            old,
            settings,
            now=dt.datetime.now(dt.UTC).replace(microsecond=0),
            only=only,
            max_age=dt.timedelta(days=args.max_age) if args.max_age is not None else None,
            on_outcome=progress.advance,
        )
    finally:
        progress.close()
    written = write_snapshot(path, result.snapshot)
    out.line(_summary(result, shown, written))
    if result.stopped:
        out.line(f"fieldnotes refresh: {result.stopped}")
    failed = result.stopped is not None or any(o.status == "failed" for o in result.outcomes)
    return 1 if failed else 0


def _gist(exc: Exception) -> str:
    """*exc* on one line: Sphinx's configuration errors carry the traceback of conf.py; keep its
    first line (what failed) and its last (why)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    gist = lines[0] if lines else ""
    if len(lines) > 1:
        gist = f"{gist.rstrip(':')}: {lines[-1]}"
    return f"{type(exc).__name__}: {gist}"


def _only(names: list[str], entries: list[SiteEntry], targets: list[Target]) -> set[str]:
    from sphinx_fieldnotes.validation import normalise_name

    by_key = {entry.key: entry for entry in entries}
    keys: set[str] = set()
    for name in names:
        entry = by_key.get(normalise_name(name))
        if entry is None:
            close = difflib.get_close_matches(normalise_name(name), list(by_key), n=1)
            hint = f" (did you mean {by_key[close[0]].name!r}?)" if close else ""
            raise UsageError(
                f"--only {name}: no project or TODO item with a URL has that name{hint}"
            )
        keys.update(t.ref.key for t in targets if entry.key in t.studied)
    return keys


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _summary(result: RefreshResult, shown: str, written: bool) -> str:
    counts = ", ".join(
        f"{result.count(status)} {status}"
        for status in ("new", "updated", "unchanged", "skipped", "failed", "not fetched")
        if result.count(status)
    )
    statuses = ", ".join(f"{code}: {n}" for code, n in sorted(result.statuses.items()))
    unanswered = result.requests - sum(result.statuses.values())
    if unanswered:
        statuses += f"{', ' if statuses else ''}{unanswered} unanswered"
    requests = f"{result.requests} request" + ("" if result.requests == 1 else "s")
    file = f"wrote {shown}" if written else f"{shown} unchanged"
    n = len(result.outcomes)
    return (
        f"fieldnotes refresh: {n} repositor{'y' if n == 1 else 'ies'}"
        f"{f' ({counts})' if counts else ''}; {requests}"
        f"{f' ({statuses})' if statuses else ''}; {file}"
    )


class _Output:
    """Prints lines, never the token (an API could echo it back in an error message)."""

    def __init__(self, stream: TextIO, token: str | None) -> None:
        self.stream = stream
        self.token = token

    def clean(self, text: str) -> str:
        return text.replace(self.token, "[GITHUB_TOKEN]") if self.token else text

    def line(self, text: str, stream: TextIO | None = None) -> None:
        print(self.clean(text), file=stream or self.stream, flush=True)


class _Progress:
    """A tqdm bar on a terminal (outside CI); a line per repository otherwise."""

    def __init__(self, out: _Output, total: int, mode: str) -> None:
        self.out = out
        interactive = sys.stderr.isatty() and not os.environ.get("CI")
        self.bar = None
        if mode == "bar" or (mode == "auto" and interactive):
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="repo", desc="fieldnotes refresh", leave=False)

    def advance(self, outcome: Outcome) -> None:
        text = f"{outcome.key}: {outcome.status}" + (
            f": {outcome.detail}" if outcome.detail else ""
        )
        if self.bar is None:
            self.out.line(text)
            return
        if outcome.status in ("failed", "not fetched"):
            self.bar.write(self.out.clean(text), file=sys.stderr)
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
