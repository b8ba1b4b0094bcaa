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
    if state.step == "keywords" and (says_skip(ctx.request) or _said_enough(text)):
        return await _advance(ctx, state, "")  # 'done' there, out of habit, is no keyword
    if state.step == "steps" and _says_enough(ctx, state, text):
        return _to_keywords(ctx, state)
    if state.step == "steps" and _said_enough(text):
        return _too_few_steps(state)
    if ctx.request.command is not None:  # a bare /skip where there is nothing to skip
        return Response.say("Only the keywords can be skipped; please answer, or send /cancel.")
    return await _advance(ctx, state, text)


async def _advance(ctx: Context, state: FlowState, value: str) -> Response:
    if state.step not in STEPS:
        ctx.end_flow()
        return Response.say("That setup got lost, sorry. Start again with /addtool.")
    data = dict(state.data)
    if state.step == "steps" and data.get("steps"):
        return _more_steps(ctx, state, value)
    clean = " ".join(value.split()) if state.step != "steps" else value
    if state.step == "steps" and 0 < len(_steps(clean)) < MIN_STEPS:
        return _more_steps(ctx, state, value)  # one a message: kept, and the next asked for
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
    here = state is not None and state.name == FLOW and state.step == "steps"
    steps = state.data.get("steps", "") if state is not None and here else ""
    if state is not None and args == ["steps"] and len(_steps(str(steps))) >= MIN_STEPS:
        return _to_keywords(ctx, state)  # "That's all": the steps sent one a message
    if state is None or state.name != FLOW or args != ["skip"] or state.step != "keywords":
        return Response(notice="That button belongs to an earlier step.")
    return await _advance(ctx, state, "")


# --- steps sent one a message ------------------------------------------------------------
ENOUGH = frozenset({"done", "that's all", "thats all", "that is all", "no more", "finished"})


def _said_enough(text: str) -> bool:
    """'done', 'that's all' (the button's label typed) and the like: no step, no keyword."""
    return " ".join(text.split()).lower().strip(" .!").replace("’", "'") in ENOUGH


def _says_enough(ctx: Context, state: FlowState, text: str) -> bool:
    """'done' (or a bare /skip) once the steps kept so far are enough."""
    kept = _steps(str(state.data.get("steps", "")))
    said = _said_enough(text) or says_skip(ctx.request)
    return said and len(kept) >= MIN_STEPS


def _too_few_steps(state: FlowState) -> Response:
    """'done' before there are MIN_STEPS: kept as no step (it was "3. done"), the next asked."""
    kept = _steps(str(state.data.get("steps", "")))
    if not kept:
        return Response.say(
            f"A tool needs at least {MIN_STEPS} steps: send the first one.", personal=True
        )
    listed = "\n".join(f"{n}. {s}" for n, s in enumerate(kept, 1))
    return Response.say(
        f"Steps so far:\n{listed}\n\nA tool needs at least {MIN_STEPS} steps: "
        f"send the next one ({MIN_STEPS - len(kept)} more at least).",
        personal=True,
    )


def _more_steps(ctx: Context, state: FlowState, value: str) -> Response:
    """Steps sent one (or a few) a message: each kept (one sent again is kept once), and the
    next asked for until there are MIN_STEPS; then more, or 'done', up to MAX_STEPS."""
    kept = _steps(str(state.data.get("steps", "")))
    seen = {s.casefold() for s in kept}
    new = [s for s in _steps(value) if s.casefold() not in seen]
    if any(len(s) > STEP_MAX for s in new):
        return _ask("steps", note=f"Keep each step under {STEP_MAX} characters.\n\n")
    if len(kept) + len(new) > MAX_STEPS:
        go_on = ", or 'done' to go on" if len(kept) >= MIN_STEPS else ""
        return Response.say(
            f"That makes {len(kept) + len(new)} steps; a tool has at most {MAX_STEPS}. "
            f"You have {len(kept)}: send fewer{go_on}.",
            personal=True,
        )
    data = {**state.data, "steps": "\n".join([*kept, *new])}
    state = FlowState(FLOW, "steps", data)
    ctx.set_flow(state)
    total = len(kept) + len(new)
    listed = "\n".join(f"{n}. {s}" for n, s in enumerate([*kept, *new], 1))
    if total == MAX_STEPS:
        return _to_keywords(ctx, state)
    if total < MIN_STEPS:
        return Response.say(
            f"Steps so far:\n{listed}\n\nSend the next one ({MIN_STEPS - total} more at least).",
            personal=True,
        )
    return Response.say(
        f"Steps so far:\n{listed}\n\nSend another, or 'done' if that's all.",
        buttons=[[Button("That's all", button_payload(ADD_TOOL, "steps"))]],
        personal=True,
    )


def _to_keywords(ctx: Context, state: FlowState) -> Response:
    ctx.set_flow(FlowState(FLOW, "keywords", dict(state.data)))
    return _ask("keywords")
