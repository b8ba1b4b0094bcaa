"""/addtool: share a technique with everyone, in a guided flow (title, summary, steps, keywords).

Community tools show their author; each person may add a few a day (TOOLS_PER_DAY)."""

from __future__ import annotations

import re

from bot.buttons import ADD_TOOL, TOOLBOX, button_payload
from bot.commands import Arg, Where
from bot.context import Context
from bot.messages import Button, Response, bold, italic
from bot.router import Router, says_skip
from core.errors import InvalidInput
from core.flows import FlowState
from core.lifebook.model import split_items
from core.toolbox.service import ADD_COUNTER
from core.toolbox.spec import (
    MAX_STEPS,
    MIN_STEPS,
    STEP_MAX,
    SUMMARY_MAX,
    SUMMARY_MIN,
    TITLE_MAX,
    TITLE_MIN,
    one_line,
)

router = Router()
FLOW = "addtool"
STEPS = ("title", "summary", "steps", "keywords")
QUESTIONS = {
    "title": (
        f"What is the technique called? ({TITLE_MIN}–{TITLE_MAX} characters)",
        "Walk-and-talk calls",
    ),
    "summary": (
        "In a sentence or two, what is it and why does it work? "
        f"({SUMMARY_MIN}–{SUMMARY_MAX} characters)",
        "Take phone calls while walking, so catching up with friends also gets you moving.",
    ),
    "steps": (
        f"Its steps, {MIN_STEPS} to {MAX_STEPS}, one per line (or separated by ';').",
        "Pick the calls you make every week; Put on shoes before you dial; Walk until you hang up",
    ),
    "keywords": (
        "A few keywords, separated by commas, so others find it (or skip).",
        "walking, calls, friends, exercise",
    ),
}


@router.command(
    "addtool",
    "Share a technique with everyone (guided)",
    Arg.text("title", "Its name (you'll be asked for the rest)"),
    where=Where.PRIVATE,
    section="Toolbox",
)
async def addtool(ctx: Context) -> Response:
    used = await ctx.uow.counters.used(ctx.user.id, ADD_COUNTER, ctx.today)
    if used >= ctx.tools_per_day:
        return Response.say(
            f"You can add {ctx.tools_per_day} tools a day, and today's are used. "
            "Thank you for sharing; try again tomorrow."
        )
    title = " ".join(ctx.args.text("title").split())
    ctx.start_flow(FLOW, "title")
    if title:
        return await _advance(ctx, FlowState(FLOW, "title", {}), title)
    return _ask("title", note="Let's add a tool to the Toolbox. Send /cancel to stop.\n\n")


def _ask(step: str, *, note: str = "") -> Response:
    question, example = QUESTIONS[step]
    index = STEPS.index(step)
    buttons = [[Button("Skip", button_payload(ADD_TOOL, "skip"))]] if step == "keywords" else []
    return Response.say(
        note,
        bold(f"{index + 1}/{len(STEPS)} "),
        question,
        "\n",
        italic(f"For example: {example}"),
        buttons=buttons,
        personal=True,
    )


def _steps(text: str) -> list[str]:
    """One step a line (or between semicolons); a blank one (spaces of any kind) is none, as
    ToolSpec drops it, so the count checked here is the count the tool gets."""
    items = (s.strip(" -•\t") for s in re.split(r"[;\n]", text))
    return [s for s in items if one_line(s)]


def _check(step: str, value: str, data: dict[str, object]) -> None:
    """Validate one answer now, so the person can fix it at once."""
    if step == "title" and not TITLE_MIN <= len(value) <= TITLE_MAX:
        raise InvalidInput(f"Keep the name between {TITLE_MIN} and {TITLE_MAX} characters.")
    if step == "summary" and not SUMMARY_MIN <= len(value) <= SUMMARY_MAX:
        raise InvalidInput(f"Keep it between {SUMMARY_MIN} and {SUMMARY_MAX} characters.")
    if step == "steps":
        steps = _steps(value)
        if not MIN_STEPS <= len(steps) <= MAX_STEPS:
            raise InvalidInput(
                f"Please give {MIN_STEPS} to {MAX_STEPS} steps; that was {len(steps)}."
            )
        if any(len(s) > STEP_MAX for s in steps):
            raise InvalidInput(f"Keep each step under {STEP_MAX} characters.")


@router.flow(FLOW, what="the new tool", start="addtool", skippable=True)
async def answer(ctx: Context, state: FlowState) -> Response:
    text = ctx.request.text.strip()
    if not text:
        return Response.say("Please answer in text, or send /cancel to stop.")
    if says_skip(ctx.request) and state.step == "keywords":
        return await _advance(ctx, state, "")
    if ctx.request.command is not None:  # a bare /skip where there is nothing to skip
        return Response.say("Only the keywords can be skipped; please answer, or send /cancel.")
    return await _advance(ctx, state, text)


async def _advance(ctx: Context, state: FlowState, value: str) -> Response:
    if state.step not in STEPS:
        ctx.end_flow()
        return Response.say("That setup got lost, sorry. Start again with /addtool.")
    data = dict(state.data)
    clean = " ".join(value.split()) if state.step != "steps" else value
    try:
        _check(state.step, clean, data)
    except InvalidInput as exc:
        return _ask(state.step, note=exc.message + "\n\n")
    if state.step == "title" and await ctx.toolbox.title_taken(clean):
        return _ask("title", note=f"There is already a tool called “{clean}”. Another name?\n\n")
    data[state.step] = clean
    index = STEPS.index(state.step)
    if index + 1 < len(STEPS):
        ctx.set_flow(FlowState(FLOW, STEPS[index + 1], data))
        return _ask(STEPS[index + 1])
    ctx.end_flow()
    spec = ctx.toolbox.draft(
        str(data["title"]),
        str(data["summary"]),
        _steps(str(data["steps"])),
        split_items(str(data.get("keywords", ""))),
    )
    tool = await ctx.toolbox.add(ctx.user, spec, ctx.today, ctx.tools_per_day)
    return Response.say(
        "Thank you! ",
        bold(tool.title),
        " is in the Toolbox now, with your name on it.",
        buttons=[[Button("Open it", button_payload(TOOLBOX, "o", tool.id))]],
        personal=True,
    )


@router.button(ADD_TOOL)
async def press(ctx: Context, args: list[str]) -> Response:
    state = ctx.flow
    if state is None or state.name != FLOW or args != ["skip"] or state.step != "keywords":
        return Response(notice="That button belongs to an earlier step.")
    return await _advance(ctx, state, "")
