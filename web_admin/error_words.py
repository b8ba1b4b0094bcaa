"""The domain's refusals in the API's terms. Core errors are worded for the chat ("Archive one
with /deletehabit first"); those that name a chat command carry a code and facts
(core.errors.Code), and here each is said with the API's fields and routes instead, and tied to
the field of the request it is about (the problem's `errors`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from core.errors import Code, HabitLinkError, InvalidField

Facts = Mapping[str, Any]
HABITS = "/api/v1/habits"
GROUPS = "/api/v1/groups"


@dataclass(frozen=True)
class Words:
    say: Callable[[Facts], str]
    field: str | None = None  # the request field the refusal is about


def _day(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _group(facts: Facts) -> str:
    return f"{GROUPS}/{facts['group_id']}" if "group_id" in facts else f"{GROUPS}/{{group_id}}"


def _habit_limit(f: Facts) -> str:
    back = f", so {f['title']} can't come back yet" if "title" in f else ""
    return (
        f"You already have {f['limit']} habits{back}. Archive one (POST {HABITS}/{{habit_id}}"
        f"/archive) or delete one (DELETE {HABITS}/{{habit_id}}) first."
    )


WORDS: dict[Code, Words] = {
    Code.HABIT_LIMIT: Words(_habit_limit),
    Code.SKIP_BEFORE_START: Words(
        lambda f: (
            f"{f['title']} starts on {_day(f['start'])}, so there is nothing to skip on "
            f"{_day(f['day'])}. A check-in with status 'done' for that day would start it there."
        ),
        "date",
    ),
    Code.SKIP_REST_DAY: Words(
        lambda f: (
            f"{f['title']} is not due on {f['day'].strftime('%A')}s (it is "
            f"{f['schedule']}), so there is nothing to skip on {_day(f['day'])}."
        ),
        "date",
    ),
    Code.ALREADY_ACTIVE: Words(
        lambda f: f"{f['title']} is back among your habits already (GET {HABITS})."
    ),
    Code.RESTORE_TITLE_TAKEN: Words(
        lambda f: (
            f"You already have a habit called “{f['same']}”, so {f['title']} can't come "
            f"back beside it. Give that one another title (PATCH {HABITS}/{{habit_id}}), or "
            "archive or delete it, then restore this one."
        ),
        "title",
    ),
    Code.GROUP_BANNED: Words(
        lambda f: (
            f"You can't join {f['group']}: its owner or an admin removed you for good. "
            "Only they can let you back in."
        )
    ),
    Code.GROUP_WRONG_CODE: Words(
        lambda f: (
            f"That code doesn't open {f['group']} (its code changes when someone is "
            "kicked or banned). Ask a member for the current one."
        ),
        "invite_code",
    ),
    Code.GROUP_PRIVATE: Words(
        lambda f: (
            f"{f['group']} is private: only its members can see that. To take part, ask a "
            f"member for its invite code and send it to POST {GROUPS}/join."
        )
    ),
    Code.GROUP_LIMIT: Words(
        lambda f: (
            f"You are already in {f['limit']} groups. Leave one first "
            f"(POST {GROUPS}/{{group_id}}/leave)."
        )
    ),
    Code.OWNER_LEAVING: Words(
        lambda f: (
            f"You own {f['group']}, and it has other members: hand it over to one of them "
            "first (in the group's chat), then leave."
        )
    ),
    Code.MEMBERS_ONLY: Words(
        lambda f: (
            f"Only members of {f['group']} can do that. Join it first (POST {_group(f)}/join)."
        )
    ),
    Code.LEARNING_TWICE: Words(
        lambda f: f"You already shared that in {f['group']} (GET {_group(f)}/learnings).",
        "content",
    ),
    Code.TOOL_GONE: Words(
        lambda _: "That tool is not in the Toolbox any more. Browse them with GET /api/v1/tools."
    ),
    Code.TOOL_UNNAMED: Words(
        lambda _: "Which tool? Give its name or slug; GET /api/v1/tools lists them.", "name"
    ),
    Code.TOOL_UNKNOWN: Words(
        lambda f: (
            f"There is no tool called “{f['typed']}”. Browse them with GET /api/v1/tools, "
            "or describe your problem to POST /api/v1/tools/find."
            if "typed" in f
            else f"There is no tool with the id {f['id']}. Browse them with GET /api/v1/tools."
        ),
        "name",
    ),
    Code.TOOL_TITLE_TAKEN: Words(
        lambda f: f"There is already a tool called “{f['title']}”.", "title"
    ),
    Code.HABIT_TOOLS_FULL: Words(
        lambda f: (
            f"“{f['habit']}” uses {f['limit']} tools already; detach one first "
            f"(DELETE {HABITS}/{{habit_id}}/tools/{{tool_id}})."
        ),
        "tool_id",
    ),
    Code.NOT_IN_LIFEBOOK: Words(
        lambda _: (
            "That is not in your Lifebook (any more): GET /api/v1/lifebook shows its "
            "serves_key values."
        ),
        "serves",
    ),
    Code.DAY_IN_FUTURE: Words(
        lambda f: f"{_day(f['day'])} is in the future; check-ins are for today or earlier.",
        "date",
    ),
    Code.DAY_TOO_FAR_BACK: Words(
        lambda f: (
            f"{_day(f['day'])} is more than {f['limit']} days ago; check-ins go back one week "
            "at most."
        ),
        "date",
    ),
    Code.LEARNING_EMPTY: Words(
        lambda _: (
            "What did you learn? Give it as content, for example “Laying out my shoes the night "
            "before gets me running.”"
        ),
        "content",
    ),
    Code.EMAIL_TAKEN: Words(
        lambda _: "An account with this email exists already: sign in (POST /api/v1/auth/login).",
        "email",
    ),
}


def said(exc: HabitLinkError) -> str:
    """The refusal as the API says it: in its terms when it has a code, else as it is."""
    words = WORDS.get(exc.code) if exc.code is not None else None
    return words.say(exc.facts) if words is not None else exc.message


def as_field(field: str, exc: HabitLinkError) -> InvalidField:
    """The refusal as one about a request field, in the API's words, keeping its code."""
    return InvalidField(field, said(exc), code=exc.code, facts=exc.facts)


def field_of(exc: HabitLinkError) -> str | None:
    """The request field the refusal is about, when it has a code that names one."""
    words = WORDS.get(exc.code) if exc.code is not None else None
    return words.field if words is not None else None
