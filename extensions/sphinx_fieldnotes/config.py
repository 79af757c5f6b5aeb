"""The ``fieldnotes_*`` settings: declared once, each with its validator, checked one by one.

:class:`FieldnotesConfig` declares every setting with its default, its documentation (the authoring
guide's table is generated from it) and the validator that checks it. At ``config-inited`` each
value from ``conf.py`` (or ``-D``) is validated on its own: a good one is kept, a bad one is
reported (``conf.py:12: ERROR: fieldnotes_feed_length = 0 must be at least 1; using 50
[fieldnotes.config]``) and replaced by its default, so one typo never costs the other settings.
The validated settings live in the build's :mod:`~sphinx_fieldnotes.state`.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import datetime as dt
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx_fieldnotes import diagnostics, state, vocabulary
from sphinx_fieldnotes.upstream import snapshot
from sphinx_fieldnotes.upstream.hosts import GITHUB_API

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"

# -- validators ----------------------------------------------------------------------------------

#: Takes a value from conf.py and returns the value to use, or raises ValueError saying what was
#: expected ("must be at least 1").
Validator = Callable[[Any], Any]


def names(value: Any) -> tuple[str, ...]:
    """A non-empty list (or tuple) of non-blank strings, trimmed."""
    if not isinstance(value, list | tuple) or not value:
        raise ValueError("must be a non-empty list of names")
    if not all(isinstance(name, str) and name.strip() for name in value):
        raise ValueError("must be a list of names, each a non-blank string")
    return tuple(name.strip() for name in value)


def whole_number(minimum: int) -> Validator:
    """A whole number (not a bool) of at least *minimum*."""

    def validate(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("must be a whole number")
        if value < minimum:
            raise ValueError(f"must be at least {minimum}")
        return value

    return validate


def true_or_false(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be True or False")
    return value


def output_name(value: Any) -> str:
    """A file name written into the output directory itself, or ``''`` for none."""
    if not isinstance(value, str) or value in (".", "..") or re.search(r"[/\\\x00]", value):
        raise ValueError("must be a file name without a directory part, or '' to turn it off")
    return value


def http_url_or_empty(value: Any) -> str:
    if not isinstance(value, str) or (value and not re.match(r"https?://[^/\s]+", value)):
        raise ValueError("must be an http(s) URL such as 'https://example.org/notes', or ''")
    return value


def http_url(value: Any) -> str:
    if not isinstance(value, str) or not re.match(r"https?://[^/\s]+", value):
        raise ValueError("must be an http(s) URL such as 'https://api.github.com'")
    return value.rstrip("/")


def relative_path(value: Any) -> str:
    """A path below the source directory, written with ``/`` (``_data/upstream.json``)."""
    if (
        not isinstance(value, str)
        or not value.strip()
        or value.startswith(("/", "\\"))
        or re.match(r"^[A-Za-z]:", value)
        or ".." in re.split(r"[/\\]", value)
    ):
        raise ValueError("must be a path relative to the source directory, such as '_data/x.json'")
    return value


def iso_date_or_none(value: Any) -> str | None:
    """``None``, or an ISO date (a string or a :class:`datetime.date`), kept as its text."""
    if value is None:
        return None
    text = str(value) if isinstance(value, str | dt.date) else ""
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError("must be an ISO date YYYY-MM-DD, or None for the system date") from None
    return text


# -- the settings ---------------------------------------------------------------------------------


def _setting(default: Any, validator: Validator, doc: str, rebuild: str = "env") -> Any:
    """A field of :class:`FieldnotesConfig`: its default, the validator of a value from conf.py,
    its line in the settings table, and what Sphinx rebuilds when it changes."""
    return field(default=default, metadata={"doc": doc, "validator": validator, "rebuild": rebuild})


@dataclass(frozen=True)
class FieldnotesConfig:
    """Validated settings; each field is the conf.py value ``fieldnotes_<name>``."""

    statuses: tuple[str, ...] = _setting(
        vocabulary.STATUSES, names, "Accepted ``:status:`` values."
    )
    priorities: tuple[str, ...] = _setting(
        vocabulary.PRIORITIES, names, "Accepted ``:priority:`` values, most urgent first."
    )
    stale_after_days: int = _setting(
        730, whole_number(0), "Age in days after which a note joins the review queue."
    )
    recent_days: int = _setting(
        90,
        whole_number(0),
        "Entries noted or updated this many days before today or less are marked "
        "'new' or 'updated' in listings and on the landscape map.",
    )
    today: str | None = _setting(
        None, iso_date_or_none, "ISO date used as today when ``SOURCE_DATE_EPOCH`` is not set."
    )
    json_export: str = _setting(
        "fieldnotes.json",
        output_name,
        "File name of the JSON export in the HTML output ('' disables it).",
    )
    feed: str = _setting(
        "feed.xml",
        output_name,
        "File name of the Atom feed of new notes and updates in the HTML output ('' disables it).",
    )
    feed_length: int = _setting(
        50, whole_number(1), "How many of the newest notes and updates the Atom feed lists."
    )
    site_url: str = _setting(
        "",
        http_url_or_empty,
        "Absolute URL the site is published at, for absolute links in the feed "
        "(defaults to ``html_baseurl``).",
    )
    listing_page_size: int = _setting(
        2000,
        whole_number(0),
        "Most rows a listing shows on one page in the ``html`` and ``dirhtml`` builds; a longer "
        "one is split over pages of its own, linked from its page (0: never split; see the "
        "Performance page).",
        rebuild="",
    )
    # The upstream snapshot changes only what fieldnotes renders, and the pages showing it are
    # chosen for rewriting by their fingerprints: no re-read (rebuild "").
    upstream_snapshot: str = _setting(
        snapshot.DEFAULT_PATH,
        relative_path,
        "The upstream snapshot ``fieldnotes refresh`` writes and the build reads, relative to the "
        "source directory; without the file the build shows no upstream state.",
        rebuild="",
    )
    upstream_api_url: str = _setting(
        GITHUB_API,
        http_url,
        "The GitHub REST API ``fieldnotes refresh`` asks (its ``--api-url`` default); the build "
        "reads the hosts of its repositories from it (GitHub Enterprise: ``https://HOST/api/v3``).",
        rebuild="",
    )
    upstream_behind_threshold: int = _setting(
        5,
        whole_number(1),
        "A project whose studied version is this many releases behind its latest upstream "
        "release (per the snapshot) joins the review queue.",
        rebuild="",
    )
    freeze_read_doctrees: bool = _setting(
        True,
        true_or_false,
        "Keep Python's cycle collector from rescanning the doctrees Sphinx holds "
        "between reading and writing (``gc.freeze``), and pause it while Sphinx loads the "
        "pickled environment; with ``-j N``, also pause it while the workers' pages are merged, "
        "and have each worker send back only the pages it read (see the Performance page).",
        rebuild="",
    )

    def resolve_today(self) -> dt.date:
        """Today for the build: ``SOURCE_DATE_EPOCH``, else ``fieldnotes_today``, else the clock.

        A bad ``SOURCE_DATE_EPOCH`` was reported at ``config-inited`` and is passed over."""
        epoch = os.environ.get(EPOCH_VARIABLE)
        if epoch:
            with contextlib.suppress(ValueError):
                return epoch_date(epoch)
        if self.today:
            return dt.date.fromisoformat(self.today)
        return dt.date.today()


def epoch_date(epoch: str) -> dt.date:
    """The UTC day of a Unix time given as text; ``ValueError`` if the text is not one."""
    try:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    except (ValueError, OverflowError, OSError):
        raise ValueError("must be a Unix time: whole seconds, within the years 1 to 9999") from None


def _registered(spec: dataclasses.Field[Any]) -> Any:
    """The default as conf.py would write it (a list, where the settings keep a tuple)."""
    return list(spec.default) if isinstance(spec.default, tuple) else spec.default


def add_config_values(app: Sphinx) -> None:
    for spec in dataclasses.fields(FieldnotesConfig):
        # A list setting may be given as a tuple too; Sphinx's own type check would warn.
        types = (list, tuple) if isinstance(spec.default, tuple) else ()
        name = f"fieldnotes_{spec.name}"
        app.add_config_value(name, _registered(spec), spec.metadata["rebuild"], types)


# -- config-inited --------------------------------------------------------------------------------


def load(app: Sphinx, config: Config) -> None:
    """``config-inited``: validate each setting on its own and start the build's state."""
    origin = _Origin(Path(app.confdir, "conf.py"), config)
    values: dict[str, Any] = {}
    bad = 0
    for spec in dataclasses.fields(FieldnotesConfig):
        name = f"fieldnotes_{spec.name}"
        value = config[name]
        try:
            values[spec.name] = spec.metadata["validator"](value)
        except ValueError as problem:
            default = _registered(spec)
            where, told = origin.of(name)
            diagnostics.report_setting(
                f"{name} = {value!r}{told} {problem}; using {default!r}", where
            )
            # The default, so that Sphinx's own type check (and the next build's comparison of
            # settings) sees a value of the right type.
            config[name] = default
            bad += 1
    settings = FieldnotesConfig(**values)
    bad += _check_epoch(settings)
    state.start(config, settings, bad)


def _check_epoch(settings: FieldnotesConfig) -> int:
    """Report a bad ``SOURCE_DATE_EPOCH`` (an environment variable: no file to point at)."""
    epoch = os.environ.get(EPOCH_VARIABLE)
    if not epoch:
        return 0
    try:
        epoch_date(epoch)
    except ValueError as problem:
        instead = f"fieldnotes_today ({settings.today})" if settings.today else "the system date"
        diagnostics.report_setting(f"{EPOCH_VARIABLE} = {epoch!r} {problem}; using {instead}")
        return 1
    return 0


class _Origin:
    """Where a bad setting was given, for its report: ``conf.py`` at the line of its last top-level
    assignment; ``conf.py`` alone where no assignment names it (a star import, ``globals()``); or
    ``-D``. The syntax tree of conf.py is read (with :mod:`ast`) only once a setting is bad: the
    namespace Sphinx ran it into keeps no lines."""

    def __init__(self, conf_py: Path, config: Config) -> None:
        self.conf_py = conf_py
        self.overridden = set(config.overrides)
        self._lines: dict[str, int] | None = None

    def of(self, name: str) -> tuple[str | None, str]:
        """The location to log, and the words that tell it in the message when there is none."""
        if name in self.overridden:
            return None, " from -D"
        if self._lines is None:
            self._lines = _assignment_lines(self.conf_py)
        lineno = self._lines.get(name)
        if lineno is None:
            return None, f" in {diagnostics.location(self.conf_py)}"
        return diagnostics.location(self.conf_py, lineno), ""


def _assignment_lines(path: Path) -> dict[str, int]:
    """The line of the last assignment to each name at the top level of the Python file."""
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except (OSError, SyntaxError, ValueError):
        return {}
    lines: dict[str, int] = {}
    for node in _top_level_nodes(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            lines[node.id] = max(lines.get(node.id, 0), node.lineno)
    return lines


_SCOPES = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Lambda,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)


def _top_level_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """Every node of the module's own scope (under ``if`` and ``try`` too, not in functions)."""
    for child in ast.iter_child_nodes(node):
        if not isinstance(child, _SCOPES):
            yield child
            yield from _top_level_nodes(child)
