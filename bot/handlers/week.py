"""/week: the weekly tracker, as text and as a picture."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from bot.commands import Arg
from bot.context import Context
from bot.messages import Image, Reply, Response, bold, hint, pre, rich
from bot.router import Router
from bot.views import (
    LEGEND,
    MARK_SYMBOLS,
    TITLE_WIDTH,
    column,
    day_label,
)
from core.errors import InvalidInput
from core.habits.history import week_start
from core.habits.service import history_of
from core.habits.tracker import week_rows

router = Router()


def _which_week(arg: str, today: date) -> date:
    a = " ".join(arg.lower().split()).removesuffix(" week")  # 'last week', 'this week'
    if a in {"", "this", "now"}:
        return week_start(today)
    if a in {"last", "previous", "prev"}:
        return week_start(today) - timedelta(days=7)
    try:
        day = date.fromisoformat(a)
    except ValueError:
        example = (today - timedelta(days=7)).isoformat()  # a day that works, whenever
        raise InvalidInput(
            f"Say /week, /week last or /week {example} (any day of that week)."
        ) from None
    if week_start(day) > week_start(today):  # a later day of this week is this week
        raise InvalidInput("That week hasn't happened yet.")
    return week_start(day)


@router.command(
    "week",
    "This week's tracker, as text and as a picture",
    Arg.text("week", "last, or a date in the week you want (YYYY-MM-DD)", label="last|DATE"),
    family="habit",
)
async def week(ctx: Context) -> Response:
    today = ctx.today
    monday = _which_week(ctx.args.text("week"), today)
    sunday = monday + timedelta(days=6)
    habits = await ctx.habits.active(ctx.user)
    if not habits:
        return Response.say(hint("No habits yet, so no week to show. Start with /newhabit."))
    logs = await ctx.habits.logs(habits, since=monday, until=sunday)
    histories = [(h.title, history_of(h, logs.get(h.id, {}))) for h in habits]
    rows = week_rows(histories, monday, today)  # a habit begun after that week has no row
    if not rows:
        return Response.say(
            "None of your habits existed yet that week. ", hint("Send /week for this week's.")
        )
    header = " " * (TITLE_WIDTH + 1) + " ".join("MTWTFSS")
    table = [header] + [
        (f"{column(title)} " + " ".join(MARK_SYMBOLS[m] for m in marks)).rstrip()
        for title, marks in rows
    ]
    title = f"Week of {day_label(monday)}"
    from bot.charts import render_week_grid  # Pillow: loaded at the first picture

    png = await asyncio.to_thread(render_week_grid, title, monday, rows, today)
    text = rich(bold(title), "\n", pre("\n".join(table)), LEGEND)
    image = Image(png, f"week-{monday.isoformat()}.png", caption=rich(title))
    return Response([Reply(text=text, personal=True), Reply(image=image, personal=True)])
