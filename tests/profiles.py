"""The hypothesis profiles of the property-based tests, chosen by ``HYPOTHESIS_PROFILE``.

``ci`` (the default, in ``make test``): few examples, derandomized, so a run is quick and
repeatable. ``long`` (``make fuzz``): many more, random. Neither shrinks: every example runs real
Sphinx builds, so shrinking takes minutes; the failing example (or the steps of a state machine)
is printed anyway.
Each test scales the examples to what one of its examples costs (see :func:`scaled`).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

_COMMON = {
    "deadline": None,
    "phases": [Phase.explicit, Phase.reuse, Phase.generate],
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
}
# stateful_step_count: the edits of one state machine run (one build pair each)
settings.register_profile(
    "ci",
    max_examples=25,
    stateful_step_count=10,
    derandomize=True,
    report_multiple_bugs=False,
    **_COMMON,
)
settings.register_profile("long", max_examples=400, stateful_step_count=25, **_COMMON)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")


def scaled(divisor: int, **overrides: object) -> settings:
    """The chosen profile with 1/*divisor* of its examples (at least one), for tests whose example
    costs *divisor* times a page build or so, and *overrides*."""
    profile = settings.get_profile(PROFILE)
    return settings(profile, max_examples=max(1, profile.max_examples // divisor), **overrides)
