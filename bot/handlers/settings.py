"""/timezone and /daystart: when a person's day begins."""

from __future__ import annotations

from bot.context import Context
from bot.messages import Button, Response, bold, code
from bot.router import Router, Where
from core.errors import NotFound
from core.timezones import resolve_timezone
from core.users.service import plan_weekly_summary

router = Router()


@router.command(
    "timezone",
    "Set your time zone, so your day starts at your midnight",
    usage="/timezone Europe/Berlin",
    section="Settings",
    where=Where.PRIVATE,
)
async def timezone(ctx: Context) -> Response:
    wanted = ctx.request.args.strip()
    if not wanted:
        return Response.say(
            f"Your time zone is {ctx.user.settings.timezone}. Change it with ",
            code("/timezone Europe/Berlin"),
            " (any IANA name, or just a city such as Tokyo).",
        )
    try:
        name = resolve_timezone(wanted)
    except NotFound as exc:
        if not exc.suggestions:
            return Response.say(
                exc.message, " Try a name like ", code("Europe/Berlin"), " or a city like Tokyo."
            )
        return Response.say(
            exc.message,
            " Did you mean one of these?",
            buttons=[[Button(s, f"tz:{s}")] for s in exc.suggestions],
        )
    return await _set(ctx, name)


async def _set(ctx: Context, name: str, *, edit: bool = False) -> Response:
    ctx.user.settings.timezone = name
    await ctx.reminders.reschedule_all(ctx.user)
    plan_weekly_summary(ctx.user.settings, ctx.now)  # the summary follows the new zone too
    now = ctx.now.astimezone(ctx.tz)
    return Response.say(
        "Time zone set to ",
        bold(name),
        f". It is {now:%H:%M} on {now:%A} there.",
        edit=edit,
    )


@router.button("tz")
async def pick_timezone(ctx: Context, args: list[str]) -> Response:
    try:
        name = resolve_timezone(":".join(args))
    except NotFound:
        return Response(notice="That time zone button no longer works.")
    response = await _set(ctx, name, edit=True)
    response.notice = f"Time zone: {name}"
    return response


@router.command(
    "daystart",
    "Night owl? Let your day end at 1–6 in the morning",
    usage="/daystart 2",
    section="Settings",
    where=Where.PRIVATE,
)
async def daystart(ctx: Context) -> Response:
    arg = ctx.request.args.strip()
    current = ctx.user.settings.day_start_hour
    if not arg:
        return Response.say(
            f"Your day starts at {current:02d}:00. Night owls can move it, for example ",
            code("/daystart 3"),
            " counts anything before 03:00 as the day before.",
        )
    if not arg.isdecimal() or not 0 <= int(arg) <= 6:
        return Response.say("Give an hour from 0 to 6, for example ", code("/daystart 3"), ".")
    await ctx.users.set_day_start(ctx.user, int(arg))
    return Response.say(f"Done: your day now starts at {int(arg):02d}:00.")
