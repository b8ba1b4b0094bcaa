"""A typed answer to a question with buttons (bot/choices.py): the button it names is pressed."""

from __future__ import annotations

from dataclasses import replace

from bot.arguments import run_command
from bot.choices import (
    CHOICE,
    by_number,
    declining,
    options,
    otherwise,
    pick,
    says_no,
    says_number,
    shown,
)
from bot.context import Context
from bot.messages import Response, hint
from bot.router import Router
from core.flows import FlowState

router = Router()
GONE = "Those buttons no longer work. Send the command again."


# `what` is empty: another command ends the question without a word.
@router.flow(CHOICE, what="", start=None)
async def answer(ctx: Context, state: FlowState) -> Response:
    request = ctx.request
    choices = options(state)
    if request.photo is not None and ctx.router.photo_handlers:  # a photo is a photo
        ctx.end_flow()
        return await ctx.router.photo_handlers[0](ctx)
    numbers = by_number(state)
    option = pick(choices, request.text, numbers=numbers)
    if option is None and says_no(request.text):  # "no": what leaves things as they are
        option = declining(choices)
        if option is None:  # nothing to keep: the question is over, nothing was done
            ctx.end_flow()
            return Response.say("Okay, nothing changed.")
    command = ctx.router.commands.get(otherwise(state) or "")
    # A number out of range under numbered buttons meant a button: the choices again, below.
    meant_button = numbers and says_number(request.text)
    if option is None and command is not None and not meant_button:  # 'Brazzaville', typed
        ctx.end_flow()
        ctx.request = replace(request, command=command.name, args=" ".join(request.text.split()))
        return await run_command(ctx, command)
    if option is None:
        if not numbers:  # a question whose answer cannot be undone: its words, or its button
            listed = "\n".join(f"• {o.label}" for o in choices)
            how = "Send one of these as written, or press its button:"
        else:
            listed = "\n".join(f"{n}. {shown(o, n)}" for n, o in enumerate(choices, 1))
            how = "Send a number or a name from this list, or press its button:"
        return Response.say(
            "That isn't one of the choices. ",
            hint(how),
            "\n",
            listed,
            buttons=[[o] for o in choices],
        )
    prefix, *args = option.payload.split(":")
    handler = ctx.router.buttons.get(prefix)
    ctx.end_flow()
    if handler is None:
        return Response.say(hint(GONE))
    ctx.request = replace(request, button=option.payload)
    pressed = await handler(ctx, args)
    if not pressed.replies:  # a press's short notice: said, as there is no press to answer
        return Response.say(pressed.notice) if pressed.notice else pressed
    # What a press edits in place comes as a new message (the question stays as it was); its
    # notice, the toast that answers a press, has no press to answer (the replies say it).
    replies = [replace(r, edit=False) for r in pressed.replies]
    return replace(pressed, replies=replies, notice=None)
