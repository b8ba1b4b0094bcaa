"""/lifebook: a person's vision, values, identity, 90-day goals and life domains. Private.

`/lifebook` shows it with a button per section; `/lifebook guide` fills it in step by step (each
step skippable; nothing is saved until the end, so /cancel keeps what was there); one-line edits:
`/lifebook vision TEXT`, `values A, B`, `identity S; S`, `goals G; G by DATE`, `goal G`,
`domains A, B`, `ai on|off`, `delete`.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.buttons import BUTTON_GONE, LIFEBOOK, SERVES, button_payload
from bot.choices import KEEP_IT, NONE_OF_THESE
from bot.commands import Arg, Where
from bot.context import Context
from bot.handlers.toolbox import technique_labels
from bot.messages import Button, Response, Rich, Span, bold, example, hint, italic, rich
from bot.router import SKIP_KEEP, Router, says, says_skip
from bot.views import button_title, habit_card
from core.db.models import Habit
from core.errors import InvalidInput
from core.flows import FlowState
from core.lifebook.model import (
    MAX_VALUES,
    SECTION_TITLES,
    SUGGESTED_DOMAINS,
    SUGGESTED_VALUES,
    Lifebook,
    Section,
)
from core.lifebook.service import serves_goal, serves_value, serving_label

router = Router()
FLOW = "lifebook"
SECTION = "Lifebook"
USE_THESE = "Use these"  # the values picked from the suggestions
PARTS = ("guide", "vision", "values", "identity", "goals", "goal", "domains", "ai", "delete")
USAGE = (
    "/lifebook [guide | vision TEXT | values A, B | identity I am…; … | goals G; G by YYYY-MM-DD"
    " | goal G | domains A, B | ai on|off | delete]"
)
PART_ALIASES = {
    "setup": "guide",
    "edit": "guide",
    "erase": "delete",
    "value": "values",
    "domain": "domains",
    "identities": "identity",
}
HELP = (
    "Without words it shows your Lifebook with a button per section. One-line edits: "
    "/lifebook vision TEXT, values A, B, identity I am…; I am…, goals G; G by YYYY-MM-DD, "
    "goal G, domains A, B ('-' clears one). /lifebook guide fills it in step by step; "
    "/lifebook ai on|off says whether the AI tool finder may read it; /lifebook delete erases it."
)
QUESTIONS: dict[Section, tuple[str, str]] = {
    Section.VISION: (
        "Your vision: how do you want your life to look in three to five years?",
        "Healthy, calm and close to my family, doing work I'm proud of",
    ),
    Section.VALUES: (
        f"Your core values, up to {MAX_VALUES}, separated by commas. "
        f"Some ideas: {', '.join(SUGGESTED_VALUES)}.",
        "health, family, growth",
    ),
    Section.IDENTITY: (
        "Who are you becoming? One or more 'I am someone who…' statements, separated by ';'.",
        "I am someone who moves every day; I am a reader",
    ),
    Section.GOALS: (
        "Your goals for the next 90 days, separated by ';' (add 'by YYYY-MM-DD' for a date).",
        "Run 5 km without stopping by 2027-06-30; Read 4 books",
    ),
    Section.DOMAINS: (
        f"The life domains you are working on. Some ideas: {', '.join(SUGGESTED_DOMAINS)}.",
        "health, relationships, learning",
    ),
}
ORDER = list(Section)


@router.command(
    "lifebook",
    "Your Lifebook: vision, values, identity, 90-day goals (private)",
    Arg.choice(
        "part",
        "What to change (leave empty to see it)",
        PARTS,
        aliases=PART_ALIASES,
        invalid=f"I don't know the Lifebook part “{{word}}”. Try:\n{USAGE}",
    ),
    Arg.text("text", "The new text ('-' clears it); for ai: on or off"),
    help=HELP,
    where=Where.PRIVATE,
    section=SECTION,
    tried=("vision", "values", "goals", "identity"),
)
async def lifebook(ctx: Context) -> Response:
    word, rest = ctx.args.choice("part"), ctx.args.text("text")
    if word is None:
        return await show(ctx)
    if word == "guide":
        return start_guide(ctx)
    if word == "ai":
        return _set_ai(ctx, rest.lower())
    if word == "delete":
        return _confirm_delete(ctx)
    if word == "goal":
        if (redated := ctx.lifebook.redate_goal(ctx.user, rest)) is not None:
            goal, was = redated
            earlier = f" (it was {was.isoformat()})" if was else ""
            said = f"“{goal.text}” is now due by {goal.due}{earlier}.\n\n"
            return Response.say(said, await render(ctx, ctx.lifebook.read(ctx.user)), personal=True)
        book = ctx.lifebook.add_goal(ctx.user, rest)
        return Response.say("Goal added.\n\n", await render(ctx, book), personal=True)
    section = Section(word)
    if not rest:
        return _ask_one(ctx, section)
    before = ctx.lifebook.read(ctx.user)
    book = ctx.lifebook.set_section(ctx.user, section, rest)
    return Response.say("Saved.\n\n", await render(ctx, book, before=before), personal=True)


def _section(word: str) -> Section | None:
    aliases = {"value": Section.VALUES, "domain": Section.DOMAINS, "identities": Section.IDENTITY}
    try:
        return Section(word)
    except ValueError:
        return aliases.get(word)


# --- showing -----------------------------------------------------------------------------
async def show(ctx: Context, *, edit: bool = False) -> Response:
    """The Lifebook with its buttons, which a typed number or label presses too."""
    book = ctx.lifebook.read(ctx.user)
    if book.is_empty:
        return ctx.ask(
            Response.say(
                bold("Your Lifebook"),
                "\nA private page for where you're heading: a vision, your values, who you are "
                "becoming and your goals for the next 90 days. Your habits can then serve them.\n"
                "Only you see it; it is never shown in groups.",
                buttons=[
                    [Button("Fill it in", button_payload(LIFEBOOK, "guide"))],
                    *_section_buttons(),
                ],
                personal=True,
                edit=edit,
            )
        )
    rendered = await render(ctx, book)
    return ctx.ask(Response.say(rendered, buttons=_buttons(book), personal=True, edit=edit))


async def render(ctx: Context, book: Lifebook, *, before: Lifebook | None = None) -> Rich:
    """The book; after an edit (`before`: the book as it was), also the habits that lost what
    they served (a goal reworded or removed, a value dropped), so no link vanishes unsaid."""
    habits = await ctx.habits.active(ctx.user)
    serving = ctx.lifebook.habits_by_target(book, habits)
    parts: list[Rich | Span | str] = [bold("Your Lifebook")]
    if book.vision:
        parts += ["\n\n", bold("Vision"), "\n", book.vision]
    if book.values:
        parts += ["\n\n", bold("Values")]
        for value in book.values:
            parts += ["\n• ", value, _habits_line(serving.get(serves_value(value), []))]
    if book.identity:
        parts += ["\n\n", bold("Identity")]
        for statement in book.identity:
            parts += ["\n• ", statement]
    if book.goals:
        parts += ["\n\n", bold("Goals (90 days)")]
        for goal in book.goals:
            due = f" (by {goal.due.isoformat()})" if goal.due else ""
            parts += ["\n• ", goal.text, due, _habits_line(serving.get(serves_goal(goal.id), []))]
    if book.domains:
        parts += ["\n\n", bold("Life domains"), "\n", ", ".join(book.domains)]
    unlinked = [] if before is None else _unlinked(before, book, habits)
    if unlinked:
        names = ", ".join(h.title for h in unlinked)
        one = len(unlinked) == 1
        parts += [
            "\n\n",
            f"{names} {'is' if one else 'are'} no longer linked: what "
            f"{'it' if one else 'they'} served is gone. Link {'it' if one else 'them'} "
            "again with /edithabit.",
        ]
    ai = "on" if book.ai_allowed else "off"
    parts += [
        "\n\n",
        italic(f"Private to you. Shared with the AI tool finder: {ai} (/lifebook ai on|off)."),
    ]
    return rich(*parts)


def _unlinked(before: Lifebook, after: Lifebook, habits: Sequence[Habit]) -> list[Habit]:
    return [
        h
        for h in habits
        if serving_label(before, h.serves) is not None and serving_label(after, h.serves) is None
    ]


def _habits_line(habits: Sequence[Habit]) -> str:
    return f" ← {', '.join(h.title for h in habits)}" if habits else ""


def _section_buttons() -> list[list[Button]]:
    sections = [Button(SECTION_TITLES[s], button_payload(LIFEBOOK, "e", s.value)) for s in ORDER]
    return [sections[i : i + 3] for i in range(0, len(sections), 3)]


def _buttons(book: Lifebook) -> list[list[Button]]:
    ai = Button(
        "AI: turn off" if book.ai_allowed else "AI: allow",
        button_payload(LIFEBOOK, "ai", int(not book.ai_allowed)),
    )
    return [
        *_section_buttons(),
        [
            Button("Guided edit", button_payload(LIFEBOOK, "guide")),
            ai,
            Button("Delete", button_payload(LIFEBOOK, "del")),
        ],
    ]


# --- one section at a time ---------------------------------------------------------------
def _ask_one(ctx: Context, section: Section) -> Response:
    ctx.start_flow(FLOW, section.value, only=True)
    return _question(ctx, section, note="", single=True)


def _question(ctx: Context, section: Section, *, note: str, single: bool) -> Response:
    question, example = QUESTIONS[section]
    book = ctx.lifebook.read(ctx.user)
    now = _current(book, section)
    step = "" if single else f"{ORDER.index(section) + 1}/{len(ORDER)} "
    return Response.say(
        note,
        bold(step),
        question,
        "\n",
        italic(f"For example: {example}"),
        *(["\nNow: ", now] if now else []),
        "\n",
        italic("Send - to clear it, skip to keep it, /cancel to stop."),
        buttons=[
            *_value_buttons(section),
            [Button(SKIP_KEEP, button_payload(LIFEBOOK, "skip"))],
        ],
        personal=True,
    )


def _value_buttons(section: Section) -> list[list[Button]]:
    """Values can be picked from the suggestions too: press a few, then 'Use these'."""
    if section is not Section.VALUES:
        return []
    picks = [Button(v, button_payload(LIFEBOOK, "pv", i)) for i, v in enumerate(SUGGESTED_VALUES)]
    return [picks[:5], picks[5:], [Button(USE_THESE, button_payload(LIFEBOOK, "pv", "done"))]]


async def _pick_value(ctx: Context, arg: str) -> Response:
    state = ctx.flow
    if state is None or state.name != FLOW or state.step != Section.VALUES.value:
        return Response(notice="That step has ended. Send /lifebook.")
    picked: list[str] = list(state.data.get("picked", []))
    if arg == "done":
        if not picked:
            return Response(notice="Press a value or two first, or type your own.")
        data = {k: v for k, v in state.data.items() if k != "picked"}
        return await _advance(ctx, FlowState(FLOW, state.step, data), ", ".join(picked))
    if not arg.isdecimal() or int(arg) >= len(SUGGESTED_VALUES):
        return Response(notice=BUTTON_GONE)
    value = SUGGESTED_VALUES[int(arg)]
    if value not in picked:
        if len(picked) >= MAX_VALUES:
            return Response(notice=f"That's {MAX_VALUES} already: press 'Use these'.")
        picked.append(value)
    ctx.set_flow(FlowState(FLOW, state.step, {**state.data, "picked": picked}))
    return Response(notice=f"Picked: {', '.join(picked)}")


def _current(book: Lifebook, section: Section) -> str:
    if section is Section.VISION:
        return book.vision or ""
    if section is Section.GOALS:
        return "; ".join(g.text + (f" by {g.due.isoformat()}" if g.due else "") for g in book.goals)
    items: tuple[str, ...] = getattr(book, section.value)
    return "; ".join(items) if section is Section.IDENTITY else ", ".join(items)


# --- the guided flow ---------------------------------------------------------------------
def start_guide(ctx: Context) -> Response:
    ctx.start_flow(FLOW, ORDER[0].value, answers={})
    return _question(
        ctx,
        ORDER[0],
        note="Let's fill in your Lifebook. Nothing is saved until the last step.\n\n",
        single=False,
    )


@router.flow(FLOW, what="the Lifebook edit", start="lifebook", skippable=True)
async def answer(ctx: Context, state: FlowState) -> Response:
    text = ctx.request.text.strip()
    if not text:
        return Response.say("Please answer in text, or send /cancel to stop.", personal=True)
    if says_skip(ctx.request):
        return await _advance(ctx, state, None)
    if says(text, USE_THESE) and state.data.get("picked"):  # its button's label typed
        return await _pick_value(ctx, "done")
    return await _advance(ctx, state, text)


async def _advance(ctx: Context, state: FlowState, text: str | None) -> Response:
    try:
        section = Section(state.step)
    except ValueError:
        ctx.end_flow()
        return Response.say("That Lifebook edit got lost, sorry. Send /lifebook again.")
    if state.data.get("only"):
        ctx.end_flow()
        if text is None:
            return await show(ctx)
        before = ctx.lifebook.read(ctx.user)
        book = ctx.lifebook.set_section(ctx.user, section, text)
        return ctx.ask(
            Response.say(
                "Saved.\n\n",
                await render(ctx, book, before=before),
                buttons=_buttons(book),
                personal=True,
            )
        )
    answers: dict[str, str] = dict(state.data.get("answers", {}))
    if text is not None:
        try:
            _check(ctx, section, text)
        except InvalidInput as exc:
            return _question(ctx, section, note=exc.message + "\n\n", single=False)
        answers[section.value] = text
    index = ORDER.index(section)
    if index + 1 < len(ORDER):
        ctx.set_flow(FlowState(FLOW, ORDER[index + 1].value, {"answers": answers}))
        return _question(ctx, ORDER[index + 1], note="", single=False)
    ctx.end_flow()
    book = before = ctx.lifebook.read(ctx.user)
    for key, value in answers.items():
        book = ctx.lifebook.set_section(ctx.user, Section(key), value)
    rendered = await render(ctx, book, before=before)
    saved = Response.say(
        "Your Lifebook is saved.\n\n", rendered, buttons=_buttons(book), personal=True
    )
    return ctx.ask(saved)


def _check(ctx: Context, section: Section, text: str) -> None:
    """Validate an answer without saving it (the guided flow saves at the end)."""
    probe = ctx.user.lifebook
    try:
        ctx.lifebook.set_section(ctx.user, section, text)
    finally:
        ctx.user.lifebook = probe


# --- privacy -----------------------------------------------------------------------------
def _set_ai(ctx: Context, word: str) -> Response:
    if word not in ("on", "off", "yes", "no"):
        return Response.say("Say /lifebook ai on or /lifebook ai off.", personal=True)
    allowed = word in ("on", "yes")
    ctx.lifebook.set_ai(ctx.user, allowed)
    if allowed:
        return Response.say(
            hint(
                "The AI tool finder may now read your Lifebook and habit names when you use "
                "/findtool (sent to the AI service set up for this bot). Turn it off any time with "
            ),
            example("/lifebook ai off"),
            ".",
            personal=True,
        )
    return Response.say(
        "Your Lifebook and habits stay here: the AI tool finder sees only what you type.",
        personal=True,
    )


def _confirm_delete(ctx: Context) -> Response:
    buttons = [
        [
            Button("Yes, erase it", button_payload(LIFEBOOK, "del", "yes")),
            Button(KEEP_IT, button_payload(LIFEBOOK, "del", "no")),
        ]
    ]
    ctx.offer_choice(buttons, numbers=False)  # for good: its words typed, never a number
    return Response.say(
        "Erase your whole Lifebook (vision, values, identity, goals, domains)? "
        "Your habits stay; they just won't be linked to it any more.",
        buttons=buttons,
        personal=True,
    )


@router.button(LIFEBOOK)
async def press(ctx: Context, args: list[str]) -> Response:
    if not ctx.request.chat.is_private:
        return Response(notice="The Lifebook opens in a private chat with me.")
    action = args[0] if args else ""
    if action == "guide":
        return start_guide(ctx)
    if action == "e" and len(args) == 2 and (section := _section(args[1])) is not None:
        return _ask_one(ctx, section)
    if action == "skip":
        state = ctx.flow
        if state is None or state.name != FLOW:
            return Response(notice="That step has ended. Send /lifebook.")
        return await _advance(ctx, state, None)
    if action == "pv" and len(args) == 2:
        return await _pick_value(ctx, args[1])
    if action == "ai" and len(args) == 2:
        ctx.lifebook.set_ai(ctx.user, args[1] == "1")
        return await show(ctx, edit=True)
    if action == "del":
        if args[1:] == ["yes"]:
            await ctx.lifebook.delete(ctx.user)
            return Response.say("Your Lifebook is erased.", edit=True, personal=True)
        if args[1:] == ["no"]:
            return Response.say("Kept as it is.", edit=True, personal=True)
        return _confirm_delete(ctx)
    return Response(notice=BUTTON_GONE)


# --- habits serve the Lifebook -----------------------------------------------------------
def serves_question(ctx: Context, habit: Habit) -> list[list[Button]]:
    """Buttons asking which goal or value `habit` serves; none when the Lifebook has neither."""
    book = ctx.lifebook.read(ctx.user)
    rows = [
        [Button(button_title(g.text), button_payload(SERVES, habit.id, g.id))] for g in book.goals
    ]
    rows += [
        [Button(button_title(v), button_payload(SERVES, habit.id, f"v{i}"))]
        for i, v in enumerate(book.values)
    ]
    if not rows:
        return []
    return [*rows, [Button(NONE_OF_THESE, button_payload(SERVES, habit.id, "-"))]]


async def full_card(ctx: Context, habit: Habit) -> Rich:
    """The habit's card with the techniques it uses and what in the Lifebook it serves."""
    used = await ctx.toolbox.for_habits([habit.id])
    serves = serving_label(ctx.lifebook.read(ctx.user), habit.serves)
    return habit_card(habit, technique_labels(used.get(habit.id, [])), serves)


@router.button(SERVES)
async def press_serves(ctx: Context, args: list[str]) -> Response:
    if len(args) != 2 or not args[0].isdecimal():
        return Response(notice=BUTTON_GONE)
    habits = await ctx.habits.active(ctx.user)
    habit = next((h for h in habits if h.id == int(args[0])), None)
    if habit is None:
        return Response(notice="That habit is gone.")
    if args[1] == "?":
        buttons = serves_question(ctx, habit)
        ctx.offer_choice(buttons)
        return Response.say(
            "Which goal or value does ",
            bold(habit.title),
            " serve?",
            buttons=buttons,
            edit=True,
        )
    book = ctx.lifebook.read(ctx.user)
    key: str | None = None
    if args[1].startswith("g"):
        key = serves_goal(args[1])
    elif args[1][1:].isdecimal() and int(args[1][1:]) < len(book.values):
        key = serves_value(book.values[int(args[1][1:])])
    elif args[1] != "-":
        return Response(notice=BUTTON_GONE)
    label = ctx.lifebook.link(ctx.user, habit, key)
    if label is None:
        return Response.say(f"“{habit.title}” is not linked to your Lifebook.", edit=True)
    return Response.say(
        bold(habit.title),
        " serves ",
        bold(label),
        hint(". See them together in /lifebook."),
        edit=True,
    )
