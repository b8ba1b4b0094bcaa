"""When HABIT names several habits, or none: a button per habit that runs the command again
with that habit ("/done water" with Drink water and Water plants asks which)."""

from __future__ import annotations

from dataclasses import replace

from bot.arguments import run_command
from bot.buttons import HABIT_PICK, button_payload
from bot.commands import Kind
from bot.context import Context
from bot.messages import MAX_BUTTON_PAYLOAD_BYTES, Button, Request, Response
from bot.router import Router
from bot.views import button_title
from core.errors import Ambiguous, NotFound
from core.numbers import parse_int

router = Router()
GONE = "That habit isn't on your list (any more). Send /habits for your own list."


def pick_buttons(exc: Ambiguous | NotFound, request: Request, router: Router) -> list[list[Button]]:
    """A button per habit the error offers, each running the request's command with it; none
    when the request was not a typed command, needs a photo, or the words would not fit."""
    command = router.commands.get(request.command or "")
    if command is None or request.button is not None or not exc.choices or not exc.typed:
        return []
    if any(p.kind is Kind.PHOTO for p in command.params):
        return []  # a press cannot send the photo again
    args = " ".join(request.args.split())
    at = args.lower().find(exc.typed.lower())
    rest = args[:at] + args[at + len(exc.typed) :] if at >= 0 else ""
    rows = []
    for choice in exc.choices:
        data = button_payload(HABIT_PICK, command.name, choice.id, " ".join(rest.split()))
        if len(data.encode()) > MAX_BUTTON_PAYLOAD_BYTES:
            return []
        rows.append([Button(button_title(choice.title), data)])
    return rows


@router.button(HABIT_PICK)
async def press_pick(ctx: Context, args: list[str]) -> Response:
    """hc:COMMAND:HABIT_ID:REST -> /COMMAND N REST, N the habit's number in /habits now."""
    habit_id = parse_int(args[1]) if len(args) >= 3 else None
    if habit_id is None:
        return Response(notice="That button no longer works.")
    name, rest = args[0], ":".join(args[2:])
    command = ctx.router.commands.get(name)
    if command is None:
        return Response(notice="That button no longer works.")
    habits = await ctx.habits.active(ctx.user)
    number = next((i for i, h in enumerate(habits, 1) if h.id == habit_id), None)
    if number is None:
        return Response(notice=GONE)
    typed = f"{number} {rest}".strip()
    ctx.request = replace(
        ctx.request, button=None, command=name, args=typed, text=f"/{name} {typed}", options=None
    )
    return await run_command(ctx, command)
