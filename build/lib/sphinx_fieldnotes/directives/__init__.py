"""The directives authors write: one module per family."""
