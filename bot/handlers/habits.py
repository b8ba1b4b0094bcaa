"""/habits: today's list with a Done button per habit, updated in place when pressed."""

from __future__ import annotations

from datetime import date

from bot.buttons import BUTTON_GONE, HABIT_DONE, HABIT_UNDO, HABITS_PAGE, button_payload
from bot.context import Context
from bot.messages import Button, Reply, Response, Span, bold, example, rich
from bot.paging import page_of, pager
from bot.router import Router
from bot.views import (
    MARK_SYMBOLS,
    button_title,
    day_label,
    day_stamp,
    parse_day_stamp,
    relative_day,
    streak_text,
)
from core.days import in_checkin_window
from core.db.models import Habit
from core.habits.archive import MAX_ACTIVE_HABITS
from core.habits.history import CheckinStatus, DayMark
from core.habits.tracker import day_mark
from core.numbers import parse_int

router = Router()


async def today_list(
    ctx: Context,
    day: date | None = None,
    *,
    edit: bool = False,
    page: int | None = None,
    focus: int | None = None,
) -> Reply:
    """The person's habits for one day with a button each: Done, or Undo when already done.
    Where a message holds fewer buttons than there are habits, the buttons page (Previous and
    Next) while the text lists them all; a press keeps the page of habit `focus` (an id)."""
    day = day or ctx.today
    habits = await ctx.habits.active(ctx.user)
    if not habits:
        return Reply.of(
            "You have no habits yet. Create one with ",
            example("/newhabit"),
            " or ",
            example("/newhabit Read 10 pages"),
            ".",
            edit=edit,
            personal=True,
        )
    recent = await ctx.habits.recent(habits, ctx.today)
    title = f"Today · {day_label(day)}" if day == ctx.today else day_label(day)
    parts: list[str | Span] = [bold(title)]
    buttons: list[list[Button]] = []
    marks: list[DayMark] = []
    extra = 0  # done on their rest day: recorded, but nothing was owed
    for i, habit in enumerate(habits, 1):
        history, stats = recent[habit.id].history, recent[habit.id].stats
        mark = day_mark(history, day, ctx.today)
        if mark is DayMark.DONE and not history.schedule.is_scheduled(day):
            extra += 1
        else:
            marks.append(mark)
        symbol = MARK_SYMBOLS[mark] if mark not in (DayMark.FUTURE, DayMark.BEFORE_START) else "○"
        parts.append(f"\n{i}. {symbol} {habit.title} — {streak_text(stats)}")
        buttons.append([_button(habit, day, mark is DayMark.DONE)])
    parts.append("\n\n" + tally(marks, today=day == ctx.today, extra=extra))
    at = next((i for i, h in enumerate(habits) if h.id == focus), 0)
    shown = page_of(len(habits), ctx.request.max_buttons, page, focus=at)
    if shown.paged:
        stamp = day_stamp(day)
        parts.append(f"\nButtons for habits {shown.start + 1}–{shown.stop} of {len(habits)}.")
        buttons = [
            *buttons[shown.start : shown.stop],
            pager(shown, lambda n: button_payload(HABITS_PAGE, stamp, n)),
        ]
    return Reply.of(rich(*parts), buttons=buttons, edit=edit, personal=True)


# The marks of habits that count on a day: due that day, or done or skipped anyway (an
# N-times-a-week habit, optional on any one day, counts once done). A habit done on its rest
# day is no due habit (the week and the streak leave that day out too): it is `extra`.
_COUNTED = (DayMark.DONE, DayMark.SKIPPED, DayMark.PENDING, DayMark.MISSED)


def tally(marks: list[DayMark], *, today: bool, extra: int = 0) -> str:
    """The list's last line: how many of the day's due habits are done (a skip is handled);
    `extra` habits were done on their rest day, said only when nothing was due."""
    due = sum(m in _COUNTED for m in marks)
    done = marks.count(DayMark.DONE)
    skipped = marks.count(DayMark.SKIPPED)
    if not due:
        nothing = "Nothing is due today" if today else "Nothing was due that day"
        return f"{nothing}; {extra} done anyway, well played!" if extra else nothing + "."
    text = f"{done} of {due} done" + (f", {skipped} skipped." if skipped else ".")
    if done == due:
        return text + " Everything done, well played!"
    if done + skipped == due:
        return text + " Nothing left to do, well played!"
    return text


def _button(habit: Habit, day: date, done: bool) -> Button:
    stamp = day_stamp(day)
    if done:
        return Button(
            f"↩ Undo {button_title(habit.title)}", button_payload(HABIT_UNDO, habit.id, stamp)
        )
    return Button(f"✓ {button_title(habit.title)}", button_payload(HABIT_DONE, habit.id, stamp))


@router.command(
    "habits",
    "Today's habits, with a button to check each one in",
    family="habit",
    leaf="list",
    tried=("list", "today", "mine"),
)
async def habits(ctx: Context) -> Response:
    return Response([await today_list(ctx)])


async def _press(ctx: Context, args: list[str], done: bool) -> Response:
    habit_id = parse_int(args[0]) if len(args) == 2 else None
    if habit_id is None:
        return Response(notice=BUTTON_GONE)
    habit = await ctx.habits.get_owned(ctx.user, habit_id)
    if habit is None:
        return Response(
            notice="That habit isn't on your list (any more). Send /habits for your own list."
        )
    day = parse_day_stamp(args[1])
    if day is None:
        return Response(notice=BUTTON_GONE)
    if not in_checkin_window(day, ctx.today):
        return Response(notice="That list is too old to change. Send /habits for today's.")
    # The list's own day, said when it is not today (yesterday's list pressed after midnight).
    which = "" if day == ctx.today else f" ({relative_day(day, ctx.today)})"
    if done:
        await ctx.habits.check_in(habit, day, CheckinStatus.DONE)
        notice = f"✓ {habit.title}{which}"
    else:
        undone = await ctx.habits.undo(habit, day)
        again = ", skipped again" if undone.status is CheckinStatus.SKIPPED else ""
        notice = f"Undone: {habit.title}{which}{again}"
    await ctx.uow.flush()
    return Response([await today_list(ctx, day, edit=True, focus=habit.id)], notice=notice)


@router.button(HABITS_PAGE)
async def press_page(ctx: Context, args: list[str]) -> Response:
    """hp:DAY:PAGE: another page of the day's buttons."""
    day = parse_day_stamp(args[0]) if len(args) == 2 else None
    page = parse_int(args[1], 0, MAX_ACTIVE_HABITS) if len(args) == 2 else None
    if day is None or page is None:
        return Response(notice=BUTTON_GONE)
    if not in_checkin_window(day, ctx.today):
        day = ctx.today
    return Response([await today_list(ctx, day, edit=True, page=page)])


@router.button(HABIT_DONE)
async def press_done(ctx: Context, args: list[str]) -> Response:
    return await _press(ctx, args, done=True)


@router.button(HABIT_UNDO)
async def press_undo(ctx: Context, args: list[str]) -> Response:
    return await _press(ctx, args, done=False)
