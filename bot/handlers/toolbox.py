"""/tools, /tool and /usetool: browse the Toolbox, read a technique, attach it to a habit."""

from __future__ import annotations

from collections.abc import Sequence

from bot.buttons import BUTTON_GONE, TOOLBOX, button_payload
from bot.commands import Arg, Where
from bot.context import Context
from bot.messages import (
    MAX_BUTTON_PAYLOAD_BYTES,
    Button,
    Response,
    Rich,
    Span,
    bold,
    example,
    hint,
    italic,
)
from bot.router import Router
from bot.views import button_title, plural
from core.db.models import Habit, Tool, ToolOrigin
from core.errors import Code, InvalidInput, NotFound
from core.finder.service import first_sentence
from core.habits.matching import match_title
from core.habits.service import match_habit
from core.toolbox.service import PAGE_SIZE, in_toolbox, match_tool
from core.toolbox.spec import EVIDENCE_LABELS, Source

router = Router()
SECTION = "Toolbox"
OFF_WORDS = ("off", "remove", "detach")  # /usetool's last word that stops using a tool
MAX_READINGS = 5  # buttons when /usetool's words name a tool and a habit in several ways
GONE = "That tool is not in the Toolbox any more. See /tools."


# --- /tools -------------------------------------------------------------------------------
@router.command(
    "tools",
    "Browse the Toolbox of habit techniques, or those matching a word",
    Arg.text("keyword", "Only tools mentioning this word"),
    where=Where.PRIVATE,
    section=SECTION,
    tried=("toolbox", "techniques", "technique"),
)
async def tools(ctx: Context) -> Response:
    return await browse(ctx, ctx.args.text("keyword")[:40], 0)


async def browse(ctx: Context, keyword: str, page: int, *, edit: bool = False) -> Response:
    found = await ctx.toolbox.numbered(keyword)
    if not found:
        return Response.say(
            f"No tool mentions “{keyword}”. ",
            hint("Send /tools for all of them, or describe your problem with /findtool."),
            personal=True,
        )
    pages = (len(found) + PAGE_SIZE - 1) // PAGE_SIZE
    page = max(0, min(page, pages - 1))
    shown = found[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    head = f"Toolbox · “{keyword}”" if keyword else "Toolbox"
    parts: list[Rich | Span | str] = [
        bold(head),
        f" · {plural(len(found), 'tool')} · page {page + 1}/{pages}",
    ]
    authors = await ctx.toolbox.authors([t for _, t in shown])
    for n, tool in shown:
        parts += ["\n\n", bold(f"{n}. {tool.title}"), f" ({_evidence_word(tool, authors)})\n"]
        parts.append(first_sentence(tool.description, 160))
    parts += ["\n\n", italic("Open one below, or /tool NAME or /tool NUMBER.")]
    buttons = _open_buttons([t for _, t in shown])
    pager = []
    if page > 0:
        pager.append(Button("◀ Previous", _page_payload(page - 1, keyword)))
    if page + 1 < pages:
        pager.append(Button("Next ▶", _page_payload(page + 1, keyword)))
    if pager:
        buttons.append(pager)
    # Typed labels press them; numbers are the tools' in the list, not the buttons', so a number
    # (or any words no label has) is /tool's: '3' opens the list's 3.
    reply = Response.say(*parts, buttons=buttons, personal=True, edit=edit)
    return ctx.ask(reply, numbers=False, otherwise="tool")


def _page_payload(page: int, keyword: str) -> str:
    """tb:p:PAGE:KEYWORD, the keyword shortened to fit a button's payload."""
    payload = button_payload(TOOLBOX, "p", page, "")
    room = MAX_BUTTON_PAYLOAD_BYTES - len(payload.encode())
    word = keyword.encode()[:room].decode(errors="ignore")
    return payload + word


def _evidence_word(tool: Tool, authors: dict[int, str]) -> str:
    if tool.origin == ToolOrigin.COMMUNITY.value:
        return f"community, by {authors.get(tool.author_id or 0, 'a former member')}"
    return tool.evidence


# --- /tool -------------------------------------------------------------------------------
@router.command(
    "tool",
    "One technique: its steps and where it comes from",
    Arg.tool(),
    where=Where.PRIVATE,
    section=SECTION,
    bare=True,
)
async def tool(ctx: Context) -> Response:
    name = ctx.args.tool()
    if not name:
        return Response.say(
            "Which tool? For example ", example("/tool woop"), ", or browse /tools."
        )
    habits = await ctx.habits.active(ctx.user)
    used = await ctx.toolbox.for_habits([h.id for h in habits])
    # A tool an admin hid stays readable to those whose habits keep it (their steps to follow).
    hidden = _hidden_in_use(used)
    shown = await ctx.toolbox.all()
    said = match_tool([*shown, *hidden], name) if hidden else None
    if said is None or in_toolbox(said):
        try:
            said = await ctx.toolbox.find(name[:120], numbers=True, tools=shown)
        except NotFound as exc:
            if not exc.suggestions:
                raise
            return _did_you_mean(ctx, exc, shown)
    return await tool_card(ctx, said, known=(habits, used))


def _did_you_mean(ctx: Context, exc: NotFound, tools_: Sequence[Tool]) -> Response:
    """No tool by that name, with the tools it is like (of `tools_`): a button opens each (as
    in /tools), their names or numbers typed too."""
    by_title = {t.title: t for t in tools_}
    like = [by_title[title] for title in exc.suggestions if title in by_title]
    said = Response.say(
        hint(exc.message),
        "\nDid you mean: ",
        bold(", ".join(exc.suggestions)),
        "?",
        buttons=_open_buttons(like),
    )
    return ctx.ask(said, otherwise="tool")  # other words typed: another try at the name


def _open_buttons(tools_: Sequence[Tool]) -> list[list[Button]]:
    """A button a tool, opening its card."""
    return [[Button(button_title(t.title), button_payload(TOOLBOX, "o", t.id))] for t in tools_]


async def tool_card(
    ctx: Context,
    tool: Tool,
    *,
    edit: bool = False,
    known: tuple[list[Habit], dict[int, list[Tool]]] | None = None,
) -> Response:
    """The tool's steps and source; one an admin hid only for those whose habits keep it,
    said to be gone from the Toolbox with how to stop it. `known`: the person's active habits
    and the tools they use, when the caller has read them already."""
    parts: list[Rich | Span | str] = [bold(tool.title), "\n", tool.description, "\n"]
    for n, step in enumerate(tool.steps, 1):
        parts += [f"\n{n}. ", step]
    parts += ["\n\n", italic(f"Evidence: {EVIDENCE_LABELS.get(tool.evidence, tool.evidence)}")]
    if tool.source:
        parts += ["\n", italic("Source: " + Source.model_validate(tool.source).cite())]
    if tool.origin == ToolOrigin.COMMUNITY.value:
        author = (await ctx.toolbox.authors([tool])).get(tool.author_id or 0)
        parts += ["\n", italic(f"Shared by {author or 'a former member'}.")]
    if known is None:
        habits = await ctx.habits.active(ctx.user)
        known = habits, await ctx.toolbox.for_habits([h.id for h in habits])
    habits, used = known
    users = _using(tool, habits, used)
    if users:
        parts += ["\n\nYou use it for: ", ", ".join(h.title for h in users)]
    if not in_toolbox(tool):
        if not users:
            raise NotFound(GONE, code=Code.TOOL_GONE)
        parts += ["\n\n", italic("It is no longer in the Toolbox. "), *_kept_until(tool, users)]
    buttons = (
        [[Button("Use it for a habit", button_payload(TOOLBOX, "u", tool.id))]]
        if habits and in_toolbox(tool)
        else []
    )
    return Response.say(*parts, buttons=buttons, personal=True, edit=edit)


# --- /usetool ----------------------------------------------------------------------------
@router.command(
    "usetool",
    "Use a technique for one of your habits (shown on its card and in /stats)",
    Arg.tool(),
    Arg.habit("The habit (leave it out to pick one)"),
    Arg.choice("off", "off: stop using it", ("off",), aliases={"remove": "off", "detach": "off"}),
    where=Where.PRIVATE,
    section=SECTION,
    bare=True,
)
async def usetool(ctx: Context) -> Response:
    name, ref = ctx.args.tool(), ctx.args.habit()
    if not name:
        return Response.say(
            "Which tool, for which habit? For example ", example("/usetool woop run")
        )
    habits = await ctx.habits.active(ctx.user)
    if not habits:
        return Response.say(hint("You have no habits yet. Create one with /newhabit first."))
    detach = ctx.args.choice("off") == "off"
    used = await ctx.toolbox.for_habits([h.id for h in habits])
    # Tools an admin hid stay on the habits using them, so their names still detach them.
    shown = await ctx.toolbox.all()  # numbered as in /tools
    tools_ = [*shown, *_hidden_in_use(used)]
    *head, last = name.split()
    off = not ref and not detach and bool(head) and last.lower() in OFF_WORDS  # `/usetool woop off`
    if off and match_tool(tools_, " ".join(head)) is not None:
        name, detach = " ".join(head), True
    said = match_tool(tools_, name)
    named = match_title(ref, [h.title for h in habits]) if ref else None
    if said is None or (named is not None and not named.ambiguous):
        # The habit may come first (`/usetool floss woop`): read the words both ways. A tool
        # named with a habit's word that fits several habits asks which, as it did.
        words = [*name.split(), *ref.split()]
        found, detach = _readings_with_off(tools_, len(shown), habits, words, detach)
        if said is not None and named is not None and named.found is not None:
            found = _unique([(said, habits[named.found]), *found])
        if len(found) == 1:
            return await attach(ctx, found[0][0], found[0][1], detach=detach)
        if len(found) > 1:
            return ctx.ask(_which_reading(found, detach=detach))
    if said is None and (only := match_habit(habits, f"{name} {ref}")) is not None:
        return _which_tool(only)  # `/usetool floss`: a habit, no tool
    if said is not None and not in_toolbox(said):
        tool_ = said
    else:
        tool_ = await ctx.toolbox.find(name[:120], numbers=True, tools=shown)
    users = _using(tool_, habits, used)
    if not ref and detach:
        return await _stop_where_used(ctx, tool_, users)
    if not ref and not in_toolbox(tool_):
        return _gone(tool_, users)
    if not ref:
        return ctx.ask(choose_habit(tool_, habits))
    habit = await ctx.habits.find(ctx.user, ref, habits)
    return await attach(ctx, tool_, habit, detach=detach)


def _using(tool_: Tool, habits: Sequence[Habit], used: dict[int, list[Tool]]) -> list[Habit]:
    """Those of `habits` that use `tool_` (`used`: each habit's tools)."""
    return [h for h in habits if any(t.id == tool_.id for t in used.get(h.id, []))]


def _hidden_in_use(used: dict[int, list[Tool]]) -> list[Tool]:
    """The tools an admin hid that some of these habits still use, each once."""
    found: dict[int, Tool] = {}
    for tools_ in used.values():
        found |= {t.id: t for t in tools_ if not in_toolbox(t)}
    return list(found.values())


def _words(text: str) -> str:
    return " ".join(text.lower().split())


def _gone(tool_: Tool, users: Sequence[Habit]) -> Response:
    """Why a tool an admin hid is used for no more habits, and how the habits using it (they
    keep it) stop it; the Toolbox's refusal when none does."""
    if not users:
        raise NotFound(GONE, code=Code.TOOL_GONE)
    return Response.say(
        bold(tool_.title),
        " is no longer in the Toolbox, so it can't be used for more habits. ",
        *_kept_until(tool_, users),
        personal=True,
    )


def _kept_until(tool_: Tool, users: Sequence[Habit]) -> list[Rich | Span | str]:
    """Which of the person's habits keep a tool an admin hid, and how to stop it."""
    name = tool_.slug.replace("-", " ") if tool_.origin == ToolOrigin.SEED.value else tool_.title
    habit = _words(users[0].title) if len(users) == 1 else "HABIT"
    return [
        *([bold(users[0].title), " keeps it"] if len(users) == 1 else ["Your habits keep it"]),
        " until you stop it: ",
        example(f"/usetool {_words(name)} {habit} off"),
    ]


async def _stop_where_used(ctx: Context, tool_: Tool, users: list[Habit]) -> Response:
    """`/usetool TOOL off`: stop it for the habit using it, or ask which of those using it."""
    if not users:
        return Response.say("None of your habits uses ", bold(tool_.title), ".")
    if len(users) == 1:
        return await attach(ctx, tool_, users[0], detach=True)
    return ctx.ask(
        Response.say(
            "Stop using ",
            bold(tool_.title),
            " for which habit?",
            buttons=[
                [
                    Button(
                        f"Stop {button_title(tool_.title)} for {button_title(h.title)}",
                        button_payload(TOOLBOX, "d", tool_.id, h.id),
                    )
                ]
                for h in users[:MAX_READINGS]
            ],
            personal=True,
        )
    )


Reading = tuple[Tool, Habit]


def _which_tool(habit: Habit) -> Response:
    return Response.say(
        "Which tool for ",
        bold(habit.title),
        "? For example ",
        example(f"/usetool woop {' '.join(habit.title.lower().split())}"),
        ", or browse /tools, or describe the problem with /findtool.",
        personal=True,
    )


def _readings_with_off(
    tools_: Sequence[Tool],
    numbered: int,
    habits: Sequence[Habit],
    words: list[str],
    detach: bool,
) -> tuple[list[Reading], bool]:
    """The readings of `words` as a tool and a habit, in either order; a last word "off" that
    the command's reading took into a name is read as off when that makes a reading."""
    if not detach and len(words) > 2 and words[-1].lower() in OFF_WORDS:
        found = readings(tools_, habits, words[:-1], numbered=numbered)
        if found:
            return found, True
    return readings(tools_, habits, words, numbered=numbered), detach


def readings(
    tools_: Sequence[Tool], habits: Sequence[Habit], words: list[str], *, numbered: int = 0
) -> list[Reading]:
    """Every way `words` split into a tool and a habit each named without doubt, the tool first
    or the habit first (`/usetool woop floss`, `/usetool floss woop`), each pair once; a tool
    by its /tools number too (of the first `numbered` of `tools_`) where it comes first
    (`/usetool 14 read`): a number after a tool is the habit's (`/usetool woop 2`)."""
    found: list[Reading] = []
    for k in range(1, len(words)):
        head, tail = " ".join(words[:k]), " ".join(words[k:])
        for tool_words, habit_words in ((head, tail), (tail, head)):
            tool_ = match_tool(tools_, tool_words, numbered=numbered if tool_words == head else 0)
            habit = match_habit(habits, habit_words) if tool_ is not None else None
            if tool_ is not None and habit is not None:
                found.append((tool_, habit))
    return _unique(found)


def _unique(found: list[Reading]) -> list[Reading]:
    seen: set[tuple[int, int]] = set()
    out: list[Reading] = []
    for tool_, habit in found:
        if (tool_.id, habit.id) not in seen:
            seen.add((tool_.id, habit.id))
            out.append((tool_, habit))
    return out


def _which_reading(found: list[Reading], *, detach: bool) -> Response:
    """The words name a tool and a habit in more than one way: a button for each."""
    verb, action = ("Stop", "d") if detach else ("Use", "a")
    return Response.say(
        "Which did you mean?",
        buttons=[
            [
                Button(
                    f"{verb} {button_title(t.title)} for {button_title(h.title)}",
                    button_payload(TOOLBOX, action, t.id, h.id),
                )
            ]
            for t, h in found[:MAX_READINGS]
        ],
        personal=True,
    )


def choose_habit(tool_: Tool, habits: Sequence[Habit], *, edit: bool = False) -> Response:
    return Response.say(
        "Use ",
        bold(tool_.title),
        " for which habit?",
        buttons=[
            [Button(f"{i}. {button_title(h.title)}", button_payload(TOOLBOX, "a", tool_.id, h.id))]
            for i, h in enumerate(habits, 1)
        ],
        personal=True,
        edit=edit,
    )


async def attach(ctx: Context, tool_: Tool, habit: Habit, *, detach: bool = False) -> Response:
    if detach:
        if await ctx.toolbox.detach(habit, tool_):
            return Response.say(bold(habit.title), " no longer uses ", bold(tool_.title), ".")
        return Response.say(bold(habit.title), " wasn't using ", bold(tool_.title), ".")
    if not in_toolbox(tool_):  # only those still using it can name it
        return _gone(tool_, _using(tool_, [habit], await ctx.toolbox.for_habits([habit.id])))
    if not await ctx.toolbox.attach(habit, tool_):
        return Response.say(bold(habit.title), " already uses ", bold(tool_.title), ".")
    return Response.say(
        bold(habit.title),
        " now uses ",
        bold(tool_.title),
        ". Its first step: ",
        tool_.steps[0] if tool_.steps else "",
        hint("\nYou'll see it on the habit's card and in /stats."),
        personal=True,
    )


@router.button(TOOLBOX)
async def press(ctx: Context, args: list[str]) -> Response:
    if not ctx.request.chat.is_private:
        return Response(notice="The Toolbox opens in a private chat with me.")
    action, rest = (args[0], args[1:]) if args else ("", [])
    if action == "p" and rest and rest[0].isdecimal():
        return await browse(ctx, ":".join(rest[1:]), int(rest[0]), edit=True)
    if not rest or not all(r.isdecimal() for r in rest):
        return Response(notice=BUTTON_GONE)
    # A hidden tool: still detached, and still opened by those using it (tool_card checks).
    tool_ = await ctx.toolbox.get(int(rest[0]), hidden=action in ("d", "o"))
    if action == "o":
        return await tool_card(ctx, tool_)
    habits = await ctx.habits.active(ctx.user)
    if action == "u":
        if not habits:
            return Response(notice="Create a habit first with /newhabit.")
        return ctx.ask(choose_habit(tool_, habits))
    if action in ("a", "d") and len(rest) == 2:
        habit = next((h for h in habits if h.id == int(rest[1])), None)
        if habit is None:
            return Response(notice="That habit is gone.")
        return await attach(ctx, tool_, habit, detach=action == "d")
    raise InvalidInput(BUTTON_GONE)


def technique_labels(tools_: Sequence[Tool]) -> list[str]:
    """A habit's techniques as its card and /stats list them: one an admin hid since it was
    attached says so (`/usetool TOOL HABIT off` detaches it)."""
    return [t.title if in_toolbox(t) else f"{t.title} (no longer in the Toolbox)" for t in tools_]
