"""/done, /skip and /undo: check a habit in for today or a day of the past week."""

from __future__ import annotations

from bot.commands import Arg
from bot.context import Context
from bot.handlers.habits import today_list
from bot.messages import Reply, Response, bold, command, rich
from bot.router import Router
from bot.views import done_text, relative_day, streak_text
from core.habits.history import CheckinStatus

router = Router()

USAGE = "HABIT [today|yesterday|mon|YYYY-MM-DD]"


async def _checkin(ctx: Context, status: CheckinStatus | None) -> Response:
    cmd = ctx.request.command or "done"
    ref = ctx.args.habit()
    if not ref:
        reply = await today_list(ctx)
        if not reply.buttons:
            return Response([reply])
        usage = command(cmd, USAGE, as_code=False)
        text = (
            rich("To skip one, send ", usage, ". The buttons check habits in as done.")
            if status is CheckinStatus.SKIPPED
            else rich("Tap a habit, or send ", usage, ".")
        )
        return Response([reply, Reply.of(text, personal=True)])
    today = ctx.today
    day = ctx.args.day() or today
    habit = await ctx.habits.find(ctx.user, ref)
    when = relative_day(day, today)
    if status is None:
        result = await ctx.habits.undo(habit, day)
        if not result.changed:
            return Response.say("There was no check-in for ", bold(habit.title), f" {when}.")
        if result.status is CheckinStatus.SKIPPED:  # the done had replaced a skip
            return Response.say("Undone: ", bold(habit.title), f" {when} is skipped again.")
        return Response.say("Undone: ", bold(habit.title), f" {when} is open again.")
    result = await ctx.habits.check_in(habit, day, status)
    recent = (await ctx.habits.recent([habit], today))[habit.id]
    stats = recent.stats
    if status is CheckinStatus.SKIPPED:
        if recent.history.status(day) is CheckinStatus.DONE:  # a skip never replaces a done
            return Response.say(
                bold(habit.title),
                f" was already done {when}. To skip it instead, take it back with ",
                command("undo"),
                " first.",
            )
        if not result.changed:
            return Response.say(bold(habit.title), f" was already skipped {when}.")
        return Response.say(
            "Skipped ",
            bold(habit.title),
            f" {when}. {streak_text(stats).capitalize()}, still safe.",
        )
    if not result.changed:
        return Response.say(
            bold(habit.title), f" was already done {when}. {streak_text(stats).capitalize()}."
        )
    return Response.say(done_text(habit, day, when, stats))


@router.command(
    "done",
    "Check a habit in as done",
    Arg.habit(required=True),
    Arg.day(),
    family="habit",
    bare=True,
    tried=("checkin", "check", "did", "complete", "tick", "log"),
)
async def done(ctx: Context) -> Response:
    return await _checkin(ctx, CheckinStatus.DONE)


@router.command(
    "skip",
    "Skip a habit for a day without breaking the streak",
    Arg.habit(required=True),
    Arg.day(),
    family="habit",
    bare=True,
)
async def skip(ctx: Context) -> Response:
    return await _checkin(ctx, CheckinStatus.SKIPPED)


@router.command(
    "undo",
    "Take back a check-in or a skip",
    Arg.habit(required=True),
    Arg.day(),
    family="habit",
    bare=True,
)
async def undo(ctx: Context) -> Response:
    return await _checkin(ctx, None)
