"""What every fieldnotes directive shares: option reading, located diagnostics, the doc record."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import ClassVar, TypeVar

from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from fieldnotes import config
from fieldnotes.diagnostics import Code, Diagnostic
from fieldnotes.domain import get_domain
from fieldnotes.model import DocumentRecord
from fieldnotes.validation import Invalid

T = TypeVar("T")

_OPTION_LINE = re.compile(r"\s*:([^:\s][^:]*):")
_YAML_KEY = re.compile(r"([A-Za-z][\w-]*)\s*:")


class AcceptAnyOption(dict[str, Callable[[str | None], str]]):
    """An ``option_spec`` that takes every option as text.

    MyST and docutils drop a whole block on an unknown option or a value their converter rejects;
    fieldnotes keeps the block and reports the problem itself, with its own code and line.
    """

    def __missing__(self, key: str) -> Callable[[str | None], str]:
        return directives.unchanged

    def __bool__(self) -> bool:
        # MyST and docutils read option lines only when option_spec is truthy.
        return True


def accept_options(*names: str) -> AcceptAnyOption:
    return AcceptAnyOption(dict.fromkeys(names, directives.unchanged))


class FieldnotesDirective(SphinxDirective):
    """Base: subclasses declare ``known_options`` and call :meth:`required` / :meth:`optional`."""

    known_options: ClassVar[tuple[str, ...]] = ()
    has_content = True
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
        self._option_lines, raw_values = self._find_option_lines()
        # MyST drops the whole option block (with a myst.directive_option warning) when one value
        # does not parse (a lone quote, a tab after the key), or stops at a line it splits oddly:
        # take the options it did not deliver from the block's own ``:key: value`` lines.
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
