"""Merge two users into one: what happens when a person links their accounts on two platforms.

The absorbed user's rows move to the survivor, duplicates are combined, and the absorbed user row
is deleted at the end. The merge runs in the caller's transaction and never commits: when a
statement fails, the caller's rollback leaves both users exactly as they were.

The rules, table by table:
- identities, proofs, messages (chat and learnings) and tools (author) move.
- habits move with their check-ins and reminders, after the survivor's habits in the list. An
  active habit whose title matches an active habit of the survivor (ignoring case) is kept and
  renamed "Read (Telegram)" after the platform of the absorbed accounts ("(linked)" when they are
  on several), "Read (Telegram 2)" if that is taken too. Check-ins are never combined, so the
  one-check-in-per-habit-and-day rule cannot break.
- group memberships: the union. In a group both were in, the higher role stays
  (owner > admin > member) with the earlier join date; groups the absorbed user owned are the
  survivor's now.
- group bans: the merged profile is banned wherever either account was (linking is no way back
  into a group), and leaves those groups unless it owns them (then that ban is dropped).
- likes move. A learning both had liked keeps one like; a like on a message that is now the
  survivor's own is dropped, as nobody can like their own learning. likes_count of every message
  that lost a like is recounted from the rows.
- trusts move in both directions. A trust both had is kept once; a trust between the two users
  would be self-trust and is dropped.
- settings stay the survivor's, except the time zone: when the survivor's is still the default
  and the absorbed user's is not, the survivor takes it.
- the profile stays the survivor's (display name included); an email and password, a photo and
  lifebook entries the survivor lacks are taken over (all of it when the survivor's is empty or
  erased; goal ids go on counting past both); admin if either was. When both had an
  email, the survivor's stays and the absorbed one no longer signs in (the report says so).
- reminders are planned again in the survivor's time zone when it differs from the one they were
  planned in (moved from a user in another zone, or the survivor took a zone).
- the absorbed user's unused link codes, wrong link tries and password-reset codes are deleted
  with it (an unused code would now give the survivor away); used link codes move, so typing one
  again says it was used; their web sign-ins (refresh tokens) move, so a web session continues
  as the survivor.
- any other column that points at users (notifications, or a table added later) is moved as is,
  so no table loses rows to the final delete; tests/integration/test_link_merge.py fails on a
  column that is neither in HANDLED nor in MOVED_AS_IS, to ask for a decision.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, MetaData, Table, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.db.models import (
    Base,
    Habit,
    HabitLog,
    Identity,
    LinkCode,
    Message,
    MessageKind,
    MessageLike,
    Notification,
    NotificationStatus,
    Proof,
    Reminder,
    Tool,
    Trust,
    User,
    UserRole,
    UserSettings,
)
from core.errors import NotFound
from core.habits.archive import title_key
from core.reminders.service import ReminderService
from core.users.merge_groups import merge_bans, merge_groups
from core.users.merge_lifebook import BookMerge, merge_books, relink_goals
from core.users.merge_report import MergeReport, RenamedHabit

TITLE_MAX = 100
PLATFORM_NAMES = {
    "telegram": "Telegram",
    "discord": "Discord",
    "console": "Console",
    "web": "web",
}
NO_SYNC = {"synchronize_session": False}
# Every column that points at users.id, and what the merge does with it (see the module's doc).
HANDLED = {
    "identities.user_id": "moved",
    "user_settings.user_id": "the survivor's kept (time zone may be taken)",
    "habits.user_id": "moved, clashing titles renamed",
    "groups.owner_id": "moved",
    "group_members.user_id": "union, higher role kept",
    "group_bans.user_id": "union; the profile leaves groups it is banned from (owners unbanned)",
    "proofs.user_id": "moved",
    "messages.user_id": "moved",
    "message_likes.user_id": "moved, duplicates and own likes dropped, counts recounted",
    "trusts.truster_id": "moved, duplicates and self-trust dropped",
    "trusts.trustee_id": "moved, duplicates and self-trust dropped",
    "tools.author_id": "moved",
    "link_codes.user_id": "used ones moved, unused ones deleted with the absorbed user",
    "link_attempts.user_id": "deleted with the absorbed user",
    "daily_counters.user_id": "deleted with the absorbed user (today's limits start afresh)",
    "reset_codes.user_id": "deleted with the absorbed user",
}
# Columns moved to the survivor as they are (no duplicates possible, or harmless ones).
MOVED_AS_IS = {
    "notifications.user_id",  # queued reminders and summaries still reach the same person
    "group_bans.banned_by",  # who banned someone: the same person, now the survivor
    "refresh_tokens.user_id",  # web sign-ins stay signed in, now as the survivor
    # An admin's acts (core.admin) stay theirs; audit entries also keep the label they had.
    "users.banned_by",
    "messages.hidden_by",
    "proofs.hidden_by",
    "audit_log.actor_id",
}


def other_user_columns(metadata: MetaData) -> list[tuple[Table, Column[Any]]]:
    """Columns pointing at users.id that HANDLED does not know: the merge moves them as is
    (those in MOVED_AS_IS on purpose, any other one because deleting its rows would be worse)."""
    found = []
    for table in metadata.sorted_tables:
        for fk in sorted(table.foreign_keys, key=lambda fk: fk.parent.name):
            name = f"{table.name}.{fk.parent.name}"
            if fk.column.table.name == "users" and name not in HANDLED:
                found.append((table, fk.parent))
    return found


def platform_label(platform: str) -> str:
    """'telegram' -> 'Telegram', for people to read."""
    return PLATFORM_NAMES.get(platform, platform.capitalize())


def free_title(title: str, label: str, taken: set[str]) -> str:
    """'Read' -> 'Read (Telegram)', or 'Read (Telegram 2)' when that is taken too."""
    n = 1
    while True:
        suffix = f" ({label})" if n == 1 else f" ({label} {n})"
        candidate = title[: TITLE_MAX - len(suffix)].rstrip() + suffix
        if title_key(candidate) not in taken:
            return candidate
        n += 1


class MergeService:
    def __init__(
        self,
        session: AsyncSession,
        clock: Clock,
        default_timezone: str = "UTC",
        *,
        metadata: MetaData = Base.metadata,
    ) -> None:
        self.session = session
        self.clock = clock
        self.default_timezone = default_timezone
        self.metadata = metadata

    async def merge(self, survivor_id: int, absorbed_id: int) -> MergeReport:
        """Move everything of `absorbed_id` to `survivor_id`, then delete `absorbed_id`.

        Objects the session held are expired (the absorbed user's are expunged): read what you
        need again, for example with session.get(User, survivor_id)."""
        if survivor_id == absorbed_id:
            raise ValueError("a user cannot be merged into themselves")
        await self.session.flush()  # pending changes go first: the rest is plain SQL
        report = MergeReport(survivor_id, absorbed_id)
        profiles = await self._lock(survivor_id, absorbed_id)
        s, a = survivor_id, absorbed_id
        label = await self._absorbed_platforms(a)
        report.identities = await self._count(
            update(Identity).where(Identity.user_id == a).values(user_id=s).returning(Identity.id)
        )
        book = merge_books(profiles[s]["lifebook"], profiles[a]["lifebook"])
        await relink_goals(self.session, a, book)  # before the habits move
        await self._move_habits(s, a, label, report)
        await merge_groups(self.session, s, a, report)
        await merge_bans(self.session, s, a)
        await self.session.execute(
            delete(LinkCode)
            .where(LinkCode.user_id == a, LinkCode.used_at.is_(None))
            .execution_options(**NO_SYNC)
        )
        await self.session.execute(
            update(LinkCode)
            .where(LinkCode.user_id == a)
            .values(user_id=s)
            .execution_options(**NO_SYNC)
        )
        report.proofs = await self._count(
            update(Proof).where(Proof.user_id == a).values(user_id=s).returning(Proof.id)
        )
        await self._move_messages(s, a, report)
        await self._merge_likes(s, a, report)
        await self._merge_trusts(s, a, report)
        report.tools = await self._count(
            update(Tool).where(Tool.author_id == a).values(author_id=s).returning(Tool.id)
        )
        zones = await self._merge_settings(s, a, report)
        await self._merge_profile(profiles[s], profiles[a], book, report)
        # One weekly summary a week: the absorbed account's queued one would be a second.
        await self.session.execute(
            delete(Notification)
            .where(
                Notification.user_id == a,
                Notification.kind == "summary",
                Notification.status == NotificationStatus.PENDING.value,
            )
            .execution_options(**NO_SYNC)
        )
        for table, column in other_user_columns(self.metadata):
            moved = await self._count(
                update(table).where(column == a).values({column.name: s}).returning(column)
            )
            if moved:
                report.other[f"{table.name}.{column.name}"] = moved
        await self.session.execute(delete(User).where(User.id == a).execution_options(**NO_SYNC))
        await self.session.flush()
        self._forget(a)
        if report.timezone_taken or (report.reminders and zones[a] != zones[s]):
            survivor = await self.session.get(User, s)
            assert survivor is not None
            replanner = ReminderService(self.session, self.clock)
            report.reminders_replanned = await replanner.reschedule_all(survivor)
            await self.session.flush()
        return report

    # --- the steps -----------------------------------------------------------------------
    async def _lock(self, s: int, a: int) -> dict[int, dict[str, Any]]:
        """Lock both users' rows (in id order, so two merges cannot deadlock); their profiles."""
        stmt = (
            select(
                User.id,
                User.email,
                User.password_hash,
                User.photo_url,
                User.lifebook,
                User.role,
                User.banned_at,
                User.banned_by,
                User.ban_reason,
            )
            .where(User.id.in_([s, a]))
            .order_by(User.id)
            .with_for_update()
        )
        found = {row.id: dict(row._mapping) for row in (await self.session.execute(stmt)).all()}
        if set(found) != {s, a}:
            raise NotFound("That HabitLink profile no longer exists.")
        return found

    async def _absorbed_platforms(self, a: int) -> str:
        """Where the absorbed accounts are, for renamed habits: 'Telegram', or 'linked'."""
        platforms = set(
            await self.session.scalars(select(Identity.platform).where(Identity.user_id == a))
        )
        return platform_label(platforms.pop()) if len(platforms) == 1 else "linked"

    async def _move_habits(self, s: int, a: int, label: str, report: MergeReport) -> None:
        taken = {
            title_key(title)
            for title in await self.session.scalars(
                select(Habit.title).where(Habit.user_id == s, Habit.archived_at.is_(None))
            )
        }
        incoming = (
            await self.session.execute(
                select(Habit.id, Habit.title)
                .where(Habit.user_id == a, Habit.archived_at.is_(None))
                .order_by(Habit.position, Habit.id)
            )
        ).all()
        clashing = [(hid, title) for hid, title in incoming if title_key(title) in taken]
        taken |= {title_key(title) for _, title in incoming}
        for habit_id, title in clashing:
            new_title = free_title(title, label, taken)
            taken.add(title_key(new_title))
            await self.session.execute(
                update(Habit)
                .where(Habit.id == habit_id)
                .values(title=new_title)
                .execution_options(**NO_SYNC)
            )
            report.renamed.append(RenamedHabit(title, new_title))
        absorbed_habits = select(Habit.id).where(Habit.user_id == a).scalar_subquery()
        report.checkins = await self._scalar(
            select(func.count()).select_from(HabitLog).where(HabitLog.habit_id.in_(absorbed_habits))
        )
        report.reminders = await self._scalar(
            select(func.count()).select_from(Reminder).where(Reminder.habit_id.in_(absorbed_habits))
        )
        last = await self._scalar(
            select(func.coalesce(func.max(Habit.position), 0)).where(Habit.user_id == s)
        )
        report.habits = await self._count(
            update(Habit)
            .where(Habit.user_id == a)
            .values(user_id=s, position=Habit.position + last)
            .returning(Habit.id)
        )

    async def _move_messages(self, s: int, a: int, report: MergeReport) -> None:
        kinds = await self.session.scalars(
            update(Message).where(Message.user_id == a).values(user_id=s).returning(Message.type),
            execution_options=NO_SYNC,
        )
        for kind in kinds.all():
            if kind == MessageKind.LEARNING.value:
                report.learnings += 1
            else:
                report.chat_messages += 1

    async def _merge_likes(self, s: int, a: int, report: MergeReport) -> None:
        """Runs after the messages moved: the survivor's own messages include the absorbed's."""
        liked_by_survivor = select(MessageLike.message_id).where(MessageLike.user_id == s)
        combined = await self._ids(
            delete(MessageLike)
            .where(MessageLike.user_id == a, MessageLike.message_id.in_(liked_by_survivor))
            .returning(MessageLike.message_id)
        )
        report.likes_combined = len(combined)
        own_messages = select(Message.id).where(Message.user_id == s)
        own = await self._ids(
            delete(MessageLike)
            .where(MessageLike.user_id.in_([s, a]), MessageLike.message_id.in_(own_messages))
            .returning(MessageLike.message_id)
        )
        report.own_likes_dropped = len(own)
        report.likes = await self._count(
            update(MessageLike)
            .where(MessageLike.user_id == a)
            .values(user_id=s)
            .returning(MessageLike.id)
        )
        affected = sorted(set(combined) | set(own))
        if affected:
            count = (
                select(func.count())
                .select_from(MessageLike)
                .where(MessageLike.message_id == Message.id)
                .scalar_subquery()
            )
            await self.session.execute(
                update(Message)
                .where(Message.id.in_(affected))
                .values(likes_count=count)
                .execution_options(**NO_SYNC)
            )
        report.recounted_messages = affected

    async def _merge_trusts(self, s: int, a: int, report: MergeReport) -> None:
        report.self_trusts_dropped = await self._count(
            delete(Trust)
            .where(
                or_(
                    (Trust.truster_id == a) & (Trust.trustee_id == s),
                    (Trust.truster_id == s) & (Trust.trustee_id == a),
                )
            )
            .returning(Trust.truster_id)
        )
        trusted_by_survivor = select(Trust.trustee_id).where(Trust.truster_id == s)
        trusting_survivor = select(Trust.truster_id).where(Trust.trustee_id == s)
        report.trusts_combined = await self._count(
            delete(Trust)
            .where(Trust.truster_id == a, Trust.trustee_id.in_(trusted_by_survivor))
            .returning(Trust.truster_id)
        ) + await self._count(
            delete(Trust)
            .where(Trust.trustee_id == a, Trust.truster_id.in_(trusting_survivor))
            .returning(Trust.truster_id)
        )
        report.trusts = await self._count(
            update(Trust)
            .where(Trust.truster_id == a)
            .values(truster_id=s)
            .returning(Trust.trustee_id)
        ) + await self._count(
            update(Trust)
            .where(Trust.trustee_id == a)
            .values(trustee_id=s)
            .returning(Trust.truster_id)
        )

    async def _merge_settings(self, s: int, a: int, report: MergeReport) -> dict[int, str]:
        """The survivor's settings, maybe with the absorbed user's zone; returns both zones as
        they were."""
        rows = await self.session.execute(
            select(UserSettings.user_id, UserSettings.timezone).where(
                UserSettings.user_id.in_([s, a])
            )
        )
        zones: dict[int, str] = {s: self.default_timezone, a: self.default_timezone}
        zones.update({user_id: zone for user_id, zone in rows.all()})
        if zones[s] == self.default_timezone and zones[a] != self.default_timezone:
            await self.session.execute(
                update(UserSettings)
                .where(UserSettings.user_id == s)
                # next_summary_at=None: the scheduler plans the summary again in the new zone
                .values(timezone=zones[a], next_summary_at=None)
                .execution_options(**NO_SYNC)
            )
            report.timezone_taken = zones[a]
        return zones

    async def _merge_profile(
        self, mine: dict[str, Any], theirs: dict[str, Any], book: BookMerge, report: MergeReport
    ) -> None:
        values: dict[str, Any] = {}
        if mine["email"] is None and theirs["email"] is not None:
            # The address is unique: free it on the absorbed user first.
            await self.session.execute(
                update(User)
                .where(User.id == theirs["id"])
                .values(email=None)
                .execution_options(**NO_SYNC)
            )
            values.update(email=theirs["email"], password_hash=theirs["password_hash"])
            report.profile_taken.append("email")
        elif theirs["email"] is not None and theirs["email"] != mine["email"]:
            report.email_dropped = theirs["email"]  # one sign-in per profile: the survivor's
        if mine["photo_url"] is None and theirs["photo_url"] is not None:
            values["photo_url"] = theirs["photo_url"]
            report.profile_taken.append("photo")
        if book.book is not None:
            values["lifebook"] = book.book
            report.profile_taken.append("lifebook")
        report.goals_left_out = book.left_out
        if theirs["role"] == UserRole.ADMIN.value and mine["role"] != UserRole.ADMIN.value:
            values["role"] = UserRole.ADMIN.value
            report.profile_taken.append("admin")
        if theirs["banned_at"] is not None and mine["banned_at"] is None:  # no escape by linking
            values.update(
                banned_at=theirs["banned_at"],
                banned_by=theirs["banned_by"],
                ban_reason=theirs["ban_reason"],
            )
            report.profile_taken.append("ban")
        if values:
            await self.session.execute(
                update(User)
                .where(User.id == mine["id"])
                .values(**values)
                .execution_options(**NO_SYNC)
            )

    # --- helpers -------------------------------------------------------------------------
    def _forget(self, absorbed_id: int) -> None:
        """Drop the deleted user from the session and reload everything else on next use."""
        for obj in list(self.session.identity_map.values()):
            if (isinstance(obj, User) and obj.id == absorbed_id) or (
                isinstance(obj, UserSettings) and obj.user_id == absorbed_id
            ):
                self.session.expunge(obj)
        self.session.expire_all()

    async def _count(self, stmt: Any) -> int:
        return len(await self._ids(stmt))

    async def _ids(self, stmt: Any) -> list[Any]:
        result = await self.session.execute(stmt, execution_options=NO_SYNC)
        return list(result.scalars().all())

    async def _scalar(self, stmt: Any) -> int:
        return int(await self.session.scalar(stmt) or 0)
