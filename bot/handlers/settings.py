"""/timezone and /daystart: when a person's day begins; /settings: every setting at once."""

from __future__ import annotations

from bot.buttons import TIMEZONE, button_payload
from bot.commands import Arg, Where
from bot.context import Context
from bot.handlers.reminders import quiet_span
from bot.handlers.summarytime import summary_when
from bot.messages import Button, Response, Span, bold, code, example, hint
from bot.router import Router
from core.errors import NotFound
from core.timezone_words import clock_shown, clock_zone
from core.timezones import is_fixed_offset, keeps_summer_time, resolve_timezone, zone_label
from core.users.merge import platform_label
from core.users.service import LATEST_DAY_START

router = Router()


@router.command(
    "timezone",
    "Set your time zone, so your day starts at your midnight",
    Arg.text("zone", "An IANA name (Europe/Berlin), a city (Tokyo) or an offset (UTC+2)"),
    where=Where.PRIVATE,
    section="Settings",
    tried=("tz", "zone", "time"),
)
async def timezone(ctx: Context) -> Response:
    wanted = ctx.args.text("zone")
    if not wanted:
        return Response.say(
            f"Your time zone is {zone_label(ctx.user.settings.timezone)}. Change it with ",
            example("/timezone Europe/Berlin"),
            " (any IANA name, or just a city such as Tokyo).",
        )
    try:
        name = resolve_timezone(wanted)
    except NotFound as exc:
        if not exc.suggestions:
            return Response.say(
                exc.message, " Try a name like ", code("Europe/Berlin"), " or a city like Tokyo."
            )
        return ctx.ask(
            Response.say(
                exc.message,
                " Did you mean one of these?",
                buttons=[[Button(s, button_payload(TIMEZONE, s))] for s in exc.suggestions],
            ),
            otherwise="timezone",  # 'Brazzaville', or any other place, typed instead
        )
    return await _set(ctx, name, read=_read_as(wanted, name))


def _read_as(wanted: str, name: str) -> str:
    """How a clock's word (PST, eastern time) was read, for the reply; '' for a place."""
    clock = clock_zone(wanted)
    if clock is None or clock[0] != name:
        return ""
    summer = ", summer time included" if keeps_summer_time(name) else ""
    return f"\nI read {clock_shown(wanted)!r} as {clock[1]}{summer}. "


async def _set(ctx: Context, name: str, *, edit: bool = False, read: str = "") -> Response:
    name = await ctx.users.set_timezone(ctx.user, name)  # reminders and summary follow it
    now = ctx.now.astimezone(ctx.tz)
    fixed: list[str | Span] = (
        [
            "\nThat offset stays the same all year. If your clocks change for summer, name "
            "your city instead, for example ",
            example("/timezone Berlin"),
            ".",
        ]
        if is_fixed_offset(name)
        else []
    )
    return Response.say(
        "Time zone set to ",
        bold(zone_label(name)),
        f". It is {now:%H:%M} on {now:%A} there.",
        *fixed,
        read,
        hint("Not where you are? Send /timezone and your city.") if read else "",
        edit=edit,
    )


@router.button(TIMEZONE)
async def pick_timezone(ctx: Context, args: list[str]) -> Response:
    try:
        name = resolve_timezone(":".join(args))
    except NotFound:
        return Response(notice="That time zone button no longer works.")
    response = await _set(ctx, name, edit=True)
    response.notice = f"Time zone: {zone_label(name)}"
    return response


@router.command(
    "daystart",
    "Night owl? Let your day end at 1–6 in the morning",
    Arg.time(
        # True of each platform's way to give it: typed (3, 3am, 03:00) or chosen (Discord).
        "The hour your day ends, from 0 (midnight) to 6 in the morning",
        required=False,
        name="hour",
        label="H",
        invalid="Give an hour from 0 to 6, for example /daystart 3.",
        hours=(0, LATEST_DAY_START),
    ),
    where=Where.PRIVATE,
    section="Settings",
)
async def daystart(ctx: Context) -> Response:
    at = ctx.args.time("hour")  # '3', '3am', '3 am', '03:00' all read as 03:00
    current = ctx.user.settings.day_start_hour
    if at is None:
        return Response.say(
            f"Your day starts at {current:02d}:00. Night owls can move it, for example ",
            example("/daystart 3"),
            " counts anything before 03:00 as the day before.",
        )
    if at.minute:
        return Response.say(
            f"Your day starts on a whole hour, not at {at:%H:%M}: for example ",
            example("/daystart 3"),
            ".",
        )
    if at.hour > LATEST_DAY_START:
        return Response.say(
            f"Your day can start at midnight or up to {LATEST_DAY_START} in the morning, not at "
            f"{at:%H:%M}: for example ",
            example("/daystart 3"),
            ".",
        )
    hour = at.hour
    await ctx.users.set_day_start(ctx.user, hour)
    return Response.say(f"Done: your day now starts at {hour:02d}:00.")


@router.command(
    "settings",
    "Your settings, each with the command that changes it",
    where=Where.PRIVATE,
    section="Settings",
    tried=("preferences", "prefs", "config", "options", "profile", "me"),
)
async def settings(ctx: Context) -> Response:
    s = ctx.user.settings
    now = ctx.now.astimezone(ctx.tz)
    identities = await ctx.users.identities_of(ctx.user.id)
    platforms = dict.fromkeys(platform_label(i.platform) for i in identities)  # in link order
    email = ctx.user.email
    return Response.say(
        bold("Your settings"),
        f"\nTime zone: {zone_label(s.timezone)} ({now:%H:%M} on {now:%A} there) · /timezone",
        f"\nDay starts: {s.day_start_hour:02d}:00 · /daystart",
        f"\nQuiet hours: {quiet_span(s.quiet_start, s.quiet_end)} · /quiethours",
        f"\nWeekly summary: {summary_when(ctx)} · /summarytime, /quiet",
        f"\nChat accounts: {', '.join(platforms)} · /link",
        f"\nWeb account: {email} · /resetpassword"
        if email is not None
        else "\nWeb account: none (register on the web, then /link)",
        personal=True,
    )
