"""A time written as an hour and one digit of minutes ('/remind read 12 3'): /remind reads
'12 30' and a bare hour ('7'), so '12 3' became the habit 'read 12' at 03:00. That habit is not
found, and the "Did you mean: Read?" button would then set a reminder at 03:00, which nobody
asked for. Said as the time it is instead.

Only reached when a habit was not found (never on a reminder's way), and only when the words
before the hour name one of the habits that were offered instead.
"""

from __future__ import annotations

from bot.commands import Kind
from bot.messages import Request, Rich, command, rich
from bot.router import Router
from core.errors import NotFound
from core.habits.matching import match_title


def misread_time(exc: NotFound, request: Request, router: Router) -> Rich | None:
    """The reply for a habit not found because an hour was read into its name, or None."""
    cmd = router.commands.get(request.command or "")
    if cmd is None or request.options is not None or request.button is not None:
        return None
    if Kind.TIME not in [p.kind for p in cmd.params] or not exc.choices:
        return None
    typed = exc.typed.split()
    words = request.args.split()
    after = words[len(typed) : len(typed) + 1]
    if len(typed) < 2 or words[: len(typed)] != typed or not after:
        return None
    hour, minutes = typed[-1], after[0]
    if not (hour.isdecimal() and len(hour) <= 2 and minutes.isdecimal() and len(minutes) == 1):
        return None
    habit_words = " ".join(typed[:-1])
    if match_title(habit_words, [c.title for c in exc.choices]).found is None:
        return None
    spaced = f"{int(hour):02d}:0{minutes}"
    return rich(
        f"{hour} {minutes}",
        " is not a time I can read: write the minutes with two digits, as in ",
        command(cmd.name, f"{habit_words} {spaced}", as_code=False),
        f" or {int(hour):02d}:{minutes}0.",
    )
