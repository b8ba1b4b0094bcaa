"""/stats: streaks, 66-day progress, habit strength, 7- and 30-day rates, a year heatmap."""

from __future__ import annotations

import asyncio

from bot.buttons import STATS, button_payload
from bot.commands import Arg
from bot.context import Context
from bot.handlers.toolbox import technique_labels
from bot.messages import Button, Image, Reply, Response, Span, bold, example, hint, pre, rich
from bot.router import Router
from bot.views import (
    TITLE_WIDTH,
    button_title,
    column,
    percent,
    plural,
    progress_note,
    progress_text,
)
from core.db.models import Habit
from core.numbers import parse_int

router = Router()


@router.command(
    "stats",
    "Streaks, 66-day progress, habit strength and a year heatmap",
    Arg.habit(),
    family="habit",
    tried=("statistics", "progress", "streak", "streaks", "strength"),
)
async def stats(ctx: Context) -> Response:
    ref = ctx.args.habit()
    habits = await ctx.habits.active(ctx.user)
    if not habits:
        return Response.say(hint("No habits yet. Start with /newhabit."))
    if ref or len(habits) == 1:
        habit = await ctx.habits.find(ctx.user, ref, habits) if ref else habits[0]
        return await _details(ctx, habit)
    return await _overview(ctx, habits)


async def _overview(ctx: Context, habits: list[Habit]) -> Response:
    today = ctx.today
    recent = await ctx.habits.recent(habits, today)
    width = TITLE_WIDTH
    table = [f"{'':<{width}} streak best strength 30d"]
    for h in habits:
        s = recent[h.id].stats
        unit = "w" if s.streak_unit == "weeks" else "d"
        table.append(
            f"{column(h.title, width)} {s.current_streak:>5}{unit} {s.best_streak:>3}{unit}"
            f" {percent(s.strength):>8} {percent(s.rate_30):>4}"
        )
    buttons = [
        [Button(f"{i}. {button_title(h.title)}", button_payload(STATS, h.id))]
        for i, h in enumerate(habits, 1)
    ]
    return Response.say(
        bold("Your habits"),
        "\n",
        pre("\n".join(table)),
        "Tap a habit for its details and heatmap, or send ",
        example("/stats HABIT"),
        ".",
        buttons=buttons,
        personal=True,
    )


async def _details(ctx: Context, habit: Habit) -> Response:
    from bot.charts import heatmap_start, render_heatmap  # Pillow: loaded at the first picture

    today = ctx.today
    recent = (await ctx.habits.recent([habit], today, since=heatmap_start(today)))[habit.id]
    history, s = recent.history, recent.stats
    unit = s.streak_unit.rstrip("s")
    parts: list[str | Span] = [
        bold(habit.title),
        f" ({habit.schedule.describe()})\n",
        f"Current streak: {plural(s.current_streak, unit)} · best: {plural(s.best_streak, unit)}\n",
        f"Progress: {progress_text(s.done_total)}\n",
        f"Habit strength: {percent(s.strength)}\n",
        f"Done in the last 7 days: {percent(s.rate_7)} · 30 days: {percent(s.rate_30)}\n",
    ]
    techniques = (await ctx.toolbox.for_habits([habit.id])).get(habit.id, [])
    if techniques:
        parts.append(f"Techniques: {', '.join(technique_labels(techniques))}\n")
    parts.append(progress_note())
    png = await asyncio.to_thread(render_heatmap, habit.title, history, today)
    image = Image(png, f"heatmap-{habit.id}.png", caption=rich("Your year of ", bold(habit.title)))
    return Response([Reply(text=rich(*parts), personal=True), Reply(image=image, personal=True)])


@router.button(STATS)
async def press_stats(ctx: Context, args: list[str]) -> Response:
    habit_id = parse_int(args[0]) if args else None
    habit = await ctx.habits.get_owned(ctx.user, habit_id) if habit_id is not None else None
    if habit is None:
        return Response(notice="That habit isn't on your list (any more).")
    return await _details(ctx, habit)
