"""Stored checkpoints plus a window of recent logs give exactly what the full history gives.

Random lives of a habit: days pass (sometimes the person's time zone moves today back by a
day), check-ins and skips land on today or up to a week back, some are undone, the schedule
changes, the habit is archived for a while (read meanwhile, as /archived does) and restored,
its days away kept as a range (open while archived; or, for a habit archived before ranges
were kept, known only at the restore, which then drops the checkpoint). After every step the
statistics read the way the service reads them (a usable checkpoint and the window's logs,
else the full history and a fresh checkpoint) are compared, field for field and bit for bit,
with `compute_stats` over the full history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from core.habits.aggregate import (
    Checkpoint,
    after_write,
    checkpoint_day,
    checkpoint_of,
    evaluate,
    usable,
    window_start,
)
from core.habits.history import OPEN_END, AwayRanges, CheckinStatus, HabitHistory, merge_away
from core.habits.schedule import Schedule
from core.habits.stats import compute_stats

DONE, SKIPPED = CheckinStatus.DONE, CheckinStatus.SKIPPED

schedules = st.one_of(
    st.just(Schedule.daily()),
    st.frozensets(st.integers(0, 6), min_size=1, max_size=6).map(Schedule.on_weekdays),
    st.integers(1, 6).map(Schedule.times_a_week),
)

# One step: ("days", n) lets n days pass; ("tz", 0) moves today back a day; ("in", k, status)
# and ("undo", k) write the day k days back; ("schedule", s) changes the schedule; ("peek", n)
# reads n days later without keeping the new checkpoint (a read-only transaction), so
# checkpoints of every usable age are read from; ("away", n, legacy) archives the habit today,
# reads it once while archived, and restores it n days later.
steps = st.one_of(
    st.tuples(st.just("away"), st.integers(0, 60), st.booleans()),
    st.tuples(st.just("peek"), st.integers(0, 21)),
    st.tuples(st.just("days"), st.integers(1, 40)),
    st.tuples(st.just("tz"), st.just(0)),
    st.tuples(st.just("in"), st.integers(0, 7), st.sampled_from([DONE, DONE, DONE, SKIPPED])),
    st.tuples(st.just("undo"), st.integers(0, 7)),
    st.tuples(st.just("schedule"), schedules),
)


@dataclass
class Habit:
    """What the database holds for one habit: its row (start, schedule, checkpoint) and logs."""

    schedule: Schedule
    start_date: date
    logs: dict[date, CheckinStatus] = field(default_factory=dict)
    checkpoint: Checkpoint | None = None
    created_on: date | None = None  # the day it was created (None: before that was kept)
    away: AwayRanges = ()

    def __post_init__(self) -> None:
        if self.created_on is None:
            self.created_on = self.start_date

    def read(self, today: date, keep: bool = True) -> None:
        """Read like HabitService.recent and compare with the full computation."""
        full = HabitHistory(
            self.schedule, min([self.start_date, *self.logs]), dict(self.logs), self.away
        )
        expected = compute_stats(full, today)
        if usable(self.checkpoint, self.schedule, today):
            lo = window_start(today)
            entries = {d: s for d, s in self.logs.items() if d >= lo}
            checkpoint = self.checkpoint
        else:
            entries, checkpoint = dict(self.logs), None
        stats, history, kept = evaluate(
            checkpoint, self.schedule, self.start_date, entries, today, self.away
        )
        assert stats == expected
        assert history.start == full.start
        for k in range(8):  # the days /habits and the check-in window show
            day = today - timedelta(days=k)
            assert history.status(day) == full.status(day)
            assert history.counted(day) == full.counted(day)
        assert kept.day == checkpoint_day(today)
        assert kept == checkpoint_of(full, self.start_date, kept.day)
        assert Checkpoint.load(kept.dump()) == kept  # the database column keeps every bit
        if keep:
            self.checkpoint = kept

    def write(self, day: date, status: CheckinStatus | None) -> None:
        """Like HabitService.check_in / undo."""
        if status is not None and day < self.start_date:
            self.start_date = day
        if status is None:
            undone = self.logs.pop(day, None) is not None
            if undone and day == self.start_date and self.created_on is not None:
                # HabitService._restart: the earliest check-in left, or the creation day
                start = min([self.created_on, *self.logs])
                if start != self.start_date:
                    self.start_date, self.checkpoint = start, None
        else:
            self.logs[day] = status
        self.checkpoint = after_write(self.checkpoint, day)

    def archive(self, today: date, legacy: bool) -> None:
        """Like HabitService.archive (a legacy archive kept no range)."""
        if not legacy:
            self.away = merge_away([*self.away, (today, OPEN_END)])

    def restore(self, first: date, back: date) -> None:
        """Like ArchiveMixin._close_away: archived on `first`, back on `back`."""
        closed = [(lo, hi) for lo, hi in self.away if hi != OPEN_END]
        opened = [lo for lo, hi in self.away if hi == OPEN_END]
        first = opened[0] if opened else first
        if first < back:
            closed.append((first, back - timedelta(days=1)))
            if not opened:
                self.checkpoint = after_write(self.checkpoint, first)
        self.away = merge_away(closed)


@settings(max_examples=300, deadline=None)
@given(
    schedule=schedules,
    start=st.dates(date(2024, 1, 1), date(2024, 12, 31)),
    past=st.dictionaries(st.integers(0, 400), st.sampled_from([DONE, DONE, SKIPPED]), max_size=300),
    plan=st.lists(steps, min_size=1, max_size=40),
)
def test_checkpoint_and_window_match_the_full_history(
    schedule: Schedule,
    start: date,
    past: dict[int, CheckinStatus],
    plan: list[tuple[object, ...]],
) -> None:
    # An imported or long-kept history (some of it before the stored start, as bench seeds do).
    habit = Habit(schedule, start + timedelta(days=30))
    habit.logs = {start + timedelta(days=k): s for k, s in past.items()}
    today = start + timedelta(days=401)
    habit.read(today)
    for step in plan:
        kind = step[0]
        if kind == "days":
            n = step[1]
            assert isinstance(n, int)
            today += timedelta(days=n)
        elif kind == "peek":
            n = step[1]
            assert isinstance(n, int)
            habit.read(today + timedelta(days=n), keep=False)
            continue
        elif kind == "away":
            n, legacy = step[1], step[2]
            assert isinstance(n, int) and isinstance(legacy, bool)
            first = today
            habit.archive(today, legacy)
            today += timedelta(days=n)
            habit.read(today)  # /archived reads it while away, and keeps the checkpoint
            habit.restore(first, today)
        elif kind == "tz":
            today -= timedelta(days=1)
        elif kind == "in":
            k, status = step[1], step[2]
            assert isinstance(k, int) and isinstance(status, CheckinStatus)
            habit.write(today - timedelta(days=k), status)
        elif kind == "undo":
            k = step[1]
            assert isinstance(k, int)
            habit.write(today - timedelta(days=k), None)
        else:
            new = step[1]
            assert isinstance(new, Schedule)
            habit.schedule = new  # the row's checkpoint names the schedule it was made for
        habit.read(today)


@settings(max_examples=200, deadline=None)
@given(
    schedule=schedules,
    offset=st.integers(-60, 60),
    past=st.dictionaries(st.integers(0, 120), st.sampled_from([DONE, SKIPPED]), max_size=100),
    later=st.integers(0, 60),
)
def test_a_new_habit_read_day_by_day(
    schedule: Schedule, offset: int, past: dict[int, CheckinStatus], later: int
) -> None:
    """Young habits (start after the checkpoint, inside the window, even after today)."""
    base = date(2025, 3, 1)
    habit = Habit(schedule, base + timedelta(days=offset))
    habit.logs = {base + timedelta(days=k): s for k, s in past.items() if k <= later + 60}
    today = base + timedelta(days=later)
    for _ in range(70):
        habit.read(today)
        today += timedelta(days=1)
