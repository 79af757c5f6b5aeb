""" "Did you mean ...?": the nearest allowed word to a mistyped one, for every diagnostic that
knows what is allowed (statuses, priorities, depths, options, project names).

Similarity is :func:`difflib.get_close_matches` (the standard library's ratio of matching
characters, with its default cutoff of 0.6): no hint rather than a far-fetched one."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable


def closest(
    word: str, choices: Iterable[str], fold: Callable[[str], str] = str.casefold
) -> str | None:
    """The choice nearest to *word* once both are folded (case-insensitively by default), or
    ``None`` when none is close; of equally near choices, the first of those that fold alike."""
    by_folded: dict[str, str] = {}
    for choice in choices:
        by_folded.setdefault(fold(choice), choice)
    target = fold(word)
    if not target or target in by_folded:  # nothing typed, or a match that is no typo
        return None
    found = difflib.get_close_matches(target, list(by_folded), n=1)
    return by_folded[found[0]] if found else None


def did_you_mean(
    word: str,
    choices: Iterable[str],
    shown: str = "'{}'",
    fold: Callable[[str], str] = str.casefold,
) -> str:
    """``"; did you mean 'beta'?"`` to end a message with, or ``""`` when no choice is close;
    *shown* formats the choice (``"':{}:'"`` for an option)."""
    near = closest(word, choices, fold)
    return "" if near is None else f"; did you mean {shown.format(near)}?"
