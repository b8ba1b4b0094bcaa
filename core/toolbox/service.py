"""The Toolbox: sync the seed, browse, find by name, add community tools, attach to habits."""

from __future__ import annotations

import difflib
import hashlib
import logging
import re
import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core import counters
from core.clock import Clock
from core.db.models import (
    AuditEntry,
    BotState,
    Habit,
    HabitTool,
    Identity,
    Tool,
    ToolOrigin,
    ToolStatus,
    User,
)
from core.errors import Ambiguous, Code, InvalidInput, LimitReached, NotFound
from core.habits.matching import rank_completions
from core.numbers import parse_int
from core.toolbox.keywords import mentions, stems
from core.toolbox.spec import ToolSpec, load_seed
from core.users.locks import lock_user
from core.validation import build

log = logging.getLogger("habitlink.toolbox")

SEED_STATE_KEY = "toolbox:seed"
EDITED = "tool.edit"  # the audit log's action for an admin's edit (core.admin.tools)
SEED_LOCK = int.from_bytes(
    hashlib.sha256(b"habitlink.toolbox-seed").digest()[:8], "big", signed=True
)
ADD_COUNTER = "tool_added"
MAX_TOOLS_PER_HABIT = 5
PAGE_SIZE = 5
SHOWN = Tool.status != ToolStatus.HIDDEN.value  # an admin hid the others (core.admin.tools)


def in_toolbox(tool: Tool) -> bool:
    """Whether people may see the tool in the Toolbox: not one an admin hid. A habit keeps a
    hidden tool it uses (listed as no longer in the Toolbox) until its person detaches it."""
    return tool.status != ToolStatus.HIDDEN.value


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:50] or "tool"


def _spec_fields(spec: ToolSpec) -> dict[str, object]:
    return {
        "title": spec.title,
        "description": spec.summary,
        "steps": list(spec.steps),
        "keywords": list(spec.keywords),
        "problems": list(spec.problems),
        "source": spec.source.model_dump() if spec.source else {},
        "evidence": spec.evidence,
    }


def seed_rows(now: datetime) -> list[Tool]:
    """The seed Toolbox as unsaved rows, ids in file order: what the offline ranker reads of a
    fresh database's Toolbox (bench_finder, core.finder.make_real_words)."""
    return [
        Tool(
            id=i,
            slug=spec.slug,
            origin=ToolOrigin.SEED.value,
            status=ToolStatus.APPROVED.value,
            created_at=now,
            updated_at=now,
            **_spec_fields(spec),
        )
        for i, spec in enumerate(load_seed().tools, 1)
    ]


def fold_name(text: str) -> str:
    """A tool's name as compared: lower case, apostrophes dropped, hyphens and other marks as
    spaces, so "dont break the chain" names "Don't break the chain" and "eat the frog" the tool
    whose slug is eat-the-frog. A name of marks only (an emoji) is kept, lower-cased."""
    lowered = " ".join(text.split()).lower()
    folded = " ".join(re.sub(r"[\W_]+", " ", re.sub(r"['’`]", "", lowered)).split())
    return folded or lowered


def _tiers(tools: Sequence[Tool], text: str, *, numbered: int = 0) -> list[list[Tool]]:
    """Tools that `text` names (both folded), the first tier that has any deciding: a shipped
    tool by its slug or title (so a community tool named "woop" cannot make /tool woop
    ambiguous), then any tool by its slug, by its whole title, by its number in /tools for the
    first `numbered` of `tools` (in that order: every tool by title; /tool 6, and /usetool's
    reading of its words as a tool and a habit), by a beginning, by a part that begins one of
    its words ('frog', not the 'read' inside 'already'). A name that is one tool's whole title
    thus wins over the tools it is only a part of, and over a number."""
    typed = " ".join(text.split()).removeprefix("#")  # '/tool #6'; '-1' is no number
    number = parse_int(typed, 1, numbered) if numbered and typed.isascii() else None
    text = fold_name(text)
    names = [(t, fold_name(t.slug), fold_name(t.title)) for t in tools]
    exact = [t for t, slug, title in names if text in (slug, title)]
    return [
        [t for t in exact if t.origin == ToolOrigin.SEED.value],
        [t for t, slug, _ in names if slug == text],
        exact,
        [tools[number - 1]] if number is not None else [],
        [t for t, _, title in names if title.startswith(text)],
        [t for t, slug, title in names if f" {text}" in f" {title}" or f" {text}" in f" {slug}"],
    ]


def match_tool(tools: Sequence[Tool], ref: str, *, numbered: int = 0) -> Tool | None:
    """The tool `ref` names without doubt (as `ToolboxService.find` reads it), or None; a
    number is the /tools number of one of the first `numbered` tools."""
    text = " ".join(ref.split()).lower()
    if not text:
        return None
    for match in _tiers(tools, text, numbered=numbered):
        if match:
            return match[0] if len(match) == 1 else None
    return None


async def _hold_seed(session: AsyncSession) -> None:
    """Take the seed's lock until the transaction ends: on PostgreSQL a transaction-scoped
    advisory lock (waited for up to lock_timeout); on SQLite its one write lock, taken by a
    write that changes nothing (waited for up to the busy timeout). What is read after it was
    committed before it (reads before a transaction's first write are not part of it on
    SQLite, see core.media.keylock)."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(select(func.pg_advisory_xact_lock(SEED_LOCK)))
        return
    await session.execute(
        update(BotState)
        .where(BotState.key == SEED_STATE_KEY)
        .values(key=BotState.key)
        .execution_options(synchronize_session=False)
    )


class ToolboxService:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    # --- the seed -------------------------------------------------------------------------
    async def sync_seed(self) -> int:
        """Insert or update the shipped tools by slug; community tools are never touched, nor
        are seed tools an admin edited (their audit log's `tool.edit`): the admin's words stay
        when a release changes the seed file, and a warning names each such tool.

        Cheap when nothing changed: one lookup of the seed file's digest. Returns how many tools
        were written. Requests that find the seed out of date at once (a fresh database) take
        turns (`_hold_seed`): the first writes it, the others find its digest stored."""
        seed = load_seed()
        state = await self.session.get(BotState, SEED_STATE_KEY)
        if state is not None and state.value == seed.digest:
            return 0
        await _hold_seed(self.session)
        state = await self.session.get(BotState, SEED_STATE_KEY, populate_existing=True)
        if state is not None and state.value == seed.digest:
            return 0  # another request wrote it while this one waited
        now = self.clock.now()
        existing = {
            t.slug: t
            for t in await self.session.scalars(
                select(Tool)
                .where(Tool.origin == ToolOrigin.SEED.value)
                .execution_options(populate_existing=True)
            )
        }
        titles = {
            t.lower(): slug for slug, t in await self.session.execute(select(Tool.slug, Tool.title))
        }
        edited = set(
            await self.session.scalars(
                select(AuditEntry.target_id).where(
                    AuditEntry.action == EDITED, AuditEntry.target_type == "tool"
                )
            )
        )
        written = 0
        for spec in seed.tools:
            holder = titles.get(spec.title.lower())
            if holder is not None and holder != spec.slug:
                log.warning("seed tool title is taken", extra={"slug": spec.slug})
                continue
            fields = _spec_fields(spec)
            tool = existing.get(spec.slug)
            if tool is None:
                self.session.add(
                    Tool(
                        slug=spec.slug,
                        origin=ToolOrigin.SEED.value,
                        status=ToolStatus.APPROVED.value,
                        created_at=now,
                        updated_at=now,
                        **fields,
                    )
                )
                written += 1
            elif any(getattr(tool, k) != v for k, v in fields.items()):
                if tool.id in edited:
                    log.warning("seed tool kept as an admin edited it", extra={"slug": spec.slug})
                    continue
                for key, value in fields.items():
                    setattr(tool, key, value)
                tool.updated_at = now
                written += 1
        if state is None:
            self.session.add(BotState(key=SEED_STATE_KEY, value=seed.digest, updated_at=now))
        else:
            state.value, state.updated_at = seed.digest, now
        await self.session.flush()
        return written

    # --- reading --------------------------------------------------------------------------
    async def all(self) -> list[Tool]:
        """Every tool people may see (not those an admin hid), by title."""
        await self.sync_seed()
        return list(
            await self.session.scalars(select(Tool).where(SHOWN).order_by(func.lower(Tool.title)))
        )

    async def completions(
        self, platform: str, external_id: str, typed: str, limit: int
    ) -> list[str]:
        """Autocomplete: tool titles starting with (then containing) what was typed, for the
        person with this chat account; someone banned platform-wide gets none."""
        banned = await self.session.scalar(
            select(Identity.id)
            .join(User, User.id == Identity.user_id)
            .where(
                Identity.platform == platform,
                Identity.external_id == external_id,
                User.banned_at.is_not(None),
            )
        )
        if banned is not None:
            return []
        titles = [t.title for t in await self.all()]
        wanted = " ".join(typed.split()).lower()
        return rank_completions(titles, wanted, str.lower, limit)

    async def browse(self, keyword: str = "") -> list[Tool]:
        """Tools that mention the keyword in some form (core.toolbox.keywords; all when empty)."""
        return [tool for _, tool in await self.numbered(keyword)]

    async def numbered(self, keyword: str = "") -> list[tuple[int, Tool]]:
        """`browse`, each tool with its number in the whole Toolbox (what `/tool N` opens), so a
        list of the tools with a keyword numbers them as the list of all does."""
        word = " ".join(keyword.split()).lower()
        wanted = stems(word)
        return [
            (n, t)
            for n, t in enumerate(await self.all(), 1)
            if not word or mentions(t, word, wanted)
        ]

    async def get(self, tool_id: int, *, hidden: bool = False) -> Tool:
        """The tool with this id; one an admin hid only where `hidden` (to detach it)."""
        await self.sync_seed()
        tool = await self.session.get(Tool, tool_id)
        if tool is None:  # tools are never deleted: this id never was one
            raise NotFound(
                "There is no such tool. See /tools.",
                code=Code.TOOL_UNKNOWN,
                facts={"id": tool_id},
            )
        if not hidden and not in_toolbox(tool):
            raise NotFound(
                "That tool is not in the Toolbox any more. See /tools.", code=Code.TOOL_GONE
            )
        return tool

    async def find(
        self, ref: str, *, numbers: bool = False, tools: Sequence[Tool] | None = None
    ) -> Tool:
        """By slug, exact title, a unique beginning or a unique part of the title; by its number
        in /tools too where `numbers` (the chat's /tool 6). `tools`: `all()`, when the caller
        has read it already."""
        text = " ".join(ref.split()).lower()
        if not text:
            raise InvalidInput("Which tool? Send /tools to browse them.", code=Code.TOOL_UNNAMED)
        if tools is None:
            tools = await self.all()
        for match in _tiers(tools, text, numbered=len(tools) if numbers else 0):
            if len(match) == 1:
                return match[0]
            if len(match) > 1:
                raise Ambiguous(
                    f"More than one tool matches “{ref.strip()[:60]}”.",
                    [t.title for t in match[:5]],
                )
        close = difflib.get_close_matches(text, [t.title.lower() for t in tools], n=3, cutoff=0.5)
        by_lower = {t.title.lower(): t.title for t in tools}
        raise NotFound(
            f"There is no tool called “{ref.strip()[:60]}”. Send /tools to browse, or "
            "/findtool to describe your problem.",
            [by_lower[c] for c in close],
            code=Code.TOOL_UNKNOWN,
            facts={"typed": ref.strip()[:60]},
        )

    async def title_taken(self, title: str) -> bool:
        """Whether a tool has this title (as /tool compares names: case, apostrophes and hyphens
        aside), or a shipped tool this slug: a community tool named "woop" or "Eat the frog"
        could never be found by its name (the shipped tool wins)."""
        await self.sync_seed()
        folded = fold_name(title)
        rows = await self.session.execute(select(Tool.title, Tool.slug, Tool.origin))
        seed = ToolOrigin.SEED.value
        return any(
            folded == fold_name(name) or (origin == seed and folded == fold_name(slug))
            for name, slug, origin in rows
        )

    async def authors(self, tools: Sequence[Tool]) -> dict[int, str]:
        ids = {t.author_id for t in tools if t.author_id is not None}
        if not ids:
            return {}
        rows = await self.session.execute(
            select(User.id, User.display_name).where(User.id.in_(ids))
        )
        return {user_id: name for user_id, name in rows}

    # --- community tools ------------------------------------------------------------------
    async def add(self, author: User, spec: ToolSpec, today: date, per_day: int) -> Tool:
        """A community tool; at most `per_day` a day per person, even when sent at once."""
        await self.sync_seed()
        if await self.title_taken(spec.title):
            raise InvalidInput(
                f"There is already a tool called “{spec.title}”. See /tool.",
                code=Code.TOOL_TITLE_TAKEN,
                facts={"title": spec.title},
            )
        if not await counters.take(self.session, author.id, ADD_COUNTER, today, per_day):
            raise LimitReached(
                f"You can add {per_day} tools a day, and today's are used. Thank you for "
                "sharing; try again tomorrow."
            )
        now = self.clock.now()
        fields = _spec_fields(spec) | {"evidence": "community", "source": {}}
        tool = Tool(
            slug=f"u-{slugify(spec.title)}-{uuid.uuid4().hex[:6]}",
            origin=ToolOrigin.COMMUNITY.value,
            author_id=author.id,
            created_at=now,
            updated_at=now,
            **fields,
        )
        self.session.add(tool)
        try:
            async with self.session.begin_nested():
                await self.session.flush()
        except IntegrityError:
            raise InvalidInput(f"There is already a tool called “{spec.title}”.") from None
        return tool

    @staticmethod
    def draft(
        title: str, summary: str, steps: Sequence[str], keywords: Sequence[str] = ()
    ) -> ToolSpec:
        """Validate what someone typed for /addtool into a spec (friendly errors)."""
        return build(
            ToolSpec,
            slug="u-draft",
            title=title,
            summary=summary,
            steps=list(steps),
            keywords=list(keywords),
        )

    # --- habits use tools -----------------------------------------------------------------
    async def attach(self, habit: Habit, tool: Tool) -> bool:
        """Attach; False when it was already attached. Counted under the owner's row lock."""
        await lock_user(self.session, habit.user_id)
        present = await self.session.get(HabitTool, (habit.id, tool.id))
        if present is not None:
            return False
        count = await self.session.scalar(  # tools an admin hid do not count (nor show)
            select(func.count())
            .select_from(HabitTool)
            .join(Tool, Tool.id == HabitTool.tool_id)
            .where(HabitTool.habit_id == habit.id, SHOWN)
        )
        if (count or 0) >= MAX_TOOLS_PER_HABIT:
            raise InvalidInput(
                f"“{habit.title}” uses {MAX_TOOLS_PER_HABIT} tools already; "
                "detach one first (/usetool TOOL HABIT off).",
                code=Code.HABIT_TOOLS_FULL,
                facts={"habit": habit.title, "limit": MAX_TOOLS_PER_HABIT},
            )
        self.session.add(HabitTool(habit_id=habit.id, tool_id=tool.id, created_at=self.clock.now()))
        await self.session.flush()
        return True

    async def detach(self, habit: Habit, tool: Tool) -> bool:
        result = await self.session.execute(
            delete(HabitTool).where(HabitTool.habit_id == habit.id, HabitTool.tool_id == tool.id)
        )
        return bool(getattr(result, "rowcount", 0))

    async def for_habits(self, habit_ids: Sequence[int]) -> dict[int, list[Tool]]:
        """The tools each habit uses, in the order attached, then those an admin hid since
        (`in_toolbox` tells them apart): the habit keeps them until its person detaches them."""
        if not habit_ids:
            return {}
        rows = await self.session.execute(
            select(HabitTool.habit_id, Tool)
            .join(Tool, Tool.id == HabitTool.tool_id)
            .where(HabitTool.habit_id.in_(habit_ids))
            .order_by(~SHOWN, HabitTool.created_at, Tool.id)
        )
        out: dict[int, list[Tool]] = {}
        for habit_id, tool in rows:
            out.setdefault(habit_id, []).append(tool)
        return out
