"""/board (a group's week with a collage of proofs) and /summary (your week, or the group's).

The same replies are sent by the scheduler as weekly summaries, so they are built from plain
arguments (a unit of work, the person or group, their today), not a chat request.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta

from bot.commands import Where
from bot.context import Context
from bot.group_names import told_apart
from bot.handlers.groups import readable_group
from bot.handlers.learnings import NAME_UNITS, PREVIEW_UNITS
from bot.messages import (
    Image,
    Reply,
    Response,
    Rich,
    Span,
    bold,
    hint,
    italic,
    pre,
    rich,
    shorten,
)
from bot.router import Router
from bot.views import column, day_label, plural, progress_text
from core.db.models import Group, User
from core.habits.history import week_start
from core.lifebook.service import LifebookService, compass_line
from core.summary.service import MemberWeek
from core.summary.week import group_date, local_week_window
from core.uow import UnitOfWork

router = Router()
SECTION = "Summary"


def board_table(board: list[MemberWeek]) -> str:
    """One row a member; check-ins are done of due this week, "–" when nothing was due; the
    streak is in days, or in weeks marked so (`3w`, as /stats writes it)."""
    lines = [f"{'':<14} proofs  check-ins  streak"]
    for m in board:
        done = f"{m.done}/{m.due}" if m.due or m.done else "–"  # nothing was due this week
        streak = f"{m.best_streak}{'w' if m.streak_unit == 'weeks' else ''}"
        lines.append(f"{column(m.name)} {m.proofs:>6}  {done:>9}  {streak:>6}")
    return "\n".join(lines)


async def group_week_response(
    uow: UnitOfWork, group: Group, today: date, *, with_collage: bool, week: date | None = None
) -> Response:
    """The group's board for the week starting `week` (by default the week of `today`, the
    group's date: see core.summary.week.group_date)."""
    return (await _group_week(uow, group, today, with_collage=with_collage, week=week))[0]


async def weekly_group_reply(
    uow: UnitOfWork, group: Group, today: date, week: date
) -> Response | None:
    """The scheduled board of the week starting `week`, with its collage; None when the week
    tells nothing (no member's proof or check-in, no learning shared in the group), as a
    person's summary (weekly_summary_reply): a group nobody uses gets no board of zeros."""
    response, telling = await _group_week(uow, group, today, with_collage=True, week=week)
    if telling:
        return response
    since, until = local_week_window(group.timezone, 0, week)
    return response if await uow.learnings.shared_between(group.id, since, until) else None


async def _group_week(
    uow: UnitOfWork, group: Group, today: date, *, with_collage: bool, week: date | None
) -> tuple[Response, bool]:
    """The board, and whether a member posted a proof or checked in that week."""
    monday = week if week is not None else week_start(today)
    board = await uow.summary.group_week(group, monday)
    title = f"{group.name} · week of {day_label(monday)}"
    total = sum(m.proofs for m in board)
    text = rich(
        bold(title),
        "\n",
        pre(board_table(board)),
        f"{plural(total, 'proof')} {'that' if monday < week_start(today) else 'this'} week "
        f"from {plural(len(board), 'member')}.",
    )
    replies = [Reply(text=text, card=True)]
    if with_collage and total:
        thumbs = await uow.proofs.week_thumbs(group.id, monday)
        data = [await uow.proofs.media.get(t.thumb_key) for t in thumbs]
        from bot.collage import render_collage  # Pillow: loaded at the first picture

        jpeg = await asyncio.to_thread(render_collage, data)
        replies.append(
            Reply(image=Image(jpeg, f"proofs-{monday.isoformat()}.jpg", rich(f"Proofs · {title}")))
        )
    return Response(replies), bool(total or any(m.done for m in board))


async def user_week_reply(
    uow: UnitOfWork, user: User, today: date, week: date | None = None
) -> Reply:
    """The person's week starting `week` (by default the week of `today`); a week gone by is
    told as of its Sunday (the weekly summary sent early in the next week)."""
    return (await _user_week(uow, user, today, week))[0]


async def weekly_summary_reply(
    uow: UnitOfWork, user: User, today: date, week: date, at: datetime | None = None
) -> Reply | None:
    """The scheduled summary due `at`: `user_week_reply`, its insights the learnings of the
    seven days up to `at` (since the summary before it, so none falls between two); None when
    it would tell nothing (no habits, proofs or insights: someone who only trusts people, in a
    quiet week)."""
    window = (at - timedelta(days=7), at) if at is not None else None
    reply, telling = await _user_week(uow, user, today, week, window)
    return reply if telling else None


async def _user_week(
    uow: UnitOfWork,
    user: User,
    today: date,
    week: date | None,
    window: tuple[datetime, datetime] | None = None,
) -> tuple[Reply, bool]:
    """The reply, and whether it tells anything (a habit, a proof or an insight)."""
    monday = week if week is not None else week_start(today)
    service = uow.summary
    sunday = monday + timedelta(days=6)
    past = today > sunday
    today = min(today, sunday)
    parts: list[str | Span | Rich] = [
        bold(f"Your week · {day_label(monday)} to {day_label(sunday)}")
    ]
    compass = compass_line(LifebookService.read(user), monday)
    if compass:  # the person's own words, a different line each week
        parts += ["\n", italic(compass)]
    weeks = (await service.habit_weeks([user], {user.id: today}, monday))[user.id]
    if not weeks:
        parts.append(hint("\nNo habits yet. Start one with /newhabit."))
    for h in weeks:
        unit = h.streak_unit.rstrip("s")
        parts.append(
            f"\n• {h.title}: {h.done}/{h.due} {'that' if past else 'this'} week · "
            f"streak {plural(h.streak, unit)} · "
            f"{progress_text(h.done_total)}"
        )
    counts = await uow.proofs.user_week_counts(user, monday)
    if counts:
        parts += ["\n\n", bold("Proofs"), "\n"]
        names = told_apart([(c.group_name, c.place) for c in counts])
        told = zip(names, counts, strict=True)
        parts.append("\n".join(f"• {name}: {plural(c.proofs, 'proof')}" for name, c in told))
    insights, found = await _insights(uow, user, monday, past, window)
    reply = Reply(text=rich(*parts, *insights), personal=True, card=True)
    return reply, bool(weeks or counts or found)


async def _insights(
    uow: UnitOfWork,
    user: User,
    monday: date,
    past: bool = False,
    window: tuple[datetime, datetime] | None = None,
) -> tuple[list[str | Span], bool]:
    """Learnings by people the user trusts, most liked first (and whether any): those of the
    week, or of `window` when given."""
    since, until = window or local_week_window(
        user.settings.timezone, user.settings.day_start_hour, monday
    )
    found = await uow.trust.insights(user.id, since, until)
    parts: list[str | Span] = ["\n\n", bold("Insights from people you trust"), "\n"]
    if not found:
        parts.append(
            italic(
                f"None {'that' if past else 'this'} week from the people you trust (/trusted). "
                "Add someone whose learnings you value: /trust @name."
            )
        )
        return parts, False
    groups = told_apart([(item.group_name, item.place) for item in found])
    for item, group in zip(found, groups, strict=True):
        likes = f" · {plural(item.likes, 'like')}" if item.likes else ""
        content, author = (
            shorten(item.content, PREVIEW_UNITS),
            shorten(item.author_name, NAME_UNITS),
        )
        parts += [f"• {content} — {author}, {group}{likes}\n"]
    return parts, True


@router.command(
    "board",
    "This week in the group: proofs, check-ins, streaks",
    where=Where.GROUP,
    section=SECTION,
    family="group",
)
async def board(ctx: Context) -> Response:
    group = await readable_group(ctx)
    return await group_week_response(
        ctx.uow, group, group_date(group.timezone, ctx.now), with_collage=True
    )


@router.command(
    "summary",
    "Your week (in private) or the group's week (in a group)",
    section=SECTION,
    tried=("report", "weekly"),
)
async def summary(ctx: Context) -> Response:
    if not ctx.request.chat.is_private:
        group = await readable_group(ctx)
        today = group_date(group.timezone, ctx.now)
        return await group_week_response(ctx.uow, group, today, with_collage=False)
    return Response([await user_week_reply(ctx.uow, ctx.user, ctx.today)])
