"""/newhabit: a one-line form, or a guided flow through the habit's why, identity and loop.

The one-line form's schedule is a parameter of its own (bot/commands.py, Kind.SCHEDULE): typed
words end with it when their last words read wholly as one (`/newhabit Read mon wed fri`), and
Discord has a `schedule` option beside `title`, so a title given as an option stays whole
("Call mom monday"). The guided flow's title step and the API take a title as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.arguments import split_words
from bot.buttons import NEW_HABIT, button_payload
from bot.choices import pick
from bot.commands import Arg
from bot.context import Context
from bot.handlers.lifebook import serves_question
from bot.messages import Button, Response, bold, command, example, hint, italic
from bot.router import SKIP_THIS, Router, says, says_skip
from bot.views import habit_card
from core.db.models import Habit
from core.errors import HabitLinkError, InvalidInput
from core.flows import FlowState
from core.habits.schedule import TOO_OFTEN, Overfull, Schedule, ScheduleError, overfull_ending
from core.habits.service import TEXT_MAX, HabitDraft, refuse_duplicate
from core.numbers import parse_int

router = Router()
FLOW = "newhabit"


@dataclass(frozen=True)
class Step:
    key: str
    question: str
    example: str
    optional: bool = True


STEPS = (
    Step("title", "What habit do you want to build?", "Read 10 pages", optional=False),
    Step(
        "schedule",
        "How often? Tap a choice or type days such as 'mon wed fri'.",
        "daily, weekdays, 3x",
        optional=False,
    ),
    Step("why", "Why does it matter to you?", "I want to think more clearly"),
    Step("identity_goal", "Who are you becoming? Finish the sentence 'I am…'", "I am a reader"),
    Step("minimal_dose", "What is the smallest version for a bad day?", "one page"),
    Step(
        "implementation_intention",
        "When and where will you do it? 'After/At …, I will … in …'",
        "After dinner, I will read on the sofa",
    ),
    Step("cue", "What will remind you? (the cue)", "the book on my pillow"),
    Step("reward", "How will you reward yourself? (the reward)", "a cup of tea"),
)
STEP_INDEX = {s.key: i for i, s in enumerate(STEPS)}
# Where the person's typed answers do not reach the bot (a Discord channel without the
# message-content intent), the guided setup would wait for answers it never sees.
UNREAD_HERE = (
    "I can't read typed answers here, so the guided setup works in a private chat "
    "with me. Here, give the habit a title: /newhabit TITLE."
)
SCHEDULE_CHOICES = (("Every day", "daily"), ("Weekdays", "weekdays"), ("3× a week", "3x"))
SAVE_NOW = "Save now"


@router.command(
    "newhabit",
    "Create a habit (guided), or in one line: /newhabit Read 10 pages",
    Arg.text("title", "A title for a quick habit (leave empty for the guided setup)"),
    Arg.schedule(),
    family="habit",
    leaf="new",
    tried=("new", "add", "addhabit", "create", "createhabit", "habitnew"),
)
async def newhabit(ctx: Context) -> Response:
    title = ctx.args.text("title")
    schedule = ctx.args.schedule()
    if not title and schedule is not None:  # Discord's schedule option alone
        return Response.say(
            hint("A schedule needs a title too. Or send /newhabit alone for the guided setup.")
        )
    overfull = overfull_ending(title) if schedule is None and ctx.request.options is None else None
    if overfull is not None:  # '/newhabit Walk 8x': a week has 7 days
        return _too_often(overfull)
    if title:
        draft = HabitDraft.build(title=title, schedule=schedule or Schedule.daily())
        habit = await ctx.habits.create(ctx.user, draft, ctx.today)
        serves = serves_question(ctx, habit)
        ctx.offer_choice(serves)
        return Response.say(
            "Created ",
            bold(habit.title),
            f", {habit.schedule.phrase()}. Check in with ",
            command("done", await _short_ref(ctx, habit)),
            hint(" or /habits. Add why, identity and a cue with "),
            example("/edithabit"),
            ".",
            *(["\n\nWhich of your Lifebook goals or values does it serve?"] if serves else []),
            buttons=serves,
        )
    if not ctx.request.typed_answers:
        return Response.say(hint(UNREAD_HERE))
    ctx.start_flow(FLOW, STEPS[0].key)
    return _ask(0, intro=True)


def _too_often(overfull: Overfull) -> Response:
    """The reply to a one-line title ending in more than 7 times a week: nothing is created;
    a bare count ('8x') may be the name's, so how to keep it there."""
    if overfull.weekly:
        return Response.say(
            TOO_OFTEN, " For every day: ", example(f"/newhabit {overfull.name} daily"), "."
        )
    return Response.say(
        TOO_OFTEN,
        f" If {overfull.said} is part of the name, say how often after it: ",
        example(f"/newhabit {overfull.name} {overfull.said} daily"),
        ".",
    )


async def _short_ref(ctx: Context, habit: Habit) -> str:
    """The fewest leading words of the title that /done reads as this habit, else its number."""
    habits = await ctx.habits.active(ctx.user)
    done = ctx.router.commands["done"]
    words = habit.title.lower().split()
    for n in range(1, len(words) + 1):
        ref = " ".join(words[:n])
        if split_words(done, ref).get("habit") != ref:
            continue  # /done would read the last word as a day
        try:
            if await ctx.habits.find(ctx.user, ref, habits) is habit:
                return ref
        except HabitLinkError:
            pass
    return str(habits.index(habit) + 1)


def _ask(index: int, *, intro: bool = False, note: str = "") -> Response:
    step = STEPS[index]
    lead = "Let's build a habit. Send /cancel to stop at any time.\n\n" if intro else note
    buttons: list[list[Button]] = []
    if step.key == "schedule":
        buttons.append(_schedules())
    if step.optional:
        buttons.append(
            [
                Button(SKIP_THIS, button_payload(NEW_HABIT, "skip")),
                Button(SAVE_NOW, button_payload(NEW_HABIT, "save")),
            ]
        )
    return Response.say(
        lead,
        bold(f"{index + 1}/{len(STEPS)} "),
        step.question,
        "\n",
        italic(f"For example: {step.example}"),
        buttons=buttons,
    )


def _schedules() -> list[Button]:
    return [
        Button(label, button_payload(NEW_HABIT, "s", value)) for label, value in SCHEDULE_CHOICES
    ]


@router.flow(FLOW, what="the habit setup", start="newhabit", skippable=True)
async def answer(ctx: Context, state: FlowState) -> Response:
    text = ctx.request.text.strip()
    if not text:
        return Response.say(hint("Please answer in text, or send /cancel to stop."))
    if says_skip(ctx.request) or text == "-":
        return await _advance(ctx, state, None)
    if says(text, SAVE_NOW) and _can_save(state):  # its button's label typed
        return await _save(ctx, dict(state.data))
    return await _advance(ctx, state, text)


def _can_save(state: FlowState) -> bool:
    """Whether the step offers 'Save now': an optional one, the title and schedule known."""
    optional = STEPS[STEP_INDEX.get(state.step, 0)].optional
    return optional and "title" in state.data and "schedule" in state.data


async def _advance(ctx: Context, state: FlowState, value: str | None) -> Response:
    index = STEP_INDEX.get(state.step)
    if index is None:
        ctx.end_flow()
        return Response.say(hint("That setup got lost, sorry. Start again with /newhabit."))
    step = STEPS[index]
    data = dict(state.data)
    if value is None and not step.optional:
        return _ask(index, note="This one is needed. ")
    if value is not None:
        try:
            data[step.key] = await _validate(ctx, step, value)
        except InvalidInput as exc:
            return _ask(index, note=exc.message + "\n\n")
    if index + 1 < len(STEPS):
        ctx.set_flow(FlowState(FLOW, STEPS[index + 1].key, data))
        return _ask(index + 1)
    return await _save(ctx, data)


async def _validate(ctx: Context, step: Step, value: str) -> str:
    if step.key == "title":  # taken whole; a duplicate is refused now, not after all the steps
        title = HabitDraft.build(title=value).title
        refuse_duplicate(title, await ctx.habits.other_titles(ctx.user.id))
        return title
    if step.key == "schedule":
        n = parse_int(value.strip(), 1, 7)
        if n is not None:  # '2' may be twice a week as well as button 2 (unnumbered in chats)
            times = "once" if n == 1 else f"{n} times"
            raise InvalidInput(
                f"'{n}' alone is not a schedule: send {n}x for {times} a week, or tap a choice."
            )
        chosen = pick(_schedules(), value)  # a choice's label, typed ('3× a week')
        value = chosen.payload.split(":")[-1] if chosen is not None else value
        try:
            Schedule.parse(value)
        except ScheduleError as exc:
            raise InvalidInput(str(exc)) from None
        return value
    if len(value) > TEXT_MAX:
        raise InvalidInput(f"That is a bit long; keep it under {TEXT_MAX} characters.")
    return value


async def _save(ctx: Context, data: dict[str, object]) -> Response:
    fields = {k: v for k, v in data.items() if k != "schedule"}
    schedule = Schedule.parse(str(data.get("schedule", "daily")))
    draft = HabitDraft.build(schedule=schedule, **fields)
    habit = await ctx.habits.create(ctx.user, draft, ctx.today)
    ctx.end_flow()
    serves = serves_question(ctx, habit)
    ctx.offer_choice(serves)
    return Response.say(
        "Your new habit is ready:\n\n",
        habit_card(habit),
        hint("\n\nCheck in with /habits. Small and daily beats big and rare."),
        *(["\n\nWhich of your Lifebook goals or values does it serve?"] if serves else []),
        buttons=serves,
    )


@router.button(NEW_HABIT)
async def press(ctx: Context, args: list[str]) -> Response:
    state = ctx.flow
    if state is None or state.name != FLOW:
        return Response(notice="That setup has ended. Start again with /newhabit.")
    action = args[0] if args else ""
    if action == "s" and len(args) == 2 and state.step == "schedule":
        return await _advance(ctx, state, args[1])
    if action == "skip" and STEPS[STEP_INDEX.get(state.step, 0)].optional:
        return await _advance(ctx, state, None)
    if action == "save" and _can_save(state):
        return await _save(ctx, dict(state.data))
    return Response(notice="That button belongs to an earlier step.")
