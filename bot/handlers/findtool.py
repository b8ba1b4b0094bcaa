"""/findtool PROBLEM: the three Toolbox tools that fit, a sentence each, buttons to open or use."""

from __future__ import annotations

from bot.buttons import TOOLBOX, button_payload
from bot.commands import Arg, Where
from bot.context import Context
from bot.messages import Button, Response, Rich, Span, bold, example, italic
from bot.metrics import AI_FALLBACKS
from bot.router import Router
from bot.views import button_title
from core.finder.service import PROBLEM_MAX, has_emoji, has_words

router = Router()
ECHO_MAX = 80


@router.command(
    "findtool",
    "Describe what gets in your way; get three techniques that fit",
    Arg.text("problem", "In your own words: what gets in your way?", required=True),
    where=Where.PRIVATE,
    section="Toolbox",
    bare=True,
)
async def findtool(ctx: Context) -> Response:
    problem = " ".join(ctx.args.text("problem").split())
    if not has_words(problem) and has_emoji(problem):  # '😴😴😴': a feeling, but no words
        return Response.say(
            f"I can't read emoji alone ({_echo(problem)}). Tell me what gets in your way in "
            "words, for example:\n",
            example("/findtool I keep skipping the gym after work"),
            personal=True,
        )
    if not has_words(problem):  # empty, or only "?": nothing to go on
        return Response.say(
            "Tell me what gets in your way, in your own words. For example:\n",
            example("/findtool I keep skipping the gym after work"),
            personal=True,
        )
    habits = await ctx.habits.active(ctx.user)
    finding = await ctx.tool_finder.find(ctx.uow, ctx.user, problem, today=ctx.today, habits=habits)
    if finding.answered_by is None:
        AI_FALLBACKS.inc()
    parts: list[Rich | Span | str] = ["Three tools for “", _echo(problem), "”:"]
    buttons: list[list[Button]] = []
    for suggestion in finding.suggestions:  # unnumbered: /tool N is the Toolbox's Nth (/tools)
        tool = suggestion.tool
        parts += ["\n\n", bold(tool.title), "\n", suggestion.reason]
        row = [
            Button(f"Open {button_title(tool.title, 22)}", button_payload(TOOLBOX, "o", tool.id))
        ]
        if habits:
            row.append(Button("Use for a habit", button_payload(TOOLBOX, "u", tool.id)))
        buttons.append(row)
    if len(problem) > PROBLEM_MAX:
        parts += ["\n\n", italic(f"I read the first {PROBLEM_MAX} characters.")]
    uses = "; /usetool NAME HABIT uses it for a habit" if habits else ""
    parts += ["\n\n", italic(f"Open one below, or /tool NAME{uses}.")]  # typed, for no buttons
    parts += ["\n", italic(finding.footnote())]
    return Response.say(*parts, buttons=buttons, personal=True)


def _echo(problem: str) -> str:
    return problem if len(problem) <= ECHO_MAX else problem[: ECHO_MAX - 1] + "…"
