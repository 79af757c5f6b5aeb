"""What every fieldnotes directive shares: option reading, located diagnostics, the doc record."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from textwrap import dedent
from typing import TYPE_CHECKING, ClassVar, TypeVar

from docutils import nodes
from docutils.statemachine import StringList
from myst_parser.mocking import MockState
from myst_parser.parsers.options import TokenizeError, options_to_items
from myst_parser.warnings_ import MystWarnings, create_warning
from sphinx.util.docutils import SphinxDirective

from sphinx_fieldnotes import state
from sphinx_fieldnotes.anchors import unique_id
from sphinx_fieldnotes.codes import Code, Diagnostic
from sphinx_fieldnotes.domain import get_domain
from sphinx_fieldnotes.locations import included_source, myst_line
from sphinx_fieldnotes.model import DocumentRecord
from sphinx_fieldnotes.suggest import did_you_mean
from sphinx_fieldnotes.validation import Invalid

if TYPE_CHECKING:
    from sphinx_fieldnotes.config import FieldnotesConfig

T = TypeVar("T")

_OPTION_LINE = re.compile(r"\s*:([^:\s][^:]*):")
_YAML_KEY = re.compile(r"([A-Za-z][\w-]*)\s*:")
# A ``:key: value`` line whose value MyST's option tokenizer would return as written: no quotes or
# block indicator to start it, no comment, tab, NUL or byte order mark in it.
_PLAIN_OPTION_LINE = re.compile(
    r"\s*:(?P<key>[A-Za-z0-9][\w.-]*):(?: +(?P<value>[^\s'\"|>#\x00\ufeff][^\t#\x00\ufeff]*)?)? *$"
)
_YAML_END = re.compile(r"-{3,}")


@dataclass
class OptionBlock:
    """A directive's option lines as its parser delivered them, each with its line number."""

    lines: list[str] = field(default_factory=list)
    linenos: list[int] = field(default_factory=list)
    yaml: bool = False  # the lines between ``---`` fences

    def keys(self) -> tuple[dict[str, int], dict[str, str]]:
        """Line (and raw value) of each ``:key:``, so a bad value points at its own line. A
        repeated key keeps its last line: MyST keeps its last value. A YAML block gives lines
        only (MyST's tokenizer reads its values)."""
        lines: dict[str, int] = {}
        values: dict[str, str] = {}
        for text, lineno in zip(self.lines, self.linenos, strict=True):
            if self.yaml:
                key_match = _YAML_KEY.match(text)
                if key_match:
                    lines[key_match.group(1).lower()] = lineno
                continue
            match = _OPTION_LINE.match(text)
            if not match:
                break
            key = match.group(1).strip().lower()
            lines[key] = lineno
            values[key] = text[match.end() :].strip()
        return lines, values


def parse_plain_option_lines(lines: list[str]) -> dict[str, str] | None:
    """``:key: value`` lines as MyST's tokenizer reads them, or ``None`` if any line needs it."""
    options: dict[str, str] = {}
    for line in lines:
        plain = _PLAIN_OPTION_LINE.match(line)
        if plain is None:
            return None
        options[plain["key"]] = (plain["value"] or "").rstrip(" ")
    return options


def _is_option_line(line: str) -> bool:
    """Starts with ``:`` and is not a nested colon fence (as MyST 5 reads option blocks)."""
    stripped = line.lstrip()
    return stripped.startswith(":") and not stripped.startswith(":::")


class FieldnotesDirective(SphinxDirective):
    """Base: subclasses declare ``known_options`` and call :meth:`required` / :meth:`optional`.

    fieldnotes reads its options itself (:meth:`read_options`), so ``option_spec`` is ``None``: MyST
    then hands the option lines over as the first lines of the content, and docutils as the lines of
    the argument (of the content, for a directive without one), each line numbered by the parser:
    MyST counts content lines from the fence, docutils' state machine maps its input lines (with
    ``rst_prolog`` and included files in them) back to a file and line. MyST's own option parser,
    a character-by-character YAML tokenizer, was 6% of a build; most option blocks are plain
    ``:key: value`` lines read here with one regular expression, and any other block still goes
    through MyST's tokenizer, with its warnings.
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
    def settings(self) -> FieldnotesConfig:
        return state.of(self.config).settings

    def read_options(self) -> dict[str, str]:
        """Options keyed by trimmed lower-case name; unknown ones are reported and dropped."""
        block = self._take_option_block()
        if block.yaml:
            self.options = self._parse_option_text(dedent("\n".join(block.lines)), self.line + 1)
        elif block.lines:
            self.options = self._parse_option_lines(block.lines, self.line)
        else:
            self.options = {}
        self._option_lines, raw_values = block.keys()
        # MyST's tokenizer rejects a whole block (with a myst.directive_option warning) when one
        # value does not parse (a lone quote, a tab after the key): take the options it did not
        # deliver from the block's own lines.
        given = {key.strip().lower() for key in self.options}
        options = {**self.options, **{k: v for k, v in raw_values.items() if k not in given}}
        values: dict[str, str] = {}
        for raw_key, value in options.items():
            key = raw_key.strip().lower()
            if key in self.known_options:
                values[key] = (value or "").strip()
            else:
                self.problem(Code.UNKNOWN_OPTION, self._unknown_option(raw_key), key)
        self._values = values
        return values

    def _unknown_option(self, raw_key: str) -> str:
        """What to say of ``:raw_key:``: the known option it is close to, else all of them."""
        written = f"{self.name}: unknown option ':{raw_key.strip()}:'"
        hint = did_you_mean(raw_key.strip(), self.known_options, "':{}:'")
        if hint:
            return written + hint
        return f"{written} (known: {', '.join(self.known_options) or 'none'}); it is ignored"

    # -- where the block is -----------------------------------------------------------------------

    @cached_property
    def _location(self) -> tuple[str, int]:
        """The file and line of the directive's first line, as its parser numbers them.

        ``self.lineno`` counts the parser's input, which for docutils also holds ``rst_prolog``
        and included files; the state machine maps it back to a file and a line of that file.
        """
        source, line = self.state_machine.get_source_and_line(self.lineno)
        line = line or self.lineno or 0
        if isinstance(self.state, MockState):
            line = myst_line(self.env, source, line)
        return str(source or self.env.doc2path(self.env.docname)), line

    @property
    def line(self) -> int:
        """The directive's first line in :attr:`source_file` (or the page)."""
        return self._location[1]

    @property
    def source_file(self) -> str | None:
        """The included file holding the block, relative to the source directory; ``None`` when
        it is the page itself."""
        return included_source(self.env, self._location[0])

    # -- which lines are options ------------------------------------------------------------------

    def _take_option_block(self) -> OptionBlock:
        """Remove the option lines from the content (MyST) or the argument (docutils).

        Which lines are options follows MyST's rules: a ``---`` YAML block, or the leading lines
        starting with ``:`` (up to a nested colon fence), unless a blank line comes first. Each
        line's number comes from the parser, never from reading the file again.
        """
        if isinstance(self.state, MockState):
            if self.content_offset:
                return OptionBlock()  # MyST dropped a blank line before the content: no options
            # MyST's content starts on the line after the fence, one line per line.
            return self._take_content_options(lambda index: self.line + 1 + index, myst=True)
        if self.required_arguments or self.optional_arguments:
            return self._take_argument_options()
        # docutils gives a directive without arguments its option lines as the first content
        # lines, and knows where each one is.
        return self._take_content_options(lambda index: self.content.info(index)[1] + 1)

    def _take_content_options(
        self, line_of: Callable[[int], int], myst: bool = False
    ) -> OptionBlock:
        """The option lines leading the content; *line_of* numbers a content line."""
        if not self.content:
            return OptionBlock()
        lines = list(self.content)
        if myst and lines[0].startswith("---"):
            end = next((i for i, t in enumerate(lines[1:], 1) if _YAML_END.match(t)), len(lines))
            block = OptionBlock(lines[1:end], [line_of(i) for i in range(1, end)], yaml=True)
            taken = end + 1
        else:
            taken = next((i for i, t in enumerate(lines) if not _is_option_line(t)), len(lines))
            block = OptionBlock(lines[:taken], [line_of(i) for i in range(taken)])
        if taken < len(lines) and not lines[taken].strip():
            taken += 1  # the blank line between options and body, as MyST drops it
        self.content = self.content[taken:]
        self.content_offset += taken
        return block

    def _take_argument_options(self) -> OptionBlock:
        """docutils: the argument holds the name's line and then the option lines (up to the
        first blank line), each a line of the directive's block."""
        if not self.arguments:
            return OptionBlock()
        first, *rest = self.arguments[0].split("\n")
        # The argument starts on the directive's line, or on the next one when that has none.
        start = self.lineno + (
            0 if self.block_text.split("\n", 1)[0].split("::", 1)[-1].strip() else 1
        )
        if first.lstrip().startswith(":"):
            self.arguments = []
            lines = [first, *rest]
        else:
            self.arguments = [first]
            lines, start = rest, start + 1
        linenos = [self.state_machine.get_source_and_line(start + i)[1] for i in range(len(lines))]
        return OptionBlock(lines, linenos)

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
        """The warning MyST gives, at the block's own file (MyST's ``line=`` form would name the
        page, with ``.rst`` appended)."""
        where = nodes.Element()
        where.source, where.line = self._location[0], lineno
        create_warning(self.state.document, f"{self.name!r}: {message}", kind, node=where)

    def name_argument(self) -> str | None:
        name = " ".join(self.arguments[0].split()) if self.arguments else ""
        return name or None

    def entry_name(self, kind: str) -> tuple[str | None, str]:
        """The entry's name (``None``, reported, when it has none) and how messages call the
        entry: ``project 'multus-cni'``, or ``project``."""
        name = self.name_argument()
        if name is None:
            self.problem(Code.MISSING_NAME, f"{kind} has no name (write ':::{{{kind}}} NAME')")
            return None, kind
        return name, f"{kind} {name!r}"

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
            self.problem(invalid.code, f"{subject}: {invalid.message}{invalid.hint}", key)
            return None

    def unique_id(self, stem: str) -> str:
        """*stem*, or ``stem-2``, ``stem-3``... when the page already has that id."""
        return unique_id(self.state.document, stem)

    def problem(self, code: Code, message: str, option: str | None = None) -> None:
        lineno = self.option_line(option) if option else self.line
        self.doc_record.diagnostics.append(
            Diagnostic(self.env.docname, lineno, code, message, self.source_file)
        )

    def option_line(self, key: str) -> int:
        """The line of option *key*, or of the directive when it has no such option."""
        return self._option_lines.get(key, self.line)
