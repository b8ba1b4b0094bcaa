"""/remind, /reminders, /unremind, /quiethours, and the Done / Snooze / Skip reminder buttons."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from bot.buttons import REMINDER_DONE, REMINDER_SKIP, REMINDER_SNOOZE, button_payload
from bot.commands import Arg, Where
from bot.context import Context
from bot.messages import (
    Button,
    Reply,
    Response,
    Span,
    bold,
    command,
    example,
    hint,
    italic,
    lines,
    rich,
)
from bot.router import Router
from bot.views import day_label, day_stamp, done_text, parse_day_stamp, relative_day
from core.days import in_checkin_window
from core.db.models import Habit, Reminder
from core.errors import InvalidInput
from core.habits.history import CheckinStatus
from core.habits.schedule import Schedule, ScheduleError, ScheduleKind, parse_said
from core.notify.producer import in_quiet_hours
from core.numbers import parse_int
from core.reminders.service import looks_like_time, parse_time
from core.reminders.timing import ALL_DAYS, due_days, next_occurrence
from core.text import shorten
from core.timezones import zone_label

router = Router()
SECTION = "Reminders"
SNOOZE = timedelta(hours=1)


def reminder_reply(
    reminder: Reminder, habit: Habit, day: date, payload: dict[str, Any], today: date
) -> Reply:
    """The reminder message with its buttons (what delivery sends). `day` is the day it is for,
    `today` the person's day as it goes out: a reminder snoozed past midnight is still its own
    day's, and says so, its Skip button naming that day."""
    stamp = day_stamp(day)
    parts: list[str | Span] = ["⏰ Time for ", bold(habit.title)]
    if payload.get("snoozed"):
        parts = ["⏰ Snoozed reminder: ", bold(habit.title)]
    if day != today:
        which = "yesterday, " if (today - day).days == 1 else ""
        parts += ["\n", italic(f"(For {which}{day_label(day)}.)")]
    if habit.implementation_intention:
        parts += ["\n", habit.implementation_intention]
    if habit.minimal_dose:
        parts += ["\n", italic(f"Even the smallest version counts: {habit.minimal_dose}")]
    if payload.get("late"):
        parts += ["\n", italic(f"(A bit late: this was due at {payload.get('local_time')}.)")]
    skip = "Skip today" if day == today else f"Skip {_day_name(day, today)}"
    buttons = [
        Button("✓ Done", button_payload(REMINDER_DONE, reminder.id, stamp)),
        Button("💤 1 hour", button_payload(REMINDER_SNOOZE, reminder.id, stamp)),
        Button(skip, button_payload(REMINDER_SKIP, reminder.id, stamp)),
    ]
    return Reply.of(rich(*parts), buttons=[buttons], personal=True)


def _day_name(day: date, today: date) -> str:
    return "yesterday" if (today - day).days == 1 else day_label(day)


def _days(words: list[str]) -> int:
    """'mon wed fri', 'weekdays', 'on weekdays', 'every day', 'on mondays' -> a weekday mask."""
    if not words:
        return ALL_DAYS
    try:
        schedule = parse_said(" ".join(words))  # 'mondays': each Monday
    except ScheduleError:
        raise InvalidInput(
            "After the time, name the days, for example mon wed fri, weekdays or weekends."
        ) from None
    if schedule.kind is ScheduleKind.WEEKLY:
        raise InvalidInput("Reminders go on chosen days: say mon wed fri, weekdays or daily.")
    return schedule.weekday_mask or ALL_DAYS


def _describe(mask: int) -> str:
    if mask == ALL_DAYS:
        return "every day"
    return Schedule.on_weekdays({d for d in range(7) if mask & (1 << d)}).describe()


def _due_days(mask: int, habit: Habit) -> int:
    """The days the reminder comes (the producer holds it back on the habit's rest days)."""
    return due_days(mask, habit.schedule_kind, habit.weekday_mask)


@router.command(
    "remind",
    "A reminder for a habit at your local time",
    Arg.habit(required=True),
    Arg.time(),
    Arg.text("days", "Weekdays, e.g. mon wed fri (default: the habit's days)", label="mon wed fri"),
    where=Where.PRIVATE,
    section=SECTION,
)
async def remind(ctx: Context) -> Response:
    at = ctx.args.time()
    assert at is not None  # required: bot/arguments.py answered a missing one
    mask = _days(ctx.args.text("days").split())
    habit = await ctx.habits.find(ctx.user, ctx.args.habit())
    due = _due_days(mask, habit)
    if not due:
        return Response.say(
            bold(habit.title),
            f" is due {habit.schedule.phrase()}, so a reminder on {_describe(mask)} would never"
            " come."
            " Name some of its days, or none for all of them.",
        )
    await ctx.reminders.add(ctx.user, habit, at, mask)
    day_start = ctx.user.settings.day_start_hour
    next_local = next_occurrence(at, ctx.tz, ctx.now, due, day_start).astimezone(ctx.tz)
    settings = ctx.user.settings
    span = quiet_span(settings.quiet_start, settings.quiet_end)
    quiet: list[str | Span] = (
        [
            f"\nThat is in your quiet hours ({span}), so it won't come while they last (",
            command("quiethours", "off", as_code=False),
            ").",
        ]
        if in_quiet_hours(settings, at.hour)  # the producer holds such a reminder back
        else []
    )
    return Response.say(
        "I'll remind you of ",
        bold(habit.title),
        f" at {at:%H:%M} {_describe(due)} "
        f"({zone_label(settings.timezone)}). Next: {day_label(next_local.date())}, "
        f"{next_local:%H:%M}.",
        *quiet,
    )


def quiet_span(start: int | None, end: int | None) -> str:
    return f"{start:02d}:00–{end:02d}:00" if start is not None and end is not None else "off"


@router.command(
    "reminders",
    "Your reminders",
    where=Where.PRIVATE,
    section=SECTION,
)
async def reminders(ctx: Context) -> Response:
    pairs = await ctx.reminders.for_user(ctx.user)
    if not pairs:
        return Response.say("No reminders yet. Add one: ", example("/remind read 07:30"), ".")
    rows = [
        f"{i}. {r.local_time:%H:%M} {_describe(_due_days(r.weekday_mask, h))} · {h.title}"
        for i, (r, h) in enumerate(pairs, 1)
    ]
    return Response.say(
        bold("Your reminders"),
        f" ({zone_label(ctx.user.settings.timezone)})\n",
        lines(rows),
        hint("\nRemove one with /unremind N."),
    )


@router.command(
    "unremind",
    "Remove a reminder",
    Arg.number(
        "number",
        "Its number in /reminders",
        low=1,
        required=True,
        label="N",
        invalid="Give the number of a reminder from /reminders.",
    ),
    help="N is the reminder's number in /reminders.",
    where=Where.PRIVATE,
    section=SECTION,
)
async def unremind(ctx: Context) -> Response:
    service = ctx.reminders
    pairs = await service.for_user(ctx.user)
    n = ctx.args.number("number")
    if n is None or n > len(pairs):
        return Response.say(
            f"Give the number of a reminder from /reminders (you have {len(pairs)})."
        )
    reminder, habit = pairs[n - 1]
    await service.remove(reminder)
    return Response.say(
        f"Removed the {reminder.local_time:%H:%M} reminder for ", bold(habit.title), "."
    )


@router.command(
    "quiethours",
    "No reminders between these hours",
    Arg.text("hours", "e.g. 22-7, or off", required=True, label="22-7|off"),
    where=Where.PRIVATE,
    section=SECTION,
    bare=True,
)
async def quiethours(ctx: Context) -> Response:
    arg = ctx.args.text("hours").lower().replace(" ", "")
    settings = ctx.user.settings
    if arg in {"off", "none"}:
        settings.quiet_start = settings.quiet_end = None
        return Response.say("Quiet hours are off.")
    start, end = _hours(arg)
    if start is None or end is None:
        now = quiet_span(settings.quiet_start, settings.quiet_end)
        typed = ctx.args.text("hours").strip()
        unread = (
            f"I can't read {shorten(typed, 30)!r} as quiet hours: two hours from 0 to 23.\n"
            if typed
            else ""
        )
        return Response.say(
            unread,
            f"Quiet hours: {now}. Set them like ",
            example("/quiethours 22-7"),
            " or turn them off with ",
            example("/quiethours off"),
            ".",
        )
    if start == end:
        return Response.say(
            f"Quiet hours from {start:02d}:00 to {end:02d}:00 would be no hours at all: give two "
            "different hours, like ",
            example("/quiethours 22-7"),
            ". Nothing changed.",
        )
    settings.quiet_start, settings.quiet_end = start, end
    held = [
        f"{r.local_time:%H:%M} ({h.title})"
        for r, h in await ctx.reminders.for_user(ctx.user)
        if in_quiet_hours(settings, r.local_time.hour)
    ]
    note = ""
    if held:
        which = (
            f"Your reminder at {held[0]}"
            if len(held) == 1
            else (f"Your reminders at {', '.join(held)}")
        )
        verb = "falls" if len(held) == 1 else "fall"
        it = "it" if len(held) == 1 else "they"
        note = f"\n{which} {verb} in them, so {it} won't come while they last."
    return Response.say(f"No reminders from {start:02d}:00 to {end:02d}:00.{note}")


_SPAN = re.compile(r"(.+?)(?:-|–|—|to|until|till)(.+)")


def _hours(arg: str) -> tuple[int | None, int | None]:
    """'22-7', '22:00-07:00', '10pm-7am', '22 to 7' (spaces already gone) -> (22, 7); None for
    a side that is not a whole hour of the day."""
    span = _SPAN.fullmatch(arg)
    if span is None:
        return None, None
    return _hour(span.group(1)), _hour(span.group(2))


def _hour(text: str) -> int | None:
    whole = parse_int(text, 0, 23)
    if whole is not None:
        return whole
    at = parse_time(text) if looks_like_time(text) else None
    return at.hour if at is not None and at.minute == 0 else None


async def _reminder_habit(ctx: Context, args: list[str]) -> tuple[Reminder, Habit] | None:
    reminder_id = parse_int(args[0]) if args else None
    if reminder_id is None:
        return None
    reminder = await ctx.reminders.get(reminder_id)
    if reminder is None:
        return None
    habit = await ctx.habits.get_owned(ctx.user, reminder.habit_id)
    return (reminder, habit) if habit is not None else None


def _day(args: list[str], ctx: Context) -> date | None:
    day = parse_day_stamp(args[1]) if len(args) > 1 else None
    return day if day is not None and in_checkin_window(day, ctx.today) else None


def _for_day(day: date, today: date) -> str:
    """The day a button acted on, as its reply says it: 'today', or by name when it is another
    (a reminder pressed after midnight is still its own day's, whatever its button said)."""
    when = relative_day(day, today)
    return when if day == today else f"for {day:%A} ({when})"


async def _check(ctx: Context, args: list[str], status: CheckinStatus) -> Response:
    found = await _reminder_habit(ctx, args)
    day = _day(args, ctx)
    if found is None or day is None:
        return Response(notice="That reminder no longer applies.")
    _reminder, habit = found
    await ctx.habits.check_in(habit, day, status)
    recent = (await ctx.habits.recent([habit], ctx.today))[habit.id]
    stats = recent.stats
    when = _for_day(day, ctx.today)
    if recent.history.status(day) is not status:  # a skip never replaces a done
        text = rich(bold(habit.title), f" was already done {when}.")
        return Response([Reply(text=text, edit=True, personal=True)], notice="Already done")
    if status is CheckinStatus.DONE:
        text = done_text(habit, day, when, stats)  # as /done says it
        return Response([Reply(text=text, edit=True, personal=True)], notice="Done!")
    text = rich("Skipped ", bold(habit.title), f" {when}. Your streak is safe.")
    return Response([Reply(text=text, edit=True, personal=True)], notice="Skipped")


@router.button(REMINDER_DONE)
async def press_done(ctx: Context, args: list[str]) -> Response:
    return await _check(ctx, args, CheckinStatus.DONE)


@router.button(REMINDER_SKIP)
async def press_skip(ctx: Context, args: list[str]) -> Response:
    return await _check(ctx, args, CheckinStatus.SKIPPED)


@router.button(REMINDER_SNOOZE)
async def press_snooze(ctx: Context, args: list[str]) -> Response:
    found = await _reminder_habit(ctx, args)
    if found is None:
        return Response(notice="That reminder no longer applies.")
    reminder, habit = found
    until = ctx.now + SNOOZE
    # The day the reminder was for (buttons sent before it was carried: today).
    ctx.reminders.snooze(reminder, until, _day(args, ctx) or ctx.today)
    local = until.astimezone(ctx.tz)
    text = rich("💤 I'll remind you of ", bold(habit.title), f" again at {local:%H:%M}.")
    return Response([Reply(text=text, edit=True, personal=True)], notice="Snoozed for an hour")
