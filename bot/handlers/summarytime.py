"""/summarytime and /quiet: when your (or a group's) weekly summary arrives, or that it does not."""

from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo

from bot.commands import Arg, Where
from bot.context import Context
from bot.handlers.groups import chat_group
from bot.messages import (
    Response,
    example,
    hint,
)
from bot.router import Router
from core.errors import InvalidInput
from core.groups.service import MANAGERS
from core.habits.schedule import WEEKDAY_NAMES
from core.numbers import parse_int
from core.reminders.service import looks_like_time, parse_time
from core.reminders.timing import next_weekly
from core.timezones import zone_label
from core.users.service import plan_weekly_summary

router = Router()

SECTION = "Reminders"
OFF = ("off", "none", "never", "stop", "no")  # `/summarytime off`: what /quiet does


@router.command(
    "quiet",
    "Turn the weekly summary off (or on again with /quiet off)",
    Arg.choice(
        "summary",
        "off: summaries again; leave empty for none",
        ("on", "off"),
        invalid=(
            "Say /quiet to switch the weekly summary off, /quiet off to get it back. For hours"
            " without reminders, say /quiethours 22-7."
        ),
    ),
    where=Where.PRIVATE,
    section=SECTION,
)
async def quiet(ctx: Context) -> Response:
    """/quiet (or /quiet on) turns the summary off, /quiet off back on; again is a no-op."""
    settings = ctx.user.settings
    turn_off = ctx.args.choice("summary") != "off"
    if turn_off:
        if not settings.summary_enabled:
            return Response.say(
                hint("Weekly summaries are already off. Send /quiet off to get them back.")
            )
        settings.summary_enabled = False
        settings.next_summary_at = None
        return Response.say(hint("No more weekly summaries. Send /quiet off to get them back."))
    if settings.summary_enabled:
        return Response.say(f"Weekly summaries are already on: they come {summary_when(ctx)}.")
    settings.summary_enabled = True
    plan_weekly_summary(ctx.user.settings, ctx.now)
    return Response.say(f"Weekly summaries are back: {summary_when(ctx)}.")


@router.command(
    "summarytime",
    "When the weekly summary arrives (yours, or in a group the group's)",
    Arg.text("when", "A weekday and an hour, e.g. sun 18", required=True, label="sun 18"),
    section=SECTION,
    bare=True,
)
async def summarytime(ctx: Context) -> Response:
    words = ctx.args.text("when").lower().split()
    if not ctx.request.chat.is_private:
        return await _group_summarytime(ctx, words)
    if not words:
        if not ctx.user.settings.summary_enabled:
            return Response.say(
                hint("Your weekly summary is off: send /quiet off to get it back, or choose "),
                "when it comes like ",
                example("/summarytime sun 18"),
                ".",
            )
        return Response.say(
            f"Your weekly summary comes {summary_when(ctx)}. Change it like ",
            example("/summarytime sun 18"),
            ".",
        )
    if words[0] in OFF:
        return Response.say(
            hint("To stop the weekly summary, send /quiet (/quiet off brings it back). "),
            "To move it, name a day and an hour, for example ",
            example("/summarytime sun 18"),
            ".",
        )
    when = _day_and_hour(words)
    if when is None:
        return Response.say(
            "Name a day and an hour, for example ", example("/summarytime sun 18"), "."
        )
    settings = ctx.user.settings
    settings.summary_weekday, settings.summary_hour = when
    settings.summary_enabled = True
    plan_weekly_summary(ctx.user.settings, ctx.now)
    return Response.say(f"Your weekly summary now comes {summary_when(ctx)}.")


def _day_and_hour(words: list[str]) -> tuple[int, int] | None:
    """['sun', '18'], ['sunday', '18:00'], ['sun', '18.00'], ['sun', '6pm'] or ['sun', '6', 'pm']
    -> (6, 18); None for anything else; a time off the hour (18:30) is refused, saying why."""
    if len(words) == 3:
        words = [words[0], words[1] + words[2]]  # 'sun 6 pm'
    if len(words) != 2:
        return None
    day = next((i for i, name in enumerate(WEEKDAY_NAMES) if words[0][:3] == name.lower()), None)
    hour = parse_time(words[1]) if looks_like_time(words[1]) else None
    whole_hour = parse_int(words[1], 0, 23)
    if hour is None and whole_hour is not None:
        hour = time(whole_hour)
    if day is None or hour is None:
        return None
    if hour.minute:  # `sun 18:30`: said back as 18:00 it would be a change nobody asked for
        later = (hour.hour + 1) % 24
        raise InvalidInput(
            f"Weekly summaries come on the hour: send /summarytime {words[0]} {hour.hour} "
            f"or /summarytime {words[0]} {later}."
        )
    return (day, hour.hour)


async def _group_summarytime(ctx: Context, words: list[str]) -> Response:
    group = await chat_group(ctx)
    if not words:
        await ctx.groups.require_reader(group, ctx.user)  # a private group's own affair
        day = WEEKDAY_NAMES[group.summary_weekday]
        return Response.say(
            f"The weekly summary of {group.name} comes on {day} at "
            f"{group.summary_hour:02d}:00 ({zone_label(group.timezone)}). The owner or an "
            "admin can change it, for example ",
            example("/summarytime sun 18"),
            " (an hour in their time zone).",
        )
    await ctx.groups.require(group, ctx.user, *MANAGERS)
    if words[0] in OFF:
        return Response.say(
            "A group's weekly summary can't be turned off. Name a day and an hour, for example ",
            example("/summarytime sun 18"),
            ".",
        )
    when = _day_and_hour(words)
    if when is None:
        return Response.say(
            "Name a day and an hour, for example ", example("/summarytime sun 18"), "."
        )
    group.summary_weekday, group.summary_hour = when
    # The hour was said in the speaker's zone: the group's summary follows it from now on (the
    # zone it got at /newgroup is its owner's of that day, often the default before /timezone).
    group.timezone = ctx.user.settings.timezone
    group.next_summary_at = next_weekly(*when, ZoneInfo(group.timezone), ctx.now)
    return Response.say(
        f"The weekly summary of {group.name} now comes on {WEEKDAY_NAMES[when[0]]} at "
        f"{when[1]:02d}:00 ({zone_label(group.timezone)})."
    )


def summary_when(ctx: Context) -> str:
    s = ctx.user.settings
    if not s.summary_enabled:
        return "never (it is off: /quiet off)"
    day, zone = WEEKDAY_NAMES[s.summary_weekday], zone_label(s.timezone)
    return f"on {day} at {s.summary_hour:02d}:00 ({zone})"
