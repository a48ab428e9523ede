"""What-if: the review replayed over the rep's own history with changed settings
(``tracker.whatif`` replays, ``tracker.tradeoffs`` weighs; DOMAIN.md, "What-if")."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import fields
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from tracker.config import Settings, settings_with
from tracker.errors import UsageError
from tracker.service.base import ServiceBase
from tracker.timeutil import local_date, now_utc, start_of_day

if TYPE_CHECKING:  # the replay's rules load with the first what-if, not with the service
    from tracker.history import Row
    from tracker.whatif import ContactHistory
    from tracker.whatif_report import WhatIf

DEFAULT_DAYS = 365
"""How far back a what-if replays by default: a year, or from the first touch if later."""
WHERE = "--set"
"""How errors in the changes name where they came from."""
REPLAYED_SECTION = "review"
NOT_REPLAYED = frozenset({"timezone"})
"""Review settings a replay cannot change: days are counted in the rep's own zone."""


def replayed_keys() -> dict[str, str]:
    """The settings a what-if can change, as ``section.name`` by name."""
    return {
        spec.name: f"{REPLAYED_SECTION}.{spec.name}"
        for spec in fields(Settings)
        if spec.metadata["section"] == REPLAYED_SECTION and spec.name not in NOT_REPLAYED
    }


class WhatIfMixin(ServiceBase):
    """Replaying the review over past days under changed settings."""

    def what_if_settings(self, assignments: Sequence[str]) -> tuple[Settings, list[str]]:
        """Today's settings with each ``KEY=VALUE`` applied (a key as ``outreach
        settings`` lists it, ``review.stale_invite_days``, or its bare name; a value
        as ``settings set`` reads it), checked as ``config.toml`` is; and the names
        changed, in order. ``UsageError`` for a bad or repeated key or a bad value."""
        from tracker.config_write import parse_value, resolve_key  # tomlkit: when used

        if not assignments:
            raise UsageError("give a setting to change: --set review.stale_invite_days=21")
        values: dict[str, Any] = {}
        for assignment in assignments:
            key, equals, raw = assignment.partition("=")
            if not equals or not key.strip():
                raise UsageError(f"{WHERE} {assignment!r}: write KEY=VALUE")
            section, name = resolve_key(key)
            if section != REPLAYED_SECTION or name in NOT_REPLAYED:
                raise UsageError(
                    f"{WHERE} {section}.{name}: only the review's settings can be replayed"
                    f" ({', '.join(replayed_keys().values())})"
                )
            if name in values:
                raise UsageError(f"{WHERE} {section}.{name} is given twice")
            values[name] = parse_value(name, raw.strip())
        return settings_with(self.settings, values, WHERE), list(values)

    def what_if(
        self,
        assignments: Sequence[str],
        since: date | None = None,
        until: date | None = None,
        capacity: int | None = None,
    ) -> WhatIf:
        """The review replayed each day from ``since`` to ``until`` (default: today)
        under today's settings and with ``assignments`` applied, with the trade-offs of
        the changed thresholds. ``since`` defaults to a year back, or the day of the
        first touch when that is later."""
        from tracker import tradeoffs
        from tracker.whatif import replay
        from tracker.whatif_report import Change, WhatIf

        changed, names = self.what_if_settings(assignments)
        today = local_date(now_utc(), self.tz)
        last = until or today
        if last > today:
            raise UsageError(f"--as-of {last.isoformat()} is in the future: nothing to replay")
        first = since or self._default_since(last)
        if first > last:
            raise UsageError(
                f"--since {first.isoformat()} is after the last day replayed ({last.isoformat()})"
            )
        histories = self.replay_histories(first)
        baseline, load = replay(histories, [self.settings, changed], first, last, self.tz)
        active = [h for h in histories if h.rows]
        current = self.settings
        invites = texts = None
        if changed.stale_invite_days != current.stale_invite_days:
            invites = tradeoffs.invitations(
                active, current.stale_invite_days, changed.stale_invite_days, first, last, self.tz
            )
        if changed.step_back_run != current.step_back_run:
            texts = tradeoffs.texts(
                active, current.step_back_run, changed.step_back_run, first, last, self.tz
            )
        keys = replayed_keys()
        return WhatIf(
            tuple(Change(keys[n], getattr(current, n), getattr(changed, n)) for n in names),
            first,
            last,
            baseline,
            load,
            capacity,
            invites,
            texts,
        )

    def replay_histories(self, first: date) -> list[ContactHistory]:
        """Every contact as a replay from ``first`` reads it: its stored summary, and
        its touch rows when anything was recorded for it on or after that day."""
        from tracker.whatif import ContactHistory

        entries, rows = self.store.replay_history(start_of_day(first, self.tz))
        by_contact: dict[int, list[Row]] = defaultdict(list)
        for row in rows:
            by_contact[row[1]].append(row)
        key_dates = self.store.all_key_dates()
        return [
            ContactHistory(
                contact, state, by_contact.get(contact.id, ()), key_dates.get(contact.id, ())
            )
            for contact, state in entries
        ]

    def _default_since(self, last: date) -> date:
        year_back = last - timedelta(days=DEFAULT_DAYS - 1)
        first_touch = self.store.first_touch_at()
        if first_touch is None:
            return year_back
        return min(max(year_back, local_date(first_touch, self.tz)), last)
