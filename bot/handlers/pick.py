"""When HABIT names several habits, or none: a button per habit that runs the command again
with that habit ("/done water" with Drink water and Water plants asks which)."""

from __future__ import annotations

from dataclasses import replace

from bot.arguments import SPOKEN, run_command
from bot.buttons import BUTTON_GONE, HABIT_PICK, button_payload
from bot.choices import CHOICE, choice_state
from bot.commands import Command, Kind
from bot.context import Context
from bot.messages import MAX_BUTTON_PAYLOAD_BYTES, Button, Request, Response
from bot.misread import misread
from bot.router import Router
from bot.views import button_title
from core.errors import Ambiguous, HabitLinkError, NotFound
from core.flows import FlowState
from core.numbers import parse_int

router = Router()
GONE = "That habit isn't on your list (any more). Send /habits for your own list."
AT = "."  # hc:COMMAND:HABIT_ID.K:REST: the habit goes before REST's word K (none: first)


def pick_buttons(exc: Ambiguous | NotFound, request: Request, router: Router) -> list[list[Button]]:
    """A button per habit the error offers, each running the request's command with it; none
    when the request was not a typed command, needs a photo, or the words would not fit."""
    command = router.commands.get(request.command or "")
    if command is None or request.button is not None or not exc.choices or not exc.typed:
        return []
    if any(p.kind is Kind.PHOTO for p in command.params):
        return []  # a press cannot send the photo again
    if isinstance(exc, NotFound) and misread(exc, request, router) is not None:
        return []  # the words were no habit's but a day's or a time's: nothing to pick
    words = request.args.split()
    at = _habit_at(words, exc.typed.split(), first=_habit_first(command))
    rest = " ".join(words[:at] + words[at + len(exc.typed.split()) :]) if at >= 0 else ""
    rows = []
    for choice in exc.choices:
        habit = choice.id if at <= 0 else f"{choice.id}{AT}{at}"
        data = button_payload(HABIT_PICK, command.name, habit, rest)
        if len(data.encode()) > MAX_BUTTON_PAYLOAD_BYTES:
            return []
        rows.append([Button(button_title(choice.title), data)])
    return rows


def typed_pick(ctx: Context, exc: HabitLinkError, request: Request) -> FlowState | None:
    """The question a refused command asks with its habits' buttons ("Did you mean: Read?",
    "Which one: Read, Run?"), as a choice a typed answer can take (bot/choices.py): in a
    private chat, unless a flow under way keeps its own answers. The caller saves it, as the
    command's own work is rolled back."""
    if not isinstance(exc, Ambiguous | NotFound) or not request.chat.is_private:
        return None
    if ctx.flow is not None and ctx.flow.name != CHOICE and not ctx.dropped_flow:
        return None
    buttons = pick_buttons(exc, request, ctx.router)
    return choice_state(buttons) if buttons else None


@router.button(HABIT_PICK)
async def press_pick(ctx: Context, args: list[str]) -> Response:
    """hc:COMMAND:HABIT_ID:REST -> /COMMAND N REST, N the habit's number in /habits now (in
    /archived for /restore), and hc:COMMAND:HABIT_ID.K:REST -> /COMMAND REST with N before
    REST's word K (/usetool woop N)."""
    ref, _, place = args[1].partition(AT) if len(args) >= 3 else ("", "", "")
    habit_id = parse_int(ref)
    at = parse_int(place) if place else 0
    if habit_id is None or at is None or at < 0:
        return Response(notice=BUTTON_GONE)
    name, rest = args[0], ":".join(args[2:])
    command = ctx.router.commands.get(name)
    if command is None:
        return Response(notice=BUTTON_GONE)
    # The habits the command counts in: its habit's number in /habits, or in /archived.
    archived = any(p.kind is Kind.HABIT and p.archived for p in command.params)
    habits = await (ctx.habits.archived(ctx.user) if archived else ctx.habits.active(ctx.user))
    number = next((i for i, h in enumerate(habits, 1) if h.id == habit_id), None)
    if number is None:
        return Response(notice=GONE)
    words = rest.split()
    typed = " ".join([*words[:at], str(number), *words[at:]])
    ctx.request = replace(
        ctx.request, button=None, command=name, args=typed, text=f"/{name} {typed}", options=None
    )
    return await run_command(ctx, command)


def _habit_first(command: Command) -> bool:
    """Whether the habit is the command's first spoken parameter (/done HABIT DAY), not after
    another one (/usetool TOOL HABIT)."""
    spoken = [p for p in command.params if p.kind in SPOKEN]
    return bool(spoken) and spoken[0].kind is Kind.HABIT


def _habit_at(words: list[str], typed: list[str], *, first: bool) -> int:
    """The word where the habit's words start in the command's words (-1: not there): the
    first place when the habit comes first, else the last (the words before it are another
    parameter's, which may contain the same words: /usetool habit stacking habit)."""
    folded, wanted = [w.casefold() for w in words], [w.casefold() for w in typed]
    n = len(wanted)
    places = [i for i in range(len(folded) - n + 1) if n and folded[i : i + n] == wanted]
    if not places:
        return -1
    return places[0] if first else places[-1]
