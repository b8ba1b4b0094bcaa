"""Proofs: a member's photo in the group chat (or with the caption /proof [habit] [note]).

Several photos sent at once (an album) are one proof, answered once: the first makes it (with the
album's caption), the others join it quietly (core.proofs.service.ProofService.post).
"""

from __future__ import annotations

from datetime import date

from bot.arguments import lookup_for, needs_lookup, split_words
from bot.commands import Arg, Where
from bot.context import Context
from bot.handlers.groups import group_here
from bot.messages import Response, Rich, Span, bold, hint, shorten
from bot.photo_commands import read_as_proof
from bot.router import Router
from bot.views import plural, relative_day
from core.days import day_words, parse_day
from core.db.models import Habit
from core.errors import InvalidInput
from core.habits.history import CheckinStatus
from core.habits.matching import fold, habit_number, match_title
from core.habits.service import match_habit
from core.media.limits import MAX_UPLOAD_BYTES, TOO_LARGE, ImageRejected

router = Router()
USAGE = "Send a photo in your group's chat, with the caption /proof [habit] [note] if you like."


@router.command(
    "proof",
    "Post a photo as proof (use it as the photo's caption)",
    Arg.photo(),
    Arg.habit(),
    Arg.text("note", "A few words about it"),
    help="Send a photo in your group's chat with this as its caption.",
    where=Where.GROUP,
    section="Groups",
)
async def proof_command(ctx: Context) -> Response:
    if ctx.request.photo is None:
        return Response.say(
            hint(
                "Attach a photo and put /proof [habit] [note] in its caption. "
                "Your habit is checked in for today when you name it."
            )
        )
    return await record_proof(
        ctx,
        ctx.args.habit(),
        ctx.args.text("note"),
        explicit=True,
        named=read_as_proof(ctx.request),
    )


@router.photo
async def photo(ctx: Context) -> Response:
    if ctx.request.chat.is_private:
        return Response.say("Nice photo! ", hint(USAGE))
    # A plain caption reads like /proof's words: a habit first if they name one, then a note.
    proof = ctx.router.commands["proof"]
    words = split_words(proof, ctx.request.text, await lookup_for(ctx, needs_lookup(proof)))
    ref = words.get("habit", "")
    if habit_number(ref) is not None and not await _titled(ctx, ref):
        # `2 hours of focus`: a caption's number is a quantity, not the habit numbered 2 in
        # /habits (a list nobody sees here); /proof 2 still names it.
        return await record_proof(ctx, "", ctx.request.text.strip(), explicit=False)
    return await record_proof(ctx, ref, words.get("note", ""), explicit=False)


async def _titled(ctx: Context, number: str) -> bool:
    """Whether one of the person's habits is called `number` (a habit named "10000", "#3")."""
    return any(fold(h.title) == fold(number) for h in await ctx.habits.active(ctx.user))


async def record_proof(
    ctx: Context, ref: str, note: str, *, explicit: bool, named: bool = False
) -> Response:
    """The proof of `ref` (a habit, checked in when found) with `note`; `named`: the words were
    meant as a habit (`/done HABIT` under the photo), so one not found is said."""
    group = await group_here(ctx)
    if group is None:
        if not explicit:
            return Response()  # a photo in a chat without a group: not ours to judge
        return Response.say(
            hint("This chat has no HabitLink group yet. Create one with /newgroup NAME.")
        )
    name = ctx.user.display_name
    if await ctx.groups.role(group, ctx.user) is None:
        how = (
            ". Send /join to take part, then post it again."
            if group.is_public  # a private group takes only its invite code
            else ", a private group: ask a member for its invite code (/invite), "
            "send /join CODE, then post it again."
        )
        return Response.say(
            f"Hi {name}! Photos here count as proofs for members of ", bold(group.name), hint(how)
        )
    photo = ctx.request.photo
    assert photo is not None
    if photo.size is not None and photo.size > MAX_UPLOAD_BYTES:
        raise ImageRejected(TOO_LARGE)  # refused before downloading it at all
    from core.media.images import normalise_proof_async  # Pillow: loaded at the first proof

    image = await normalise_proof_async(await photo.load())
    habits = await ctx.habits.active(ctx.user)
    habit = match_habit(habits, ref) if ref else None
    today = ctx.today
    day, refused = _day_said(note, today) if habit is not None else (None, None)
    if day is not None or refused is not None:
        note = ""  # the words were the check-in's day, not a note
    album = ctx.request.album
    posted = await ctx.proofs.post(
        group=group,
        user=ctx.user,
        image=image,
        day=today,
        habit=habit,
        note=note or None,
        album=f"{ctx.request.chat.platform}:{album}" if album else None,
    )
    if habit is not None and refused is None:
        await ctx.habits.check_in(habit, day or today, CheckinStatus.DONE)
    checked: list[str | Span | Rich]
    if habit is None:
        checked = _none_checked(habits, f"{ref} {note}", explicit=explicit, named=named)
    elif refused is not None:
        checked = [" ", bold(habit.title), f" was not checked in: {refused}"]
    else:
        when = relative_day(day or today, today)
        checked = [" ", bold(habit.title), *_numbered(ref, habit, note, when)]
    if posted.joined:  # a later photo of an album: its proof was answered with the first photo
        return Response.say(*checked[1:]) if habit else Response()
    count = await ctx.proofs.count_week(group, ctx.user, posted.proof.week_start)
    return Response.say(
        f"Proof saved, {name}! That's {plural(count, 'proof')} this week in ",
        bold(group.name),
        ".",
        *checked,
    )


def _numbered(ref: str, habit: Habit, note: str, when: str) -> list[str | Span | Rich]:
    """The rest of "Swim is checked in for today.": when a number named the habit (/proof 3,
    its number in /habits), that number, and the note the words after it became (/proof 3
    sets: "sets"), so that whoever meant three sets sees where the 3 went."""
    typed = ref.strip()
    number = habit_number(typed)  # '3' or '#3'
    if number is None or fold(habit.title) == fold(typed):
        return [f" is checked in for {when}."]  # named by its title (a habit called "10000")
    told: list[str | Span | Rich] = [
        hint(f" (number {int(number)} in /habits)"),
        f" is checked in for {when}",
    ]
    if note:
        told.append(f", with the note “{shorten(note, 60)}”")
    return [*told, "."]


def _day_said(note: str, today: date) -> tuple[date | None, str | None]:
    """The day a note that is only a day names ('/done stretch yesterday' under a photo), as
    /done reads it, or why it can't be checked in (in the future, over a week back); (None,
    None) when the note is no day: today's check-in, and the words a note."""
    words = note.split()
    if not words or day_words(words) != len(words):
        return None, None
    try:
        return parse_day(note, today), None
    except InvalidInput as exc:
        return None, exc.message


def _none_checked(
    habits: list[Habit], said: str, *, explicit: bool, named: bool
) -> list[str | Span | Rich]:
    """Why no habit was checked in, when the words seemed to name one: their first word fits
    several habits (`/proof read` with Read news and Read books), a number past the list
    (`/proof 7`), or, under `/done`, none at all (a typo: `/done runn`). Other words are a
    note: a plain caption of several words ('the best day' names no habit "the"), and /proof's
    that name none."""
    words = said.split()
    if not words or (len(words) > 1 and not explicit):
        return []
    first = words[0]
    match = match_title(first, [h.title for h in habits])
    if len(match.ambiguous) >= 2:
        return _which(habits, first, match.ambiguous)
    if match.number_out_of_range and explicit:
        return [
            f" You have no habit number {shorten(first, 12)} (see /habits), so none was checked in."
        ]
    if not named:
        return []
    told: list[str | Span | Rich] = [
        f" I can't find a habit called '{shorten(first, 30)}', so none was checked in."
    ]
    if match.suggestions:
        close = ", ".join(shorten(habits[i].title, 40) for i in match.suggestions)
        told += [" Did you mean: ", bold(close), "?"]
    return told


def _which(habits: list[Habit], first: str, fits: list[int]) -> list[str | Span | Rich]:
    """The habits `first` fits, none of which was checked in."""
    titles = [shorten(habits[i].title, 40) for i in fits]
    named = (
        ", ".join(titles[:-1]) + f" and {titles[-1]}"
        if len(titles) <= 3
        else ", ".join(titles[:3]) + f" and {len(titles) - 3} more"
    )
    return [
        f" “{shorten(first, 30)}” fits {named}, so no habit was checked in: ",
        hint("/done one of them."),
    ]
