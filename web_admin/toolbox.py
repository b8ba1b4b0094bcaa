"""/api/v1/tools: the Toolbox of habit techniques. Browse or search, read one (steps, source,
evidence), share one (a few a day each, TOOLS_PER_DAY), the AI tool finder for a problem in your
own words, and the techniques a habit uses. The rules are the chat's /tools, /tool, /addtool,
/findtool and /usetool: the same services, limits and fallback to the offline ranking."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field, ValidationError

from bot.metrics import AI_FALLBACKS
from core.db.models import Tool, ToolOrigin, User
from core.errors import InvalidField, InvalidInput, LimitReached, NotFound
from core.finder.service import PROBLEM_MAX, has_words
from core.toolbox.service import ADD_COUNTER, MAX_TOOLS_PER_HABIT, in_toolbox
from core.toolbox.spec import (
    EVIDENCE_LABELS,
    KEYWORD_MAX,
    MAX_KEYWORDS,
    MAX_STEPS,
    STEP_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    Source,
    ToolSpec,
)
from core.users.service import user_zone
from core.validation import friendly
from web_admin.context import CurrentUser, Unit, UnitDep
from web_admin.error_words import as_field
from web_admin.groups import Limit
from web_admin.habits import owned
from web_admin.problems import ApiError
from web_admin.routing import ApiRoute
from web_admin.schemas import (
    DEFAULT_LIMIT,
    CleanText,
    Cursor,
    Id,
    Page,
    RequestBody,
    decode_cursor,
    encode_cursor,
)

router = APIRouter(prefix="/api/v1", tags=["toolbox"], route_class=ApiRoute)
KEYWORD_QUERY_MAX = 40  # what /tools KEYWORD reads
FINDER_TEXT_MAX = 10_000  # accepted; the finder reads the first PROBLEM_MAX characters
FORMER_MEMBER = "a former member"


class ToolSummary(BaseModel):
    id: int
    slug: str = Field(description="Stable for the shipped tools; community ones start with u-")
    title: str
    summary: str
    keywords: list[str]
    evidence: Literal["research", "practitioner", "community"]
    origin: Literal["seed", "community"]
    author: str | None = Field(description="Who shared it (community tools)")
    in_toolbox: bool = Field(
        description="False for a tool an admin hid after a habit began to use it: the habit "
        "keeps it (listed in its tools) until DELETE /habits/{id}/tools/{tool_id}"
    )


class SourceOut(BaseModel):
    authors: str
    year: int
    title: str
    where: str
    citation: str


class HabitRef(BaseModel):
    id: int
    title: str


class ToolOut(ToolSummary):
    steps: list[str]
    problems: list[str] = Field(description="What people say when it helps")
    evidence_label: str
    source: SourceOut | None
    used_by: list[HabitRef] = Field(description="Your habits that use it")


class ToolCreate(RequestBody):
    title: CleanText = Field(max_length=TITLE_MAX * 2)
    summary: CleanText = Field(
        max_length=SUMMARY_MAX * 2, description="What it is and why it works"
    )
    steps: list[Annotated[CleanText, Field(max_length=STEP_MAX * 2)]] = Field(
        max_length=MAX_STEPS * 3, description="3 to 7 steps"
    )
    keywords: list[Annotated[CleanText, Field(max_length=KEYWORD_MAX * 2)]] = Field(
        default=[], max_length=MAX_KEYWORDS * 2
    )


class FindBody(RequestBody):
    problem: CleanText = Field(
        max_length=FINDER_TEXT_MAX,
        description=f"What gets in your way, in your own words; the first {PROBLEM_MAX} "
        "characters are read",
        examples=["I keep skipping the gym after work"],
    )


class SuggestionOut(BaseModel):
    tool: ToolSummary
    reason: str = Field(description="Why it fits, in one sentence")
    by_ai: bool = Field(description="False: chosen by the offline ranking")
    matched_words: list[str] = Field(description="Offline: your words the tool's text has")


class FindingOut(BaseModel):
    suggestions: list[SuggestionOut]
    answered_by: str | None = Field(description="The AI service and model; null: offline")
    offline_because: str | None
    footnote: str
    read_characters: int = Field(description="How much of the problem was read")


class HabitTools(BaseModel):
    habit_id: int
    tools: list[ToolSummary]


class HabitToolsAfterUse(HabitTools):
    """PUT's answer: the habit's tools, and whether this request attached the tool."""

    changed: bool = Field(description="False: it was attached already")


async def summaries(unit: Unit, tools: list[Tool]) -> list[ToolSummary]:
    authors = await unit.toolbox.authors(tools)
    return [summary(t, authors) for t in tools]


def summary(tool: Tool, authors: dict[int, str]) -> ToolSummary:
    community = tool.origin == ToolOrigin.COMMUNITY.value
    return ToolSummary(
        id=tool.id,
        slug=tool.slug,
        title=tool.title,
        summary=tool.description,
        keywords=list(tool.keywords),
        evidence=tool.evidence,
        origin=tool.origin,
        author=authors.get(tool.author_id or 0, FORMER_MEMBER) if community else None,
        in_toolbox=in_toolbox(tool),
    )


async def tool_out(unit: Unit, user: User, tool: Tool) -> ToolOut:
    base = (await summaries(unit, [tool]))[0]
    habits = await unit.habits.active(user)
    used = await unit.toolbox.for_habits([h.id for h in habits])
    source = Source.model_validate(tool.source) if tool.source else None
    return ToolOut(
        **base.model_dump(),
        steps=list(tool.steps),
        problems=list(tool.problems),
        evidence_label=EVIDENCE_LABELS.get(tool.evidence, tool.evidence),
        source=SourceOut(**source.model_dump(), citation=source.cite()) if source else None,
        used_by=[
            HabitRef(id=h.id, title=h.title)
            for h in habits
            if any(t.id == tool.id for t in used.get(h.id, []))
        ],
    )


@router.get("/tools", response_model=Page[ToolSummary], summary="Browse or search the Toolbox")
async def browse(
    user: CurrentUser,
    unit: UnitDep,
    q: Annotated[
        CleanText | None,
        Query(max_length=KEYWORD_QUERY_MAX, description="Only tools mentioning this word"),
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[ToolSummary]:
    start = decode_cursor(cursor, first=0)
    found = await unit.toolbox.browse(q or "")
    shown = found[start : start + limit]
    more = start + limit < len(found)
    return Page(
        items=await summaries(unit, shown),
        next_cursor=encode_cursor(start + limit) if more else None,
    )


@router.get("/tools/by-name/{name}", response_model=ToolOut, summary="A tool by name or slug")
async def by_name(
    name: Annotated[CleanText, Path(max_length=120)], user: CurrentUser, unit: UnitDep
) -> ToolOut:
    try:
        tool = await unit.toolbox.find(name)
    except NotFound as exc:
        hint = f" Did you mean: {', '.join(exc.suggestions)}?" if exc.suggestions else ""
        raise ApiError(404, f"There is no tool called “{name.strip()[:60]}”.{hint}") from None
    except InvalidInput as exc:
        raise as_field("name", exc) from None
    return await tool_out(unit, user, tool)


@router.get("/tools/{tool_id}", response_model=ToolOut, summary="One tool: steps and source")
async def get_tool(tool_id: Id, user: CurrentUser, unit: UnitDep) -> ToolOut:
    return await tool_out(unit, user, await unit.toolbox.get(tool_id))


@router.post(
    "/tools",
    status_code=201,
    response_model=ToolOut,
    summary="Share a technique with everyone (it shows your name; a few a day)",
)
async def add_tool(body: ToolCreate, user: CurrentUser, unit: UnitDep) -> ToolOut:
    per_day = unit.web.settings.tools_per_day
    today = unit.today(user)
    if await unit.uow.counters.used(user.id, ADD_COUNTER, today) >= per_day:
        raise _daily_limit(unit, user, today, per_day)
    try:
        spec = ToolSpec.model_validate(
            {"slug": "u-draft", **body.model_dump(exclude={"steps"}), "steps": body.steps}
        )
    except ValidationError as exc:
        field = str(exc.errors()[0]["loc"][0]) if exc.errors()[0]["loc"] else "body"
        raise InvalidField(field, friendly(exc)) from None
    if await unit.toolbox.title_taken(spec.title):
        raise InvalidField("title", f"There is already a tool called “{spec.title}”.")
    try:
        tool = await unit.toolbox.add(user, spec, today, per_day)
    except LimitReached:  # requests sent at once got past the check above together
        raise _daily_limit(unit, user, today, per_day) from None
    except InvalidInput as exc:
        raise as_field("title", exc) from None
    return await tool_out(unit, user, tool)


def _daily_limit(unit: Unit, user: User, today: date, per_day: int) -> ApiError:
    """429 until the person's next day, however the limit was found to be used up."""
    return ApiError(
        429,
        f"You can add {per_day} tools a day, and today's are used. Try again tomorrow.",
        headers={"Retry-After": str(_seconds_to_tomorrow(unit, user, today))},
    )


def _seconds_to_tomorrow(unit: Unit, user: User, today: date) -> int:
    """Until the person's next day begins (their time zone and day start)."""
    start = datetime.combine(
        today + timedelta(days=1), time(user.settings.day_start_hour), tzinfo=user_zone(user)
    )
    return max(int((start - unit.clock.now()).total_seconds()), 1)


@router.post(
    "/tools/find",
    response_model=FindingOut,
    summary="The AI tool finder: three tools for a problem in your own words, each with why",
    description="With an AI service set up (OPENAI_API_KEY or GROQ_API_KEY) it asks it, with a "
    "timeout and one retry, and checks the answer against the Toolbox; without one, after an "
    "error or timeout, or past AI_DAILY_LIMIT it ranks offline (BM25). `footnote` says which.",
)
async def find_tools(body: FindBody, user: CurrentUser, unit: UnitDep) -> FindingOut:
    text = " ".join(body.problem.split())
    if not has_words(text):  # empty, or only marks and emoji
        raise InvalidField(
            "problem", "Tell me what gets in your way, e.g. I keep skipping the gym after work."
        )
    habits = await unit.habits.active(user)
    finding = await unit.web.tool_finder.find(
        unit.uow, user, text, today=unit.today(user), habits=habits
    )
    if finding.answered_by is None:
        AI_FALLBACKS.inc()
    authors = await unit.toolbox.authors([s.tool for s in finding.suggestions])
    return FindingOut(
        suggestions=[
            SuggestionOut(
                tool=summary(s.tool, authors),
                reason=s.reason,
                by_ai=s.by_ai,
                matched_words=list(s.matched),
            )
            for s in finding.suggestions
        ],
        answered_by=finding.answered_by,
        offline_because=finding.offline_because,
        footnote=finding.footnote(),
        read_characters=min(len(text), PROBLEM_MAX),
    )


# --- the techniques a habit uses -------------------------------------------------------------
async def habit_tools(unit: Unit, habit_id: int) -> HabitTools:
    used = await unit.toolbox.for_habits([habit_id])
    return HabitTools(habit_id=habit_id, tools=await summaries(unit, used.get(habit_id, [])))


@router.get(
    "/habits/{habit_id}/tools",
    response_model=HabitTools,
    tags=["habits"],
    summary="The techniques a habit uses",
)
async def list_habit_tools(habit_id: Id, user: CurrentUser, unit: UnitDep) -> HabitTools:
    habit = await owned(unit, user, habit_id)
    return await habit_tools(unit, habit.id)


@router.put(
    "/habits/{habit_id}/tools/{tool_id}",
    response_model=HabitToolsAfterUse,
    tags=["habits"],
    summary=f"Use a technique for a habit (up to {MAX_TOOLS_PER_HABIT} each)",
)
async def attach_tool(
    habit_id: Id, tool_id: Id, user: CurrentUser, unit: UnitDep
) -> HabitToolsAfterUse:
    habit = await owned(unit, user, habit_id)
    tool = await unit.toolbox.get(tool_id)
    try:
        changed = await unit.toolbox.attach(habit, tool)
    except InvalidInput as exc:
        raise as_field("tool_id", exc) from None
    listed = await habit_tools(unit, habit.id)
    return HabitToolsAfterUse(habit_id=listed.habit_id, tools=listed.tools, changed=changed)


@router.delete(
    "/habits/{habit_id}/tools/{tool_id}",
    status_code=204,
    tags=["habits"],
    summary="Stop using a technique for a habit (one it does not use: 204 too, nothing changes)",
)
async def detach_tool(habit_id: Id, tool_id: Id, user: CurrentUser, unit: UnitDep) -> Response:
    """Idempotent, as PUT of a technique in use is (200, `changed` false) and archiving an
    archived habit is: a technique the habit does not use answers 204 and changes nothing. A
    tool id that is no tool is a 404 (`tool_unknown`); one an admin hid since the habit began
    to use it is detached as any other (the habit keeps it until then)."""
    habit = await owned(unit, user, habit_id)
    await unit.toolbox.detach(habit, await unit.toolbox.get(tool_id, hidden=True))
    return Response(status_code=204)
