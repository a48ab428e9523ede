"""The insights as the service assembles them (``outreach stats``, the Insights screen):
the store counts in SQL (invitations by what they are compared on, the reply facts by
channel and local hour, contacts by local day), ``tracker.stats`` and ``tracker.replies``
turn the counts into figures. Nothing here reads a history row by row, so the figures
cost about the same at 300,000 touches as at 300.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from tracker.ahead import Ahead
from tracker.local_time import (
    DAY,
    QUARTER,
    WEEK_QUARTERS,
    WINDOW,
    day_cut,
    epoch,
    local_day,
    naive_day,
    offsets,
)
from tracker.local_time import stored_text as stored_seconds
from tracker.models import Segment
from tracker.replies import ReplyCounts, reply_figures
from tracker.service.base import ServiceBase
from tracker.service.values import choice
from tracker.timeutil import Clock, start_of_day, to_stored

if TYPE_CHECKING:
    from tracker.service.tracker import Tracker
    from tracker.store.replies import ReplyCells


class InsightsMixin(ServiceBase):
    """Every insight figure for a period, a tag and a segment."""

    def stats(
        self,
        since: date | None = None,
        tag: str = "",
        segment: str = "",
        as_of: datetime | str | None = None,
        replies: bool = True,
    ) -> dict[str, Any]:
        """Every insight figure for the period from ``since`` (all time when ``None``);
        without ``replies``, all but the reply figures (``REPLY_KEYS``), which
        ``reply_stats`` gives apart: the Insights screen shows the rest first."""
        if segment:
            segment = choice(Segment, segment, "segment")
        clock = cast("Tracker", self).clock(as_of)
        since_at = start_of_day(since, self.tz) if since else None
        result: dict[str, Any] = {
            "as_of": clock.as_of.astimezone(self.tz).isoformat(),
            "since": since.isoformat() if since else None,
            "tag": tag or None,
            "segment": segment or None,
            "min_sample": self.settings.min_sample,
        }
        # The replies' count, the dearest read, runs on a connection of its own meanwhile.
        replying = self._replies_ahead(clock, since_at, tag, segment) if replies else None
        result.update(self._acceptance(clock, since_at, tag, segment))
        pipeline = self._pipeline(clock, tag, segment)
        ritual = self._ritual(clock, tag, segment)
        if replying is not None:
            result.update(replying.result())
        result["pipeline"] = pipeline
        result["ritual"] = ritual
        return result

    def reply_stats(
        self,
        since: date | None = None,
        tag: str = "",
        segment: str = "",
        as_of: datetime | str | None = None,
    ) -> dict[str, Any]:
        """The reply figures ``stats`` leaves out without ``replies`` (``REPLY_KEYS``)."""
        return self.reply_stats_ahead(since, tag, segment, as_of).result()

    def reply_stats_ahead(
        self,
        since: date | None = None,
        tag: str = "",
        segment: str = "",
        as_of: datetime | str | None = None,
    ) -> Ahead[dict[str, Any]]:
        """``reply_stats`` started now: the store counts on a connection of its own while
        this thread goes on (the Insights screen works out its other figures meanwhile);
        the figures are worked out from the count when asked for (``result()``)."""
        if segment:
            segment = choice(Segment, segment, "segment")
        clock = cast("Tracker", self).clock(as_of)
        since_at = start_of_day(since, self.tz) if since else None
        return self._replies_ahead(clock, since_at, tag, segment)

    def _acceptance(
        self, clock: Clock, since_at: datetime | None, tag: str, segment: str
    ) -> dict[str, Any]:
        """The acceptance figures: the plain invitations counted by the store, the
        others (see ``store/invitation_counts.py``) added one by one."""
        from tracker import stats

        since = to_stored(since_at) if since_at else ""
        young = day_cut(clock.today - timedelta(days=self.settings.stale_invite_days - 1), self.tz)
        found = self.store.invitation_counts(to_stored(clock.as_of), since, young, tag, segment)
        groups = [
            stats.InvitationGroup(
                bool(note), moment or "unrecorded", template or "none", False,
                status or "pending", False, count,
            )
            for template, moment, note, status, count in found.kinds
        ]  # fmt: skip
        segments = []
        for name, first, *counts in found.segments:
            for note, (count, accepted, pending) in ((True, counts[:3]), (False, counts[3:])):
                for status, number in (
                    ("accepted", accepted),
                    ("pending", pending),
                    ("", count - accepted - pending),  # decided otherwise
                ):
                    if number:
                        segments.append(
                            stats.SegmentGroup(name or "other", note, status, False, number, first)
                        )
        waits = list(found.waits)
        for name, note, moment, template, resend, status, young_, contact in found.special:
            groups.append(
                stats.InvitationGroup(
                    bool(note), moment, template, bool(resend), status, bool(young_), 1
                )
            )
            segments.append(stats.SegmentGroup(name, bool(note), status, bool(young_), 1, contact))
        waits.sort()
        return stats.acceptance(groups, segments, waits, self.settings)

    def _replies_ahead(
        self, clock: Clock, since_at: datetime | None, tag: str, segment: str
    ) -> Ahead[dict[str, Any]]:
        """The reply figures, their count started now (``store.reply_cells_ahead``) and
        the figures worked out from it when asked for. The store
        counts by UTC quarter-hour, split by the offsets the zone had over the period (a
        quarter-hour under one offset is one local hour); offsets that split a
        quarter-hour (none since 1980) are counted by each message's local hour."""
        store = self.store
        until = epoch(clock.as_of)
        since = epoch(since_at) if since_at else None
        first = store.first_touch_at()
        start = since if since is not None else epoch(first) if first else until
        run = self.settings.step_back_run
        zone = offsets(self.tz, min(start, until), until)
        kinds = sorted({offset for _, offset in zone.spans if offset % QUARTER == 0})
        eras = [(at, kinds.index(o) if o in kinds else -1) for at, o in zone.spans]
        shifts = [kind // QUARTER for kind in kinds]

        def fill(found: ReplyCells) -> tuple[ReplyCounts, set[int]]:
            """The count by kind and local hour, each slot's waits sorted (in the
            counting thread)."""
            counts = ReplyCounts()
            sent, waits, slot = counts.sent, counts.waits, counts.slot
            for index, (channel, first_message, quarter, total, *later) in enumerate(found.cells):
                base = slot(channel, bool(first_message), 0)
                for era, count in enumerate((total - sum(later), *later)):
                    if count:
                        at = base + (quarter + shifts[era]) % WEEK_QUARTERS // 4
                        sent[at] += count
                        cell_waits = found.waits[era][index]
                        if cell_waits:
                            waits[at] += cell_waits
            counts.sort()
            return counts, set(found.stepped_back)

        def figures(filled: tuple[ReplyCounts, set[int]]) -> dict[str, Any]:
            counts, stepped = filled
            odd = [
                span
                for offset, spans in zone.by_offset().items()
                if offset % QUARTER
                for span in spans
            ]
            if odd:
                for channel, first_message, hour, count, answered, runs in store.reply_hours(
                    since, until, odd, zone, run, tag, segment
                ):
                    counts.add(channel, first_message, hour, count, answered)
                    stepped.update(runs)
            return reply_figures(counts, len(stepped))

        return store.reply_cells_ahead(since, until, eras, run, tag, segment, fill).then(figures)

    def _pipeline(self, clock: Clock, tag: str, segment: str) -> dict[str, Any]:
        from tracker import stats

        store, today = self.store, clock.today
        week_end = today + timedelta(days=6)
        cuts = [day_cut(day, self.tz) for day in stats.quiet_days(today)]
        return stats.pipeline(
            store.pending_since(tag, segment),
            store.follow_up_counts(today.isoformat(), week_end.isoformat(), tag, segment),
            store.quiet_counts(cuts, tag, segment),
            clock,
        )

    def _ritual(self, clock: Clock, tag: str, segment: str) -> dict[str, Any]:
        from tracker import stats

        store, as_of = self.store, to_stored(clock.as_of)
        until = epoch(clock.as_of)
        first_day, first_monday = stats.ritual_start(clock)
        touches_from = start_of_day(first_day, self.tz)
        invitations_from = naive_day(first_monday) - WINDOW
        touches = store.touches_by_day(
            to_stored(touches_from),
            as_of,
            offsets(self.tz, min(epoch(touches_from), until), until),
            tag,
            segment,
        )
        invitations = store.invitations_by_day(
            stored_seconds(invitations_from),
            as_of,
            offsets(self.tz, min(invitations_from, until), until),
            tag,
            segment,
        )
        return stats.ritual(
            store.closed_reviews(),
            [(local_day(day * DAY), count) for day, count in touches],
            [(local_day(day * DAY), count) for day, count in invitations],
            store.streak(clock.today),
            clock,
            self.settings,
        )
