"""Directives for fieldnotes' own documentation, generated from the code, never typed twice."""

from __future__ import annotations

import dataclasses

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from sphinx_fieldnotes.codes import Code
from sphinx_fieldnotes.config import FieldnotesConfig
from sphinx_fieldnotes.i18n import _
from sphinx_fieldnotes.render.tables import Table, table_node


def _no_link(docname: str, anchor: str, text: str) -> nodes.Node:
    raise AssertionError("reference tables hold no entry links")


def _literal(text: str) -> nodes.literal:
    return nodes.literal(text, text)


def _rst_text(text: str) -> list[nodes.Node]:
    """Docstrings use ``double backticks`` for code; render those as literals."""
    parts = text.split("``")
    return [_literal(part) if i % 2 else nodes.Text(part) for i, part in enumerate(parts) if part]


class DiagnosticCodesDirective(SphinxDirective):
    """``fieldnotes-diagnostic-codes``: the table of :class:`sphinx_fieldnotes.codes.Code`."""

    def run(self) -> list[nodes.Node]:
        rows = [
            [_literal(f"fieldnotes.{code.value}"), code.level.value, _rst_text(code.__doc__ or "")]
            for code in Code
        ]
        return [
            table_node(
                Table((_("Code"), _("Level"), _("Meaning")), rows, ["fieldnotes-codes"]), _no_link
            )
        ]


class ConfigValuesDirective(SphinxDirective):
    """``fieldnotes-config-values``: the table of ``fieldnotes_*`` settings and defaults."""

    def run(self) -> list[nodes.Node]:
        rows = []
        for spec in dataclasses.fields(FieldnotesConfig):
            default = spec.default
            shown = ", ".join(default) if isinstance(default, tuple) else repr(default)
            rows.append(
                [
                    _literal(f"fieldnotes_{spec.name}"),
                    _literal(shown),
                    _rst_text(spec.metadata["doc"]),
                ]
            )
        table = Table((_("Setting"), _("Default"), _("Meaning")), rows, ["fieldnotes-config"])
        return [table_node(table, _no_link)]
