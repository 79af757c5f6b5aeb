"""What every fieldnotes directive shares: option reading, located diagnostics, the doc record."""

from __future__ import annotations

import re
from collections.abc import Callable
from textwrap import dedent
from typing import ClassVar, TypeVar

from docutils.statemachine import StringList
from myst_parser.mocking import MockState
from myst_parser.parsers.options import TokenizeError, options_to_items
from myst_parser.warnings_ import MystWarnings, create_warning
from sphinx.util.docutils import SphinxDirective

from sphinx_fieldnotes import config
from sphinx_fieldnotes.diagnostics import Code, Diagnostic
from sphinx_fieldnotes.domain import get_domain
from sphinx_fieldnotes.model import DocumentRecord
from sphinx_fieldnotes.validation import Invalid

T = TypeVar("T")

_OPTION_LINE = re.compile(r"\s*:([^:\s][^:]*):")
_YAML_KEY = re.compile(r"([A-Za-z][\w-]*)\s*:")
# A ``:key: value`` line whose value MyST's option tokenizer would return as written: no quotes or
# block indicator to start it, no comment, tab, NUL or byte order mark in it.
_PLAIN_OPTION_LINE = re.compile(
    r"\s*:(?P<key>[A-Za-z0-9][\w.-]*):(?: +(?P<value>[^\s'\"|>#\x00\ufeff][^\t#\x00\ufeff]*)?)? *$"
)
_YAML_END = re.compile(r"-{3,}")


def parse_plain_option_lines(lines: list[str]) -> dict[str, str] | None:
    """``:key: value`` lines as MyST's tokenizer reads them, or ``None`` if any line needs it."""
    options: dict[str, str] = {}
    for line in lines:
        plain = _PLAIN_OPTION_LINE.match(line)
        if plain is None:
            return None
        options[plain["key"]] = (plain["value"] or "").rstrip(" ")
    return options


class FieldnotesDirective(SphinxDirective):
    """Base: subclasses declare ``known_options`` and call :meth:`required` / :meth:`optional`.

    fieldnotes reads its options itself (:meth:`read_options`), so ``option_spec`` is ``None``: MyST
    then hands the option lines over as the first lines of the content, and docutils as the lines of
    the argument. MyST's own option parser, a character-by-character YAML tokenizer, was 6% of a
    build; most option blocks are plain ``:key: value`` lines read here with one regular expression,
    and any other block still goes through MyST's tokenizer, with its warnings.
    """

    known_options: ClassVar[tuple[str, ...]] = ()
    option_spec = None
    has_content = True
    # Declared for the type checker (docutils is untyped): read_options rewrites them.
    arguments: list[str]
    content: StringList
    content_offset: int
    required_arguments = 0
    optional_arguments = 1
    final_argument_whitespace = True

    @property
    def doc_record(self) -> DocumentRecord:
        return get_domain(self.env).record(self.env.docname)

    @property
    def settings(self) -> config.FieldnotesConfig:
        return config.get(self.env.app)

    def read_options(self) -> dict[str, str]:
        """Options keyed by trimmed lower-case name; unknown ones are reported and dropped."""
        self.options = self._take_option_block()
        self._option_lines, raw_values = self._find_option_lines()
        # MyST's tokenizer rejects a whole block (with a myst.directive_option warning) when one
        # value does not parse (a lone quote, a tab after the key), and a block ends at a line
        # split oddly: take the options it did not deliver from the block's own source lines.
        given = {key.strip().lower() for key in self.options}
        options = {**self.options, **{k: v for k, v in raw_values.items() if k not in given}}
        values: dict[str, str] = {}
        for raw_key, value in options.items():
            key = raw_key.strip().lower()
            if key in self.known_options:
                values[key] = (value or "").strip()
            else:
                self.problem(
                    Code.UNKNOWN_OPTION,
                    f"{self.name} does not know the option :{raw_key}: (known: "
                    f"{', '.join(self.known_options) or 'none'}); it is ignored",
                    key,
                )
        self._values = values
        return values

    def _take_option_block(self) -> dict[str, str]:
        """Remove the option lines from the content (MyST) or the argument (docutils); parse them.

        Which lines are options follows MyST's rules exactly: a ``---`` YAML block, or the leading
        lines starting with ``:``, unless a blank line comes first.
        """
        if not isinstance(self.state, MockState):  # docutils: the argument holds name and options
            if not self.arguments:
                return {}
            first, *rest = self.arguments[0].split("\n")
            if first.lstrip().startswith(":"):
                self.arguments = []
                return self._parse_option_lines([first, *rest], self.lineno)
            self.arguments = [first]
            return self._parse_option_lines(rest, self.lineno)
        if self.content_offset or not self.content:
            return {}  # MyST dropped a blank line before the content: the content has no options
        lines = list(self.content)
        if lines[0].startswith("---"):
            end = next((i for i, t in enumerate(lines[1:], 1) if _YAML_END.match(t)), len(lines))
            options = self._parse_option_text(dedent("\n".join(lines[1:end])), self.lineno + 1)
            taken = end + 1
        else:
            taken = next(
                (i for i, t in enumerate(lines) if not t.lstrip().startswith(":")), len(lines)
            )
            options = self._parse_option_lines(lines[:taken], self.lineno)
        if taken < len(lines) and not lines[taken].strip():
            taken += 1  # the blank line between options and body, as MyST drops it
        self.content = self.content[taken:]
        self.content_offset += taken
        return options

    def _parse_option_lines(self, lines: list[str], lineno: int) -> dict[str, str]:
        options = parse_plain_option_lines(lines)
        if options is None:  # quoted, commented, tabbed...: MyST's tokenizer decides
            return self._parse_option_text("\n".join(t.lstrip()[1:] for t in lines), lineno)
        return options

    def _parse_option_text(self, text: str, lineno: int) -> dict[str, str]:
        """MyST's tokenizer, and the warnings MyST itself gives for what it rejects."""
        try:
            items, state = options_to_items(text)
        except TokenizeError as error:
            self._myst_warning(f"Invalid options format: {error.problem}", lineno)
            return {}
        if state.has_comments:
            self._myst_warning(
                "Directive options has # comments, which may not be supported in future versions.",
                lineno,
                MystWarnings.DIRECTIVE_OPTION_COMMENTS,
            )
        return dict(items)

    def _myst_warning(
        self, message: str, lineno: int, kind: MystWarnings = MystWarnings.DIRECTIVE_OPTION
    ) -> None:
        create_warning(self.state.document, f"{self.name!r}: {message}", kind, line=lineno)

    def name_argument(self) -> str | None:
        name = " ".join(self.arguments[0].split()) if self.arguments else ""
        return name or None

    def required(
        self, key: str, parse: Callable[[str], T], missing: Code, subject: str
    ) -> T | None:
        value = self._values.get(key, "")
        if not value:
            self.problem(missing, f"{subject} has no :{key}:", key)
            return None
        return self._parse(key, value, parse, subject)

    def optional(self, key: str, parse: Callable[[str], T], subject: str) -> T | None:
        value = self._values.get(key, "")
        return self._parse(key, value, parse, subject) if value else None

    def _parse(self, key: str, value: str, parse: Callable[[str], T], subject: str) -> T | None:
        try:
            return parse(value)
        except Invalid as invalid:
            self.problem(invalid.code, f"{subject}: {invalid.message}", key)
            return None

    def unique_id(self, stem: str) -> str:
        """*stem*, or ``stem-2``, ``stem-3``... when the page already has that id."""
        anchor, counter = stem, 1
        while anchor in self.state.document.ids:
            counter += 1
            anchor = f"{stem}-{counter}"
        return anchor

    def problem(self, code: Code, message: str, option: str | None = None) -> None:
        lineno = self.option_line(option) if option else self.lineno
        self.doc_record.diagnostics.append(Diagnostic(self.env.docname, lineno, code, message))

    def option_line(self, key: str) -> int:
        return self._option_lines.get(key, self.lineno or 0)

    def _find_option_lines(self) -> tuple[dict[str, int], dict[str, str]]:
        """Line (and raw value) of each ``:key:`` in the block's header, so a bad value points at
        its own line. A repeated key keeps its last line: MyST keeps its last value.

        MyST does not hand option lines to directives, so read them from the source (once a page).
        Lines are split at newlines only, as MyST numbers them (``splitlines`` would also split at
        a vertical tab or form feed inside a value and shift every later line).
        """
        source, _ = self.state_machine.get_source_and_line(self.lineno)
        cache: dict[str, list[str]] = self.env.temp_data.setdefault("fieldnotes:sources", {})  # type: ignore[assignment]
        if source not in cache:
            try:
                with open(source, encoding="utf-8") as handle:
                    cache[source] = handle.read().split("\n")
            except (OSError, TypeError, UnicodeDecodeError):
                cache[source] = []
        page = cache[source]
        if self.lineno < len(page) and page[self.lineno].strip() == "---":
            return self._yaml_option_lines(page), {}
        lines: dict[str, int] = {}
        values: dict[str, str] = {}
        for lineno in range(self.lineno + 1, len(page) + 1):
            text = page[lineno - 1]
            match = _OPTION_LINE.match(text)
            if not match:
                break
            key = match.group(1).strip().lower()
            lines[key] = lineno
            values[key] = text[match.end() :].strip()
        return lines, values

    def _yaml_option_lines(self, page: list[str]) -> dict[str, int]:
        """Lines of the keys of a ``---`` YAML option block (MyST parses the values itself)."""
        lines: dict[str, int] = {}
        for lineno in range(self.lineno + 2, len(page) + 1):
            text = page[lineno - 1]
            if text.strip().startswith("---"):
                break
            match = _YAML_KEY.match(text)
            if match:
                lines[match.group(1).lower()] = lineno
        return lines
