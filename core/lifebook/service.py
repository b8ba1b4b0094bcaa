"""Read, edit and erase a person's Lifebook; link habits to the value or goal they serve."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.db.models import Habit, User
from core.errors import Code, InvalidInput, NotFound
from core.lifebook.identity import identity_statement
from core.lifebook.model import (
    Goal,
    Lifebook,
    Section,
    check_due,
    edit,
    goal_key,
    parse_goal,
    split_items,
    split_statements,
    upgrade,
)
from core.users.service import user_today

CLEAR_WORDS = {"-", "none", "clear"}


def serves_value(name: str) -> str:
    return f"value:{name.lower()}"


def serves_goal(goal_id: str) -> str:
    return f"goal:{goal_id}"


def serving_label(book: Lifebook, serves: str | None) -> str | None:
    """'value:health' -> 'Health' (the person's spelling); None when it no longer exists."""
    if not serves:
        return None
    kind, _, key = serves.partition(":")
    if kind == "value":
        return next((v for v in book.values if v.lower() == key), None)
    if kind == "goal":
        goal = book.goal(key)
        return goal.text if goal else None
    return None


class LifebookService:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    def today(self, user: User) -> date:
        """The person's day now: a goal's date may not be before it."""
        return user_today(user, self.clock.now())

    @staticmethod
    def read(user: User) -> Lifebook:
        return upgrade(user.lifebook)

    def save(self, user: User, book: Lifebook) -> Lifebook:
        user.lifebook = book.to_storage()
        return book

    def set_section(self, user: User, section: Section, text: str) -> Lifebook:
        """A whole section from what the person typed; '-' clears it."""
        book = self.read(user)
        text = text.strip()
        if text.lower() in CLEAR_WORDS:
            text = ""
        if section is Section.VISION:
            return self.save(user, edit(book, vision=" ".join(text.split()) or None))
        if section is Section.VALUES:
            return self.save(user, edit(book, values=split_items(text)))
        if section is Section.DOMAINS:
            return self.save(user, edit(book, domains=split_items(text)))
        if section is Section.IDENTITY:
            statements = [identity_statement(s) for s in split_statements(text)]
            return self.save(user, edit(book, identity=statements))
        goals = [parse_goal(item) for item in split_statements(text)]
        kept = [g for g in goals if g[0]]
        return self.save(user, book.with_goals(kept, today=self.today(user)))

    def add_goal(self, user: User, text: str) -> Lifebook:
        if text.strip().lower() in CLEAR_WORDS:  # '-' clears a section; it is not a goal
            raise InvalidInput("To remove every goal: /lifebook goals -")
        goal_text, due = parse_goal(text)
        if not goal_text:
            raise InvalidInput("Tell me the goal, e.g. /lifebook goal Run 5 km by 2026-06-30")
        book = self.read(user).with_goal(goal_text, due, today=self.today(user))
        return self.save(user, book)

    def redate_goal(self, user: User, text: str) -> tuple[Goal, date | None] | None:
        """'/lifebook goal GOAL by DATE' for a goal already there with another date: it takes
        the date, keeping its id and the habits serving it. Returns the goal and its old date;
        None when the words name no goal there or give no new date (then it is added)."""
        goal_text, due = parse_goal(text)
        book = self.read(user)
        same = next((g for g in book.goals if goal_key(g.text) == goal_key(goal_text)), None)
        if same is None or due is None or due == same.due:
            return None
        check_due(same.text, due, self.today(user))
        dated = same.model_copy(update={"due": due})
        self.save(user, edit(book, goals=[dated if g.id == same.id else g for g in book.goals]))
        return dated, same.due

    def remove_goal(self, user: User, goal_id: str) -> Lifebook:
        book = self.read(user)
        if book.goal(goal_id) is None:
            raise NotFound("That goal is not in your Lifebook any more.")
        return self.save(user, edit(book, goals=[g for g in book.goals if g.id != goal_id]))

    def set_ai(self, user: User, allowed: bool) -> Lifebook:
        return self.save(user, edit(self.read(user), ai_allowed=allowed))

    async def delete(self, user: User) -> None:
        """Erase the Lifebook and every habit's link to it (goal ids go on counting)."""
        self.save(user, self.read(user).erased())
        await self.session.execute(
            update(Habit).where(Habit.user_id == user.id).values(serves=None)
        )

    # --- habits serve the Lifebook --------------------------------------------------------
    def targets(self, book: Lifebook) -> list[tuple[str, str]]:
        """What a habit can serve: (key, label) for each goal and value."""
        goals = [(serves_goal(g.id), g.text) for g in book.goals]
        return goals + [(serves_value(v), v) for v in book.values]

    def link(self, user: User, habit: Habit, serves: str | None) -> str | None:
        """Say which value or goal `habit` serves (None: none); returns its label."""
        if serves is None:
            habit.serves = None
            return None
        label = serving_label(self.read(user), serves)
        if label is None:
            raise NotFound(
                "That is not in your Lifebook (any more). See /lifebook.", code=Code.NOT_IN_LIFEBOOK
            )
        habit.serves = serves
        return label

    def habits_by_target(self, book: Lifebook, habits: Sequence[Habit]) -> dict[str, list[Habit]]:
        """Habits grouped by the key of what they serve; links to removed entries are left out."""
        out: dict[str, list[Habit]] = {}
        for habit in habits:
            if serving_label(book, habit.serves) is not None and habit.serves:
                out.setdefault(habit.serves, []).append(habit)
        return out


def compass_line(book: Lifebook, week: date) -> str | None:
    """One line of the person's own words for the weekly summary, a different one each week."""
    lines: list[str] = []
    if book.vision:
        lines.append(book.vision)
    lines += [f"You value {v.lower()}." for v in book.values]
    lines += list(book.identity)
    if not lines:
        return None
    year, number, _ = week.isocalendar()
    return lines[(year * 53 + number) % len(lines)]
