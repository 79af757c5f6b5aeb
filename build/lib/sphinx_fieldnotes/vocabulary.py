"""The words of the fieldnotes language, declared once: no imports, so any module (the Sphinx
extension, the importer, lint) can read them without loading anything else."""

#: ``:date:`` / ``:version:`` when the notes do not record one (never guessed).
UNRECORDED = "unrecorded"
#: ``:version:`` when no release existed at that date.
UNRELEASED = "unreleased"

#: Default ``fieldnotes_statuses``, in the order listings show them.
STATUSES = ("released", "beta", "alpha", "experimental", "unreleased", "deprecated", "archived")
#: Default ``fieldnotes_priorities``, most urgent first.
PRIORITIES = ("P0", "P1", "P2", "P3")
#: ``todo-item :depth:`` values; the first is the default.
DEPTHS = ("basic", "deep")

#: Directives authors write about entries.
ENTRY_DIRECTIVES = ("project", "update", "todo-item")
#: Directives that list entries from every page.
INDEX_DIRECTIVES = ("project-index", "timeline", "todo-list", "review-queue", "fieldnotes-overview")
#: Directives that generate fieldnotes' own reference tables (in the authoring guide).
REFERENCE_DIRECTIVES = ("fieldnotes-diagnostic-codes", "fieldnotes-config-values")
#: Every directive fieldnotes registers.
DIRECTIVES = ENTRY_DIRECTIVES + INDEX_DIRECTIVES + REFERENCE_DIRECTIVES
