"""Everything HabitLink holds about a person, as one JSON-ready document."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import (
    Group,
    GroupMember,
    Habit,
    HabitLog,
    HabitTool,
    Identity,
    Message,
    MessageLike,
    Proof,
    Reminder,
    Tool,
    Trust,
    User,
)
from core.habits.history import OPEN_END

FORMAT = "habitlink-export/1"
UrlFor = Callable[[str], Awaitable[str]]


async def export_user(session: AsyncSession, user: User, url_for: UrlFor) -> dict[str, Any]:
    """Profile, settings, identities, habits with every check-in, reminder and tool used,
    memberships, proofs (as links), messages and learnings, likes, trusts and the toolbox tools
    they shared. `url_for` links an image key."""
    uid = user.id
    s = user.settings
    habits = list(
        await session.scalars(select(Habit).where(Habit.user_id == uid).order_by(Habit.id))
    )
    habit_ids = [h.id for h in habits]
    logs: dict[int, list[dict[str, str | bool]]] = {h: [] for h in habit_ids}
    reminders: dict[int, list[dict[str, Any]]] = {h: [] for h in habit_ids}
    tools: dict[int, list[str]] = {h: [] for h in habit_ids}
    if habit_ids:
        for habit_id, slug in await session.execute(
            select(HabitTool.habit_id, Tool.slug)
            .join(Tool, Tool.id == HabitTool.tool_id)
            .where(HabitTool.habit_id.in_(habit_ids))
            .order_by(HabitTool.created_at, Tool.id)
        ):
            tools[habit_id].append(slug)
        for log in await session.scalars(
            select(HabitLog).where(HabitLog.habit_id.in_(habit_ids)).order_by(HabitLog.day)
        ):
            logs[log.habit_id].append(
                # was_skipped: a done that replaced the day's skip (undoing it gives the skip back)
                {"date": log.day.isoformat(), "status": log.status, "was_skipped": log.was_skipped}
            )
        for r in await session.scalars(
            select(Reminder).where(Reminder.habit_id.in_(habit_ids)).order_by(Reminder.id)
        ):
            reminders[r.habit_id].append(
                {"time": r.local_time.strftime("%H:%M"), "weekday_mask": r.weekday_mask}
            )
    identities = await session.scalars(select(Identity).where(Identity.user_id == uid))
    memberships = await session.execute(
        select(Group.id, Group.name, Group.is_public, GroupMember.role, GroupMember.created_at)
        .join(GroupMember, GroupMember.group_id == Group.id)
        .where(GroupMember.user_id == uid)
        .order_by(Group.id)
    )
    proofs = list(
        await session.scalars(select(Proof).where(Proof.user_id == uid).order_by(Proof.id))
    )
    messages = await session.scalars(
        select(Message).where(Message.user_id == uid).order_by(Message.id)
    )
    likes = await session.scalars(
        select(MessageLike.message_id).where(MessageLike.user_id == uid).order_by(MessageLike.id)
    )
    trusted = await session.scalars(select(Trust.trustee_id).where(Trust.truster_id == uid))
    trusted_by = await session.scalars(select(Trust.truster_id).where(Trust.trustee_id == uid))
    shared = await session.scalars(select(Tool).where(Tool.author_id == uid).order_by(Tool.id))
    return {
        "format": FORMAT,
        "profile": {
            "id": uid,
            "email": user.email,
            "display_name": user.display_name,
            "photo_url": user.photo_url,
            "lifebook": user.lifebook,
            "created_at": user.created_at.isoformat(),
        },
        "settings": {
            "timezone": s.timezone,
            "day_start_hour": s.day_start_hour,
            "quiet_hours": None if s.quiet_start is None else [s.quiet_start, s.quiet_end],
            "summary_enabled": s.summary_enabled,
            "summary_weekday": s.summary_weekday,
            "summary_hour": s.summary_hour,
        },
        "identities": [
            {
                "platform": i.platform,
                "external_id": i.external_id,
                "username": i.username,
                "display_name": i.display_name,
                "created_at": i.created_at.isoformat(),
            }
            for i in identities
        ],
        "habits": [
            {
                "id": h.id,
                "title": h.title,
                "why": h.why,
                "identity_goal": h.identity_goal,
                "minimal_dose": h.minimal_dose,
                "implementation_intention": h.implementation_intention,
                "cue": h.loop.get("cue"),
                "reward": h.loop.get("reward"),
                "schedule": h.schedule.describe(),
                "start_date": h.start_date.isoformat(),
                "archived_at": h.archived_at.isoformat() if h.archived_at else None,
                # the days it spent archived, which its statistics count as neither kept nor
                # broken; "to" is null while it is archived
                "days_away": [
                    {"from": lo.isoformat(), "to": None if hi == OPEN_END else hi.isoformat()}
                    for lo, hi in h.away
                ],
                "serves": h.serves,  # in the Lifebook: "value:<name>" or "goal:<id>"
                "checkins": logs[h.id],
                "reminders": reminders[h.id],
                "tools": tools[h.id],  # slugs of the toolbox's tools
            }
            for h in habits
        ],
        "memberships": [
            {
                "group_id": gid,
                "group": name,
                "public": public,
                "role": role,
                "joined_at": joined.isoformat(),
            }
            for gid, name, public, role, joined in memberships.all()
        ],
        "proofs": [
            {
                "group_id": p.group_id,
                "habit_id": p.habit_id,
                "date": p.day.isoformat(),
                "note": p.note,
                "album": p.album,
                "image_url": await url_for(p.image_key),
            }
            for p in proofs
        ],
        "messages": [
            {
                "id": m.id,
                "group_id": m.group_id,
                "type": m.type,
                "content": m.content,
                "likes": m.likes_count,
                "created_at": m.created_at.isoformat(),
            }
            for m in messages
        ],
        "liked_messages": list(likes),
        "trusts": {"trusted": sorted(trusted), "trusted_by": sorted(trusted_by)},
        "shared_tools": [
            {
                "slug": t.slug,
                "title": t.title,
                "summary": t.description,
                "steps": t.steps,
                "keywords": t.keywords,
                "problems": t.problems,
                "status": t.status,
                "created_at": t.created_at.isoformat(),
            }
            for t in shared
        ],
    }
