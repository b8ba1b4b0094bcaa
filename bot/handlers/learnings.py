"""Learnings: /learn, /learnings, /unlearn in a group chat; /feed in private; Like and Delete."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.buttons import (
    BUTTON_GONE,
    FEED_PAGE,
    LEARNING_DELETE,
    LEARNING_LIKE,
    LEARNINGS_PAGE,
    button_payload,
)
from bot.commands import Arg, Where
from bot.context import Context
from bot.handlers.groups import chat_group, readable_group
from bot.messages import Button, Reply, Response, Rich, bold, hint, lines, shorten, utf16_len
from bot.router import Router
from bot.views import plural
from core.errors import HabitLinkError
from core.numbers import parse_int
from core.social.learnings import (
    RECENT_LIMIT,
    FeedMode,
    FeedPage,
    Learning,
    LearningService,
)

router = Router()
SECTION = "Learnings"
FEED_ALIASES = {"new": "newest", "latest": "newest", "best": "top", "liked": "top"}
LIKE = "👍"
MODE_TITLES = {FeedMode.NEWEST: "Newest", FeedMode.TOP: "Most liked"}
LIST = "l"  # a Like pressed on a page of /learnings (lk:ID:l:FIRST)
LIKES_PER_ROW = 5
MAX_PAGE = 10_000  # a forged page number beyond this is not a page of the feed
# Lists show the beginning of each learning (its card in the group has all of it), so a page
# stays readable and well inside every platform's message limit, whatever people wrote.
PREVIEW_UNITS = 150
NAME_UNITS = 40
PAGE_UNITS = 1800  # a list's rows stop here: inside Discord's 2,000 and Telegram's 4,096


def row(i: int, item: Learning, where: str, tz: ZoneInfo) -> str:
    """One learning in a list: '3. Warm up first — Ana in Runners, 23 Mar · 👍 2'."""
    return (
        f"{i}. {shorten(item.content, PREVIEW_UNITS)} — {shorten(item.author_name, NAME_UNITS)}"
        f"{where}, {short_date(item.created_at, tz)} · {LIKE} {item.likes}"
    )


def fit(rows: Iterable[str], budget: int = PAGE_UNITS) -> list[str]:
    """As many rows as fit in `budget` UTF-16 units (at least one)."""
    out: list[str] = []
    for text in rows:
        budget -= utf16_len(text) + 1
        if out and budget < 0:
            break
        out.append(text)
    return out


def service(ctx: Context) -> LearningService:
    return ctx.learnings


def short_date(moment: datetime, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)
    return f"{local.day} {local:%b}"


# --- a learning posted in its group ----------------------------------------------------------
def card(learning: Learning, *, edit: bool = False) -> Reply:
    """The learning as shared in its group's chat; the same text after every Like."""
    return Reply.of(
        "💡 ",
        bold(learning.author_name),
        " shared a learning in ",
        bold(learning.group_name),
        ":\n",
        learning.content,
        f"\n{LIKE} {plural(learning.likes, 'like')}",
        buttons=[
            [
                Button(f"{LIKE} Like", button_payload(LEARNING_LIKE, learning.id)),
                Button("🗑 Delete", button_payload(LEARNING_DELETE, learning.id)),
            ]
        ],
        edit=edit,
    )


@router.command(
    "learn",
    "Share something you learned with your group",
    Arg.text("text", "What you learned", required=True, label="WHAT YOU LEARNED"),
    where=Where.GROUP,
    section=SECTION,
)
async def learn(ctx: Context) -> Response:
    group = await chat_group(ctx)
    learning = await service(ctx).post(group.id, ctx.user.id, ctx.args.text("text"))
    return Response([card(learning)])


@router.command(
    "learnings",
    "The group's learnings, newest first (Older and Newer page through them all)",
    where=Where.GROUP,
    section=SECTION,
)
async def learnings(ctx: Context) -> Response:
    return await learnings_from(ctx, 1, edit=False)


@router.button(LEARNINGS_PAGE)
async def press_learnings(ctx: Context, args: list[str]) -> Response:
    """lp:N: the group's learnings from number N on (numbers count from the newest)."""
    first = parse_int(args[0], 1, MAX_PAGE * RECENT_LIMIT) if len(args) == 1 else None
    if first is None:
        return Response(notice=BUTTON_GONE)
    return await learnings_from(ctx, first, edit=True)


async def learnings_from(ctx: Context, first: int, *, edit: bool) -> Response:
    """A page of the group's learnings numbered from `first` (the numbers /unlearn takes)."""
    group = await readable_group(ctx)
    found = await service(ctx).recent(group.id, ctx.user.id, RECENT_LIMIT + 1, first - 1)
    if not found and first > 1:  # the list shrank since the button was made
        first = 1
        found = await service(ctx).recent(group.id, ctx.user.id, RECENT_LIMIT + 1)
    if not found:
        return Response.say(
            f"No learnings in {group.name} yet. Share one with ",
            hint("/learn WHAT YOU LEARNED."),
        )
    rows = fit(row(i, item, "", ctx.tz) for i, item in enumerate(found[:RECENT_LIMIT], first))
    shown = found[: len(rows)]
    buttons = like_rows(shown, first, ctx.user.id)
    nav: list[Button] = []
    if first > 1:
        nav.append(Button("« Newer", button_payload(LEARNINGS_PAGE, max(1, first - RECENT_LIMIT))))
    if len(found) > len(rows):  # more than this page shows: the rest from the next number
        nav.append(Button("Older »", button_payload(LEARNINGS_PAGE, first + len(rows))))
    title = "Latest learnings" if first == 1 else f"Learnings {first}–{first + len(rows) - 1}"
    return Response(
        [
            Reply.of(
                bold(f"{title} in {group.name}"),
                "\n",
                lines(rows),
                hint("\nDelete one of your own with /unlearn N."),
                buttons=[*buttons, nav] if nav else buttons,
                edit=edit,
            )
        ]
    )


def like_rows(shown: list[Learning], first: int, viewer_id: int) -> list[list[Button]]:
    """A Like button per learning of a /learnings page, as its card has, LIKES_PER_ROW a row
    (Discord takes 5 a row and 5 rows: a page of 10 is two rows, with its Older/Newer row);
    none on a page of only the viewer's own learnings. A press likes it (or takes the like
    back) and redraws the page: lk:ID:l:FIRST."""
    if all(item.author_id == viewer_id for item in shown):
        return []
    likes = [
        Button(f"Like {i}", button_payload(LEARNING_LIKE, item.id, LIST, first))
        for i, item in enumerate(shown, first)
    ]
    return [likes[i : i + LIKES_PER_ROW] for i in range(0, len(likes), LIKES_PER_ROW)]


@router.command(
    "unlearn",
    "Delete one of your learnings (its number in /learnings)",
    Arg.number(
        "number",
        "Its number in /learnings",
        low=1,
        required=True,
        label="N",
        invalid="Send /unlearn N with the number from /learnings, e.g. /unlearn 2.",
    ),
    where=Where.GROUP,
    section=SECTION,
    menu=False,
)
async def unlearn(ctx: Context) -> Response:
    n = ctx.args.number("number")
    assert n is not None  # required: bot/arguments.py answered a missing one
    group = await chat_group(ctx)
    gone = await service(ctx).delete_nth(group.id, ctx.user.id, n)
    return Response.say("Deleted your learning: ", gone.content)


@router.button(LEARNING_DELETE)
async def press_delete(ctx: Context, args: list[str]) -> Response:
    learning_id = parse_int(args[0]) if len(args) == 1 else None
    if learning_id is None:
        return Response(notice=BUTTON_GONE)
    try:
        gone = await service(ctx).delete(learning_id, ctx.user.id)
    except HabitLinkError as exc:
        return Response(notice=exc.message)
    return Response(
        [Reply.of(f"🗑 {gone.author_name} deleted this learning.", edit=True)],
        notice="Deleted.",
    )


# --- the feed of public learnings ------------------------------------------------------------
def feed_reply(page: FeedPage, tz: ZoneInfo, viewer_id: int, *, edit: bool) -> Reply:
    """A page of the feed; a Like (or Unlike) for each learning but the viewer's own."""
    mode = page.mode.value
    title = bold(f"{MODE_TITLES[page.mode]} learnings from public groups · page {page.page}")
    if not page.items:
        return Reply.of(
            title,
            hint("\nNothing here yet. Share one in your group's chat with /learn."),
            edit=edit,
        )
    rows: list[Rich | str] = [
        *fit(row(i, item, f" in {item.group_name}", tz) for i, item in enumerate(page.items, 1))
    ]
    likes = [
        Button(
            f"{'Unlike' if item.liked else 'Like'} {i}",
            button_payload(LEARNING_LIKE, item.id, mode, page.page),
        )
        for i, item in enumerate(page.items, 1)
        if item.author_id != viewer_id
    ]
    newest = page.mode is FeedMode.NEWEST
    older, newer = ("Older »", "« Newer") if newest else ("Next page »", "« Back")
    nav: list[Button] = []
    if page.has_previous:
        nav.append(Button(newer, button_payload(FEED_PAGE, mode, page.page - 1)))
    if page.has_next:
        nav.append(Button(older, button_payload(FEED_PAGE, mode, page.page + 1)))
    other = FeedMode.TOP if page.mode is FeedMode.NEWEST else FeedMode.NEWEST
    nav.append(Button(MODE_TITLES[other], button_payload(FEED_PAGE, other.value, "1")))
    buttons = [likes, nav] if likes else [nav]
    return Reply.of(title, "\n", lines(rows), buttons=buttons, edit=edit)


async def feed_page(ctx: Context, mode: FeedMode, page: int, *, edit: bool) -> Response:
    found = await service(ctx).feed(ctx.user.id, mode, page)
    if not found.items and page > 1:  # the list shrank since the button was made
        found = await service(ctx).feed(ctx.user.id, mode, 1)
    # Typed labels press its buttons ("like 2"); a number is the list's, not a button's.
    return ctx.ask(Response([feed_reply(found, ctx.tz, ctx.user.id, edit=edit)]), numbers=False)


def parse_mode(word: str) -> FeedMode | None:
    word = word.strip().lower()
    if word in {"", "new", "newest", "latest"}:
        return FeedMode.NEWEST
    if word in {"top", "best", "liked"}:
        return FeedMode.TOP
    return None


@router.command(
    "feed",
    "Learnings from public groups: newest, or /feed top",
    Arg.choice(
        "order",
        "newest (default) or top",
        ("newest", "top"),
        aliases=FEED_ALIASES,
        invalid="Say /feed for the newest learnings, or /feed top for the most liked.",
    ),
    where=Where.PRIVATE,
    section=SECTION,
    tried=("global",),
)
async def feed(ctx: Context) -> Response:
    mode = FeedMode.TOP if ctx.args.choice("order") == "top" else FeedMode.NEWEST
    return await feed_page(ctx, mode, 1, edit=False)


@router.button(FEED_PAGE)
async def press_feed(ctx: Context, args: list[str]) -> Response:
    mode = parse_mode(args[0]) if len(args) == 2 and args[0] else None
    page = parse_int(args[1], 1, MAX_PAGE) if mode is not None else None
    if mode is None or page is None:
        return Response(notice=BUTTON_GONE)
    return await feed_page(ctx, mode, page, edit=True)


# --- likes -------------------------------------------------------------------------------------
@router.button(LEARNING_LIKE)
async def press_like(ctx: Context, args: list[str]) -> Response:
    """lk:ID on a learning's card; lk:ID:MODE:PAGE on a page of the feed; lk:ID:l:FIRST on a
    page of /learnings (from its learning number FIRST)."""
    learning_id = parse_int(args[0]) if args else None
    if learning_id is None:
        return Response(notice=BUTTON_GONE)
    try:
        result = await service(ctx).toggle_like(learning_id, ctx.user.id)
    except HabitLinkError as exc:
        return Response(notice=exc.message)
    learning = result.learning
    notice = (
        f"{LIKE} You like {learning.author_name}'s learning."
        if result.liked
        else "You took your like back."
    )
    at = parse_int(args[2], 1, MAX_PAGE * RECENT_LIMIT) if len(args) == 3 else None
    mode = parse_mode(args[1]) if len(args) == 3 and args[1] and args[1] != LIST else None
    page = parse_int(args[2], 1, MAX_PAGE) if mode is not None else None
    if args[1:2] == [LIST] and at is not None:
        response = await learnings_from(ctx, at, edit=True)
    elif mode is not None and page is not None:
        response = await feed_page(ctx, mode, page, edit=True)
    else:
        response = Response([card(learning, edit=True)])
    response.notice = notice
    return response
