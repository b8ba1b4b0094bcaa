"""/board (a group's week with a collage of proofs) and /summary (your week, or the group's)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta

from bot.collage import render_collage
from bot.context import Context
from bot.handlers.groups import chat_group
from bot.messages import Image, Reply, Response, Span, bold, italic, pre, rich
from bot.router import Router, Where
from bot.views import day_label, plural, progress_text, short_title
from core.db.models import Group
from core.habits.history import week_start
from core.social.trust import trusted_insights
from core.summary.service import MemberWeek, SummaryService

router = Router()
SECTION = "Summary"


def _summaries(ctx: Context) -> SummaryService:
    return SummaryService(ctx.session, ctx.clock, ctx.proofs)


def board_table(board: list[MemberWeek]) -> str:
    lines = [f"{'':<14} proofs  check-ins  streak"]
    for m in board:
        done = f"{m.done}/{m.due}"
        lines.append(f"{short_title(m.name):<14} {m.proofs:>6}  {done:>9}  {m.best_streak:>6}")
    return "\n".join(lines)


async def _group_week(ctx: Context, group: Group, *, with_collage: bool) -> Response:
    monday = week_start(ctx.today)
    board = await _summaries(ctx).group_week(group, monday)
    title = f"{group.name} · week of {day_label(monday)}"
    total = sum(m.proofs for m in board)
    text = rich(
        bold(title),
        "\n",
        pre(board_table(board)),
        f"{plural(total, 'proof')} this week from {plural(len(board), 'member')}.",
    )
    replies = [Reply(text=text)]
    if with_collage and total:
        thumbs = await ctx.proofs.week_thumbs(group.id, monday)
        data = [await ctx.media.get(t.thumb_key) for t in thumbs]
        jpeg = await asyncio.to_thread(render_collage, data)
        replies.append(
            Reply(image=Image(jpeg, f"proofs-{monday.isoformat()}.jpg", rich(f"Proofs · {title}")))
        )
    return Response(replies)


@router.command(
    "board",
    "This week in the group: proofs, check-ins, streaks",
    where=Where.GROUP,
    section=SECTION,
)
async def board(ctx: Context) -> Response:
    return await _group_week(ctx, await chat_group(ctx), with_collage=True)


@router.command(
    "summary", "Your week (in private) or the group's week (in a group)", section=SECTION
)
async def summary(ctx: Context) -> Response:
    if not ctx.request.chat.is_private:
        return await _group_week(ctx, await chat_group(ctx), with_collage=False)
    today = ctx.today
    monday = week_start(today)
    service = _summaries(ctx)
    weeks = (await service.habit_weeks([ctx.user], {ctx.user.id: today}))[ctx.user.id]
    proofs = await ctx.proofs.user_week_counts(ctx.user, monday)
    parts: list[str | Span] = [
        bold(f"Your week · {day_label(monday)} to {day_label(monday + timedelta(days=6))}")
    ]
    if not weeks:
        parts.append("\nNo habits yet. Start one with /newhabit.")
    for h in weeks:
        unit = h.streak_unit.rstrip("s")
        parts.append(
            f"\n• {h.title}: {h.done}/{h.due} this week · streak {plural(h.streak, unit)} · "
            f"{progress_text(h.done_total)}"
        )
    if proofs:
        parts += ["\n\n", bold("Proofs"), "\n"]
        parts.append("\n".join(f"• {name}: {plural(n, 'proof')}" for name, n in proofs))
    parts += await _insights(ctx)
    return Response([Reply(text=rich(*parts), personal=True)])


async def _insights(ctx: Context) -> list[str | Span]:
    """This week's learnings by people the user trusts, most liked first."""
    monday = week_start(ctx.today)
    start_hour = time(ctx.user.settings.day_start_hour)
    since = datetime.combine(monday, start_hour, ctx.tz).astimezone(UTC)
    found = await trusted_insights(ctx.session, ctx.user.id, since, since + timedelta(days=7))
    parts: list[str | Span] = ["\n\n", bold("Insights from people you trust"), "\n"]
    if not found:
        parts.append(
            italic("None this week. Trust people whose learnings you value: /trust @name.")
        )
        return parts
    for item in found:
        likes = f" · {plural(item.likes, 'like')}" if item.likes else ""
        parts += [f"• {item.content} — {item.author_name}, {item.group_name}{likes}\n"]
    return parts
