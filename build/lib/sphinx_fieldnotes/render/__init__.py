"""Turning stored entries into nodes: the entry summaries and the index listings."""
