"""A question answered with buttons can be answered by typing too (in a private chat).

A handler that asks one (which goal a habit serves, which habit to edit) calls
`ctx.offer_choice(buttons)`: the options are kept as the person's flow in that chat, so the
next message that is not a command is read as the answer. A typed number (as the buttons are
counted, row by row) or label, case aside (and the marks it is drawn with: "next" for
"Next ▶"), is taken as pressing that button; a plain "no" or
"cancel" as pressing the option that leaves things as they are ("Keep it"), or, where there is
none, as ending the question; anything else is answered with the options again, changing
nothing. A command, a press or half an hour ends the question, without a word (nothing of it
was half saved). A question may instead give what names no option to the command it came
from (`otherwise`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.messages import Button
from core.flows import FlowState

CHOICE = "choice"
_NUMBERED = re.compile(r"^\d+\.\s+")  # "2. Read" (numbered habit buttons)
_MARKS = re.compile(r"^[\W_]+|[\W_]+$")  # "◀ Previous", "Older »", "💤 1 hour", "✓ Done"

# The labels of the options that leave things as they are: a typed "no" presses the one a
# question has. Exact labels only: "No sugar" (a habit offered by "Did you mean") never is one.
KEEP_IT = "Keep it"
NO_KEEP_IT = "No, keep it"
KEEP_PROFILE = "Keep my profile"
CANCEL = "Cancel"
NONE_OF_THESE = "None of these"
_DECLINING = frozenset(
    label.casefold() for label in (KEEP_IT, NO_KEEP_IT, KEEP_PROFILE, CANCEL, NONE_OF_THESE)
)
_NO_WORDS = frozenset(
    {"no", "nope", "nah", "no thanks", "no thank you", "cancel", "never mind", "nevermind", "stop"}
)


def choice_state(
    buttons: Sequence[Sequence[Button]], *, numbers: bool = True, otherwise: str | None = None
) -> FlowState:
    """The question's options; `numbers` False for one whose answer cannot be undone (erasing
    a profile for good): only its label, typed, takes it, never a number. `otherwise`: the
    command a typed answer that names no option is given to as its words (the buttons of
    "Did you mean one of these?" under /timezone are some places; any place typed answers)."""
    options = [[b.label, b.payload] for row in buttons for b in row]
    data: dict[str, object] = {"options": options}
    if not numbers:
        data["numbers"] = False
    if otherwise is not None:
        data["otherwise"] = otherwise
    return FlowState(CHOICE, "", data)


def otherwise(state: FlowState) -> str | None:
    """The command a typed answer naming no option goes to (None: it is refused)."""
    command = state.data.get("otherwise")
    return command if isinstance(command, str) else None


def by_number(state: FlowState) -> bool:
    return state.data.get("numbers", True) is not False


def options(state: FlowState) -> list[Button]:
    return [Button(str(label), str(payload)) for label, payload in state.data.get("options", [])]


def shown(option: Button, number: int) -> str:
    """The option as the list of choices names it: the label, without a number it already has."""
    label = option.label
    if label.startswith(f"{number}. "):
        label = label[len(f"{number}. ") :]
    return label


def pick(choices: Sequence[Button], text: str, *, numbers: bool = True) -> Button | None:
    """The option a typed answer names: its number (where `numbers`; '2' or '#2'), or its
    label (with or without its own number), case aside; None when it names none, or several."""
    said = _said(text)
    number = said.removeprefix("#")
    if number.isdecimal() and not _labelled(choices, said):
        if not numbers:
            return None
        n = int(number)
        return choices[n - 1] if 1 <= n <= len(choices) else None
    named = [
        option
        for option in choices
        if said in (option.label.casefold(), _NUMBERED.sub("", option.label).casefold())
    ]
    if not named and (bare := _bare(said)):  # "next" for "Next ▶", "1 hour" for "💤 1 hour"
        named = [option for option in choices if _bare(option.label.casefold()) == bare]
    return named[0] if len(named) == 1 else None


def says_number(text: str) -> bool:
    """Whether a typed answer is a number ('2', '#2', '2.'), as `pick` reads one."""
    return _said(text).removeprefix("#").isdecimal()


def _said(text: str) -> str:
    """A typed answer as `pick` compares it: words by single spaces, no full stop, any case."""
    return " ".join(text.split()).rstrip(".").casefold()


def _labelled(choices: Sequence[Button], said: str) -> bool:
    """Whether an option's label is what was typed ('#1' a habit's whole title)."""
    return any(option.label.casefold() == said for option in choices)


def _bare(label: str) -> str:
    """A label without the marks and emoji it is drawn with at either end."""
    return _MARKS.sub("", label)


def says_no(text: str) -> bool:
    """A typed "no", "cancel", "never mind"..., case and a final full stop or ! aside."""
    return " ".join(text.split()).rstrip(".!").casefold() in _NO_WORDS


def declining(choices: Sequence[Button]) -> Button | None:
    """The one option that leaves things as they are, if the question has exactly one."""
    found = [option for option in choices if option.label.casefold() in _DECLINING]
    return found[0] if len(found) == 1 else None
