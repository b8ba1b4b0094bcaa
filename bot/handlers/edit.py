"""/edithabit and /deletehabit (with archive as the gentler choice)."""

from __future__ import annotations

from bot.buttons import (
    DELETE_ASK,
    DELETE_HABIT,
    EDIT_FIELD,
    EDIT_HABIT,
    SERVES,
    button_payload,
)
from bot.choices import KEEP_IT
from bot.commands import Arg
from bot.context import Context
from bot.handlers.lifebook import full_card, serves_question
from bot.messages import Button, Response, bold, hint, italic
from bot.router import Router
from bot.views import numbered_habit_buttons, plural
from core.db.models import Habit
from core.flows import FlowState
from core.habits.service import FIELD_LABELS, EditableField
from core.numbers import parse_int

router = Router()

FIELDS = ("title", "schedule", "why", "identity", "dose", "intention", "cue", "reward")
FLOW = "edithabit"
FIELD_WORDS = {f.value: f for f in EditableField}


def _field_buttons(habit: Habit) -> list[list[Button]]:
    fields = list(EditableField)
    return [
        [
            Button(FIELD_LABELS[f].capitalize(), button_payload(EDIT_FIELD, habit.id, f.value))
            for f in fields[i : i + 2]
        ]
        for i in range(0, len(fields), 2)
    ]


@router.command(
    "edithabit",
    "Change a habit's name, schedule, why, identity or loop",
    Arg.habit(),
    Arg.choice("field", "What to change", FIELDS),
    Arg.text("value", "The new value (leave empty to be asked)"),
    family="habit",
    leaf="edit",
)
async def edithabit(ctx: Context) -> Response:
    ref, word = ctx.args.habit(), ctx.args.choice("field")
    habits = await ctx.habits.active(ctx.user)
    if not ref:
        if not habits:
            return Response.say(hint("You have no habits to edit yet. Create one with /newhabit."))
        buttons = numbered_habit_buttons(habits, EDIT_HABIT)
        ctx.offer_choice(buttons)
        return Response.say("Which habit do you want to change?", buttons=buttons)
    habit = await ctx.habits.find(ctx.user, ref, habits)
    if word is None:
        return await _choose_field(ctx, habit)
    field = FIELD_WORDS[word]
    value = ctx.args.text("value")
    if not value:
        return await _ask_value(ctx, habit, field)
    await ctx.habits.edit(habit, field, value)
    return Response.say("Saved.\n\n", await full_card(ctx, habit))


async def _choose_field(ctx: Context, habit: Habit, *, edit: bool = False) -> Response:
    buttons = _field_buttons(habit)
    if serves_question(ctx, habit):
        buttons.append(
            [Button("What it serves in your Lifebook", button_payload(SERVES, habit.id, "?"))]
        )
    ctx.offer_choice(buttons)
    return Response.say(
        await full_card(ctx, habit),
        "\n\nWhat do you want to change?",
        buttons=buttons,
        edit=edit,
    )


async def _ask_value(ctx: Context, habit: Habit, field: EditableField) -> Response:
    if not ctx.request.typed_answers:  # the answer would never reach the bot: say it in one go
        number = [h.id for h in await ctx.habits.active(ctx.user)].index(habit.id) + 1
        return Response.say(
            hint(
                "I can't read typed answers here. Send "
                f"/edithabit {number} {field.value} VALUE here, or edit it in a private chat "
                "with me."
            )
        )
    ctx.start_flow(FLOW, field.value, habit_id=habit.id)
    clear = "" if field in (EditableField.TITLE, EditableField.SCHEDULE) else " Send - to clear it."
    example = (
        " For example: daily, weekdays, mon wed fri, 3x." if field is EditableField.SCHEDULE else ""
    )
    return Response.say(
        f"Send the new {FIELD_LABELS[field]} for ",
        bold(habit.title),
        f".{example}{clear} ",
        italic("(/cancel to stop)"),
    )


@router.button(EDIT_HABIT)
async def press_habit(ctx: Context, args: list[str]) -> Response:
    habit = await _owned(ctx, args)
    if habit is None:
        return Response(notice="That habit isn't on your list (any more).")
    return await _choose_field(ctx, habit, edit=True)


@router.button(EDIT_FIELD)
async def press_field(ctx: Context, args: list[str]) -> Response:
    habit = await _owned(ctx, args)
    if habit is None or len(args) != 2 or args[1] not in FIELD_WORDS:
        return Response(notice="That habit isn't on your list (any more).")
    return await _ask_value(ctx, habit, FIELD_WORDS[args[1]])


@router.flow(FLOW, what="the habit edit", start="edithabit")
async def answer(ctx: Context, state: FlowState) -> Response:
    habit = await ctx.habits.get_owned(ctx.user, parse_int(str(state.data.get("habit_id"))) or 0)
    if habit is None or state.step not in FIELD_WORDS:
        ctx.end_flow()
        return Response.say("That habit is gone, so there's nothing to edit.")
    text = ctx.request.text.strip()
    if not text:
        return Response.say(hint("Please send the new value as text, or /cancel."))
    await ctx.habits.edit(habit, FIELD_WORDS[state.step], text)
    ctx.end_flow()
    return Response.say("Saved.\n\n", await full_card(ctx, habit))


async def _owned(ctx: Context, args: list[str]) -> Habit | None:
    habit_id = parse_int(args[0]) if args else None
    if habit_id is None:
        return None
    return await ctx.habits.get_owned(ctx.user, habit_id)


@router.command(
    "deletehabit",
    "Archive or delete a habit (asks first)",
    Arg.habit(),
    family="habit",
    leaf="delete",
    tried=("delete", "remove", "removehabit", "archive"),
)
async def deletehabit(ctx: Context) -> Response:
    ref = ctx.args.habit()
    habits = await ctx.habits.active(ctx.user)
    if not ref:
        if not habits:
            return Response.say("You have no habits to delete.")
        buttons = numbered_habit_buttons(habits, DELETE_ASK)
        ctx.offer_choice(buttons)
        return Response.say("Which habit do you want to remove?", buttons=buttons)
    habit = await ctx.habits.find(ctx.user, ref, habits)
    return await _confirm(ctx, habit)


async def _confirm(ctx: Context, habit: Habit, *, edit: bool = False) -> Response:
    count = await ctx.habits.checkin_count(habit)
    buttons = [
        [
            Button("Archive", button_payload(DELETE_HABIT, habit.id, "a")),
            Button("Delete forever", button_payload(DELETE_HABIT, habit.id, "d")),
            Button(KEEP_IT, button_payload(DELETE_HABIT, habit.id, "k")),
        ]
    ]
    ctx.offer_choice(buttons, numbers=False)  # 'delete forever' is for good: never a number
    return Response.say(
        "Remove ",
        bold(habit.title),
        f"? It has {plural(count, 'check-in')}.\n",
        "Archive hides it and keeps its history; Delete removes it and its check-ins for good.",
        buttons=buttons,
        edit=edit,
    )


@router.button(DELETE_ASK)
async def press_delete_choice(ctx: Context, args: list[str]) -> Response:
    habit = await _owned(ctx, args)
    if habit is None:
        return Response(notice="That habit isn't on your list (any more).")
    return await _confirm(ctx, habit, edit=True)


@router.button(DELETE_HABIT)
async def press_delete(ctx: Context, args: list[str]) -> Response:
    habit = await _owned(ctx, args)
    if habit is None or len(args) != 2:
        return Response(notice="That habit isn't on your list (any more).")
    title = habit.title
    if args[1] == "a":
        await ctx.habits.archive(habit, ctx.today)
        return Response.say("Archived ", bold(title), ". Its history is kept.", edit=True)
    if args[1] == "d":
        await ctx.habits.delete(habit)
        return Response.say("Deleted ", bold(title), " and its check-ins.", edit=True)
    return Response.say("Kept ", bold(title), ". Nothing changed.", edit=True)
