"""/archived and /restore: the habits /deletehabit archived, and bringing one back with its
history (core/habits/archive.py)."""

from __future__ import annotations

from bot.buttons import ARCHIVED, BUTTON_GONE, button_payload
from bot.commands import Arg
from bot.context import Context
from bot.messages import Button, Reply, Response, Rich, Span, bold, hint, rich
from bot.router import Router
from bot.views import button_title, day_label, plural
from core.clock import local_date
from core.db.models import Habit
from core.habits.stats import HabitStats
from core.numbers import parse_int

router = Router()
PAGE_SIZE = 10
NOTHING_ARCHIVED = (
    "You have no archived habits. /deletehabit offers to archive one: it leaves your list "
    "and keeps its history."
)
NOT_ARCHIVED = "That habit isn't archived (any more). Send /archived for the list."


@router.command(
    "archived",
    "Your archived habits, with a button to restore each",
    family="habit",
)
async def archived(ctx: Context) -> Response:
    habits = await ctx.habits.archived(ctx.user)
    if not habits:
        return Response.say(hint(NOTHING_ARCHIVED), personal=True)
    return Response([await archived_list(ctx, habits, 0)])


@router.command(
    "restore",
    "Bring an archived habit back, with its history",
    Arg.habit(required=True, archived=True),
    help="It comes back last on your list with its check-ins, streaks and reminders.",
    family="habit",
    bare=True,
)
async def restore(ctx: Context) -> Response:
    habits = await ctx.habits.archived(ctx.user)
    if not habits:
        return Response.say(hint(NOTHING_ARCHIVED), personal=True)
    ref = ctx.args.habit()
    if not ref:  # a bare /restore: which one?
        return Response([await archived_list(ctx, habits, 0)])
    habit = await ctx.habits.find(ctx.user, ref, habits, archived=True)
    return Response.say(await _restored(ctx, habit), personal=True)


async def archived_list(
    ctx: Context, habits: list[Habit], page: int, *, lead: Rich | None = None, edit: bool = False
) -> Reply:
    """A page of the archived habits, the most recently archived first, each with its done
    days and best streak and a Restore button; numbered as /restore N counts them."""
    pages = (len(habits) + PAGE_SIZE - 1) // PAGE_SIZE
    page = max(0, min(page, pages - 1))
    shown = habits[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    recent = await ctx.habits.recent(shown, ctx.today)
    head = f" · {len(habits)}" + (f" · page {page + 1}/{pages}" if pages > 1 else "")
    parts: list[Rich | Span | str] = [lead + "\n\n"] if lead else []
    parts += [bold("Archived habits"), head]
    for n, habit in enumerate(shown, page * PAGE_SIZE + 1):
        when = local_date(habit.archived_at or ctx.now, ctx.tz, ctx.user.settings.day_start_hour)
        history = _history(recent[habit.id].stats)
        parts.append(f"\n{n}. {habit.title} — {history} · archived {day_label(when)}")
    parts += ["\n\n", hint("Restore one with its button, or /restore NAME.")]
    buttons = [
        [Button(f"↺ Restore {button_title(h.title)}", button_payload(ARCHIVED, "r", h.id, page))]
        for h in shown
    ]
    pager = []
    if page > 0:
        pager.append(Button("◀ Previous", button_payload(ARCHIVED, "p", page - 1)))
    if page + 1 < pages:
        pager.append(Button("Next ▶", button_payload(ARCHIVED, "p", page + 1)))
    if pager:
        buttons.append(pager)
    return Reply.of(*parts, buttons=buttons, edit=edit, personal=True)


def _history(stats: HabitStats) -> str:
    """'12 done, best streak 5 days' (weeks for N-times-a-week habits)."""
    best = plural(stats.best_streak, stats.streak_unit.rstrip("s"))
    return f"{stats.done_total} done, best streak {best}"


async def _restored(ctx: Context, habit: Habit) -> Rich:
    """Restore the habit (core refuses, changing nothing, when an active habit has its title
    or the list is full) and say what came back."""
    reminders = await ctx.habits.restore(ctx.user, habit)
    stats = (await ctx.habits.recent([habit], ctx.today))[habit.id].stats
    parts: list[Rich | Span | str] = [
        "Restored ",
        bold(habit.title),
        hint(f". It's back in /habits with its history: {_history(stats)}."),
    ]
    if reminders:
        again = "Its reminder is" if reminders == 1 else f"Its {reminders} reminders are"
        parts.append(hint(f" {again} on again (/reminders)."))
    return rich(*parts)


@router.button(ARCHIVED)
async def press(ctx: Context, args: list[str]) -> Response:
    """ar:p:PAGE shows another page; ar:r:HABIT_ID:PAGE restores that habit and redraws the
    list in place, under a line saying so."""
    page = parse_int(args[-1]) if len(args) in (2, 3) else None
    if page is None or page < 0 or args[0] not in ("p", "r"):
        return Response(notice=BUTTON_GONE)
    if args[0] == "p":
        habits = await ctx.habits.archived(ctx.user)
        if not habits:
            return Response.say(hint(NOTHING_ARCHIVED), edit=True, personal=True)
        return Response([await archived_list(ctx, habits, page, edit=True)])
    habit_id = parse_int(args[1]) if len(args) == 3 else None
    habit = await ctx.habits.get_archived(ctx.user, habit_id) if habit_id is not None else None
    if habit is None:
        return Response(notice=NOT_ARCHIVED)
    done = await _restored(ctx, habit)
    left = await ctx.habits.archived(ctx.user)
    if not left:
        return Response.say(done, edit=True, personal=True)
    return Response([await archived_list(ctx, left, page, lead=done, edit=True)])
