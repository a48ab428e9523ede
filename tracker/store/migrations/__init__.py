"""Schema steps, one function each, applied in order by sqlite-utils ``Migrations``.

Never edit a step that has shipped: add a new one, in the last step module or a new
one imported below (the import order is the order the steps run in), and name it in
``tracker.store.steps.KNOWN_STEPS``. ``KNOWN`` lists every step's name so the store can
tell a file written by a newer version (one with steps we do not know).
"""

from __future__ import annotations

from tracker.store.migrations import steps_001_005, steps_006_009, steps_010_012  # noqa: F401
from tracker.store.migrations.base import migrations

KNOWN = [m.name for m in migrations._migrations]
"""Every step's name, in the order the steps run."""

__all__ = ["KNOWN", "migrations"]
