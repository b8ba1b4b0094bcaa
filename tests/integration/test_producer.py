"""The producer (due reminders and summaries -> outbox rows) with the injected clock, end to end
through the bot's commands and a Notifier whose "console" sender records what it is given.

Every test runs on SQLite and PostgreSQL. The clock starts at Monday 2026-03-23 09:00 UTC.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from bot.delivery import Notifier
from bot.dispatcher import HabitLinkBot
from bot.messages import Button, Chat, ChatKind, Person, Request, Response
from core.clock import SettableClock
from core.db.models import (
    Group,
    GroupChat,
    Habit,
    Identity,
    Notification,
    Reminder,
    UserSettings,
)
from core.ratelimit import Limit

BERLIN, NEW_YORK = "Europe/Berlin", "America/New_York"
LORD_HOWE, KOLKATA = "Australia/Lord_Howe", "Asia/Kolkata"
HOUR, MINUTE = timedelta(hours=1), timedelta(minutes=1)


@dataclass
class Sent:
    at: str  # the clock (UTC "MM-DD HH:MM") when it was sent
    chat_id: str
    text: str
    buttons: list[Button]


@dataclass
class Recorder:
    """The "console" platform's sender: records every reply it is asked to send."""

    clock: SettableClock
    sent: list[Sent] = field(default_factory=list)
    platform: str = "console"

    def limits(self, chat_id: str) -> tuple[Limit, ...]:
        return ()

    async def send_response(self, chat_id: str, response: Response) -> None:
        for reply in response.replies:
            buttons = [b for row in reply.buttons for b in row]
            self.sent.append(Sent(z(self.clock.now()), chat_id, reply.text.plain(), buttons))


@dataclass
class Someone:
    bot: HabitLinkBot
    name: str
    platform: str = "console"

    @property
    def person(self) -> Person:
        return Person(self.platform, self.name.lower(), self.name, username=self.name.lower())

    @property
    def dm(self) -> Chat:
        return Chat(self.platform, f"dm:{self.name.lower()}", ChatKind.PRIVATE)

    async def say(self, *texts: str, chat: Chat | None = None) -> str:
        out = []
        for text in texts:
            response = await self.bot.handle(Request.from_text(self.person, chat or self.dm, text))
            out += [r.text.plain() for r in response.replies]
        return "\n".join(out)

    async def press(self, button: Button) -> str:
        request = Request(sender=self.person, chat=self.dm, button=button.payload)
        response = await self.bot.handle(request)
        return "\n".join([f"({response.notice})"] + [r.text.plain() for r in response.replies])


def z(instant: datetime | None) -> str:
    assert instant is not None
    return instant.astimezone(UTC).strftime("%m-%d %H:%M")


def utc(text: str) -> datetime:
    """ "03-24 07:30" -> 2026-03-24 07:30 UTC."""
    return datetime.fromisoformat(f"2026-{text.replace(' ', 'T')}").replace(tzinfo=UTC)


@pytest.fixture
def recorder(clock: SettableClock) -> Recorder:
    return Recorder(clock)


@pytest.fixture
def notifier(bot: HabitLinkBot, recorder: Recorder) -> Notifier:
    return Notifier(bot, {"console": recorder})


@pytest.fixture
def alice(bot: HabitLinkBot) -> Someone:
    return Someone(bot, "Alice")


async def run(
    clock: SettableClock, notifier: Notifier, until: datetime, every: timedelta = HOUR
) -> Counter[str]:
    """Step the clock to `until`, producing and sending after every step; sums the reports."""
    total: Counter[str] = Counter()
    while clock.now() < until:
        clock.set(min(clock.now() + every, until))
        report = await notifier.produce()
        if report.queued:  # (no failures here: nothing else can be waiting)
            await notifier.dispatch_all()
        total.update({k: v for k, v in vars(report).items() if isinstance(v, int) and v})
    return total


async def rows(bot: HabitLinkBot, kind: str = "reminder") -> list[Notification]:
    async with bot.uow.db.session() as session:
        stmt = select(Notification).where(Notification.kind == kind)
        return list((await session.scalars(stmt.order_by(Notification.due_at))).all())


async def reminders(bot: HabitLinkBot) -> list[tuple[str, str, str | None]]:
    async with bot.uow.db.session() as session:
        found = (await session.scalars(select(Reminder).order_by(Reminder.id))).all()
        return [
            (f"{r.local_time:%H:%M}", z(r.next_due_at), "z" if r.snoozed_until else None)
            for r in found
        ]


async def summary_at(bot: HabitLinkBot, who: str = "alice") -> str | None:
    async with bot.uow.db.session() as session:
        planned = await session.scalar(
            select(UserSettings.next_summary_at)
            .join(Identity, Identity.user_id == UserSettings.user_id)
            .where(Identity.external_id == who)
        )
        return z(planned) if planned else None


# --- daylight saving, end to end ---------------------------------------------------------
DST_DAYS = [
    # zone, first of three local days, the second reminder's time, then every reminder queued
    # over the three days as (UTC due, local time it says): the middle day has the change.
    (BERLIN, date(2026, 3, 28), time(2, 30),
     ["03-28 01:30 02:30", "03-28 06:30 07:30", "03-29 01:00 03:00",
      "03-29 05:30 07:30", "03-30 00:30 02:30", "03-30 05:30 07:30"]),
    (BERLIN, date(2026, 10, 24), time(2, 30),
     ["10-24 00:30 02:30", "10-24 05:30 07:30", "10-25 00:30 02:30",
      "10-25 06:30 07:30", "10-26 01:30 02:30", "10-26 06:30 07:30"]),
    (NEW_YORK, date(2026, 3, 7), time(2, 15),
     ["03-07 07:15 02:15", "03-07 12:30 07:30", "03-08 07:00 03:00",
      "03-08 11:30 07:30", "03-09 06:15 02:15", "03-09 11:30 07:30"]),
    (NEW_YORK, date(2026, 10, 31), time(1, 30),
     ["10-31 05:30 01:30", "10-31 11:30 07:30", "11-01 05:30 01:30",
      "11-01 12:30 07:30", "11-02 06:30 01:30", "11-02 12:30 07:30"]),
    (LORD_HOWE, date(2026, 4, 4), time(1, 45),
     ["04-03 14:45 01:45", "04-03 20:30 07:30", "04-04 14:45 01:45",
      "04-04 21:00 07:30", "04-05 15:15 01:45", "04-05 21:00 07:30"]),
    (LORD_HOWE, date(2026, 10, 3), time(2, 15),
     ["10-02 15:45 02:15", "10-02 21:00 07:30", "10-03 15:30 02:30",
      "10-03 20:30 07:30", "10-04 15:15 02:15", "10-04 20:30 07:30"]),
    (KOLKATA, date(2026, 3, 28), time(2, 30),
     ["03-27 21:00 02:30", "03-28 02:00 07:30", "03-28 21:00 02:30",
      "03-29 02:00 07:30", "03-29 21:00 02:30", "03-30 02:00 07:30"]),
]  # fmt: skip


@pytest.mark.parametrize(("zone", "first_day", "night", "expected"), DST_DAYS)
async def test_dst_days_through_the_producer(
    bot: HabitLinkBot,
    clock: SettableClock,
    notifier: Notifier,
    recorder: Recorder,
    alice: Someone,
    zone: str,
    first_day: date,
    night: time,
    expected: list[str],
) -> None:
    """Hour by hour over three local days, minute by minute over the changing night: 07:30 stays
    07:30, a time in the gap fires once at the gap's end, an ambiguous time fires once."""
    tz = ZoneInfo(zone)
    midnights = [datetime.combine(first_day + timedelta(days=i), time(0), tz) for i in range(4)]
    clock.set(midnights[0])
    await alice.say(f"/timezone {zone}", "/newhabit Read", "/remind read 07:30")
    await alice.say(f"/remind read {night:%H:%M}")
    await run(clock, notifier, midnights[1], HOUR)
    await run(clock, notifier, midnights[1] + 4 * HOUR, MINUTE)
    await run(clock, notifier, midnights[3], HOUR)

    queued = await rows(bot)
    assert [f"{z(n.due_at)} {n.payload['local_time']}" for n in queued] == expected
    changing_night = queued[2]  # fired by the minute-by-minute steps: exactly on time
    assert (z(changing_night.created_at), changing_night.payload["late"]) == (
        expected[2][:11],
        False,
    )
    assert [n.status for n in queued] == ["sent"] * 6
    late = "\n(A bit late: this was due at {}.)"
    assert [s.text for s in recorder.sent if s.text.startswith("⏰")] == [
        "⏰ Time for Read" + (late.format(n.payload["local_time"]) if n.payload["late"] else "")
        for n in queued
    ]


async def test_a_new_time_zone_recomputes_every_reminder(
    bot: HabitLinkBot, clock: SettableClock, notifier: Notifier, alice: Someone
) -> None:
    await alice.say("/newhabit Read", "/remind read 07:30", "/remind read 21:00 mon wed fri")
    await notifier.produce()  # plans the weekly summary: Sunday 18:00 UTC
    assert await reminders(bot) == [("07:30", "03-24 07:30", None), ("21:00", "03-23 21:00", None)]
    assert await summary_at(bot) == "03-29 18:00"
    await alice.press(Button("💤 1 hour", "rz:1"))  # the 07:30 one: ids start at 1
    assert await reminders(bot) == [("07:30", "03-24 07:30", "z"), ("21:00", "03-23 21:00", None)]

    await alice.say("/timezone Asia/Tokyo")  # Mon 18:00 there
    assert await reminders(bot) == [("07:30", "03-23 22:30", "z"), ("21:00", "03-23 12:00", None)]
    assert await summary_at(bot) == "03-29 09:00"
    await alice.say("/timezone America/New_York")  # Mon 05:00 there (EDT)
    assert await reminders(bot) == [("07:30", "03-23 11:30", "z"), ("21:00", "03-24 01:00", None)]
    assert await summary_at(bot) == "03-29 22:00"
    await alice.say("/timezone Europe/Berlin")  # Mon 10:00 there (CET; CEST from Sunday)
    assert await reminders(bot) == [("07:30", "03-24 06:30", "z"), ("21:00", "03-23 20:00", None)]
    assert await summary_at(bot) == "03-29 16:00"

    await run(clock, notifier, utc("03-24 12:00"), 30 * MINUTE)
    assert [(z(n.due_at), n.payload["local_time"]) for n in await rows(bot)] == [
        ("03-23 10:00", "11:00"),  # the snooze: an hour after it was pressed, in any zone
        ("03-23 20:00", "21:00"),
        ("03-24 06:30", "07:30"),
    ]


# --- what is not sent --------------------------------------------------------------------
async def test_nothing_for_a_habit_already_done_or_skipped(
    bot: HabitLinkBot, clock: SettableClock, notifier: Notifier, recorder: Recorder, alice: Someone
) -> None:
    await alice.say("/newhabit Read", "/newhabit Run", "/newhabit Walk")
    await alice.say("/remind read 07:30", "/remind run 07:30", "/remind walk 07:30")
    clock.set(utc("03-24 07:00"))
    await alice.say("/done read", "/skip run")
    report = await run(clock, notifier, utc("03-24 07:30"), 30 * MINUTE)
    assert report == {"queued": 1, "already_checked_in": 2}
    assert [s.text for s in recorder.sent] == ["⏰ Time for Walk"]
    # Checked in after it was queued but before it went out: it is not sent (nor retried).
    clock.set(utc("03-25 07:30"))
    assert (await notifier.produce()).queued == 3
    await alice.say("/done read")
    assert await notifier.dispatch_all() == 3
    assert [s.text for s in recorder.sent[1:]] == ["⏰ Time for Run", "⏰ Time for Walk"]
    assert [n.status for n in await rows(bot)] == ["sent"] * 4


async def test_quiet_hours_wrapping_midnight(
    bot: HabitLinkBot, clock: SettableClock, notifier: Notifier, recorder: Recorder, alice: Someone
) -> None:
    await alice.say(
        "/timezone Europe/Berlin", "/quiethours 22-7", "/newhabit Read", "/newhabit Run"
    )
    for at in ("21:30", "22:00", "23:30"):
        await alice.say(f"/remind read {at}")
    for at in ("00:15", "06:59", "07:00"):
        await alice.say(f"/remind run {at}")
    report = await run(clock, notifier, utc("03-24 09:00"), HOUR)  # Tue 10:00 in Berlin
    assert report["quiet"] == 4 and report["queued"] == 2
    assert [(z(n.due_at), n.payload["local_time"]) for n in await rows(bot)] == [
        ("03-23 20:30", "21:30"),
        ("03-24 06:00", "07:00"),
    ]
    assert len(recorder.sent) == 2
    await alice.say("/quiethours 13-15", "/remind read 13:30")  # not wrapping
    report = await run(clock, notifier, utc("03-25 09:00"), HOUR)
    assert (report["quiet"], report["queued"]) == (1, 6)
    await alice.say("/quiethours off")
    report = await run(clock, notifier, utc("03-26 09:00"), HOUR)
    assert (report["quiet"], report["queued"]) == (0, 7)


# --- downtime ------------------------------------------------------------------------------
async def test_after_downtime_late_within_the_hour_dropped_after(
    bot: HabitLinkBot, clock: SettableClock, notifier: Notifier, recorder: Recorder, alice: Someone
) -> None:
    times = {"A": "06:59", "B": "07:00", "C": "07:54", "D": "07:55", "E": "08:00"}
    for title, at in times.items():
        await alice.say(f"/newhabit {title}", f"/remind {title} {at}")
    clock.set(utc("03-24 08:00"))  # nothing ran since Monday 09:00
    report = await notifier.produce()
    assert (report.queued, report.late, report.dropped) == (4, 2, 1)
    assert [(n.payload["local_time"], n.payload["late"]) for n in await rows(bot)] == [
        ("07:00", True),  # 60 minutes: late, not dropped
        ("07:54", True),  # 6 minutes
        ("07:55", False),  # 5 minutes is on time
        ("08:00", False),
    ]
    await notifier.dispatch_all()
    assert [s.text for s in recorder.sent] == [
        "⏰ Time for B\n(A bit late: this was due at 07:00.)",
        "⏰ Time for C\n(A bit late: this was due at 07:54.)",
        "⏰ Time for D",
        "⏰ Time for E",
    ]
    assert await reminders(bot) == [
        ("06:59", "03-25 06:59", None),
        ("07:00", "03-25 07:00", None),
        ("07:54", "03-25 07:54", None),
        ("07:55", "03-25 07:55", None),
        ("08:00", "03-25 08:00", None),
    ]


@pytest.mark.parametrize(
    ("back_at", "expected"),
    [
        ("03-26 07:50", [("03-26 07:30", True)]),  # today's is 20 minutes old: it goes out late
        ("03-26 10:00", []),  # today's is 2.5 hours old: nothing
    ],
)
async def test_three_days_of_downtime_never_send_a_burst(
    bot: HabitLinkBot,
    clock: SettableClock,
    notifier: Notifier,
    alice: Someone,
    back_at: str,
    expected: list[tuple[str, bool]],
) -> None:
    await alice.say("/newhabit Read", "/remind read 07:30")
    clock.set(utc(back_at))  # down from Monday 09:00 to Thursday: Tue, Wed and Thu were due
    report = await notifier.produce()
    assert (report.dropped, report.queued) == (1, len(expected))
    assert [(z(n.due_at), n.payload["late"]) for n in await rows(bot)] == expected
    assert await reminders(bot) == [("07:30", "03-27 07:30", None)]
    assert await run(clock, notifier, utc("03-27 07:30"), MINUTE * 20) == {"queued": 1}


# --- weekdays, snooze, archived, unreachable -------------------------------------------------
async def test_weekday_masks(bot: HabitLinkBot, clock: SettableClock, notifier: Notifier) -> None:
    alice = Someone(bot, "Alice")
    await alice.say("/newhabit Read", "/remind read 07:30 mon wed fri", "/remind read 7pm weekends")
    await run(clock, notifier, utc("03-30 09:00"), HOUR)
    assert [(n.payload["day"], n.payload["local_time"]) for n in await rows(bot)] == [
        ("2026-03-25", "07:30"),  # Wed
        ("2026-03-27", "07:30"),  # Fri
        ("2026-03-28", "19:00"),  # Sat
        ("2026-03-29", "19:00"),  # Sun
        ("2026-03-30", "07:30"),  # Mon
    ]


async def test_snooze_fires_again_an_hour_later_once(
    bot: HabitLinkBot, clock: SettableClock, notifier: Notifier, recorder: Recorder, alice: Someone
) -> None:
    await alice.say("/newhabit Read", "/remind read 07:30")
    await run(clock, notifier, utc("03-24 07:30"), 30 * MINUTE)
    (first,) = recorder.sent
    assert (first.text, [b.label for b in first.buttons]) == (
        "⏰ Time for Read",
        ["✓ Done", "💤 1 hour", "Skip today"],
    )
    clock.set(utc("03-24 07:32"))
    assert await alice.press(first.buttons[1]) == (
        "(Snoozed for an hour)\n💤 I'll remind you of Read again at 08:32."
    )
    await run(clock, notifier, utc("03-24 10:00"), MINUTE)
    assert [(s.at, s.text) for s in recorder.sent[1:]] == [
        ("03-24 08:32", "⏰ Snoozed reminder: Read")
    ]
    snoozed = (await rows(bot))[1]
    flags = (snoozed.payload["snoozed"], snoozed.payload["late"])
    assert (z(snoozed.due_at), flags) == ("03-24 08:32", (True, False))
    assert await alice.press(recorder.sent[1].buttons[0]) == (
        "(Done!)\n✓ Read done today. Streak 1 day, day 1 of 66."
    )
    # Snoozed, then done before the hour is up: the snooze does not fire.
    await run(clock, notifier, utc("03-25 07:30"), 30 * MINUTE)
    await alice.press(recorder.sent[2].buttons[1])
    await alice.say("/done read")
    report = await run(clock, notifier, utc("03-25 10:00"), 10 * MINUTE)
    assert report == {"already_checked_in": 1}
    assert len(recorder.sent) == 3


async def test_archived_habits_never_remind(
    bot: HabitLinkBot, clock: SettableClock, notifier: Notifier, alice: Someone
) -> None:
    await alice.say("/newhabit Read", "/remind read 07:30", "/newhabit Run", "/remind run 08:00")
    async with bot.uow.db.session() as session:
        await session.execute(
            update(Habit).where(Habit.title == "Read").values(archived_at=clock.now())
        )
        await session.commit()
    assert await run(clock, notifier, utc("03-27 09:00"), HOUR) == {"queued": 4}  # Run, Tue-Fri
    assert {n.payload["local_time"] for n in await rows(bot)} == {"08:00"}


async def test_no_reachable_private_chat_gets_nothing_and_is_counted(
    bot: HabitLinkBot, clock: SettableClock, notifier: Notifier, recorder: Recorder
) -> None:
    people = [Someone(bot, name) for name in ("Alice", "Bob", "Carol")]
    people.append(Someone(bot, "Dave", platform="discord"))  # no discord sender is running
    for person in people:
        await person.say("/newhabit Read", "/remind read 07:30")
    async with bot.uow.db.session() as session:
        await session.execute(
            update(Identity).where(Identity.external_id == "bob").values(dm_chat_id=None)
        )
        await session.execute(
            update(Identity)
            .where(Identity.external_id == "carol")
            .values(unreachable_at=clock.now())
        )
        await session.commit()
    assert await run(clock, notifier, utc("03-24 07:30"), 30 * MINUTE) == {
        "queued": 1,
        "unreachable": 3,
    }
    assert [s.chat_id for s in recorder.sent] == ["dm:alice"]
    # The weekly summary too.
    report = await run(clock, notifier, utc("03-29 18:00"), 12 * HOUR)
    assert (report["unreachable"], len(await rows(bot, "summary"))) == (3 + 5 * 3, 1)


# --- weekly summaries ----------------------------------------------------------------------
async def test_weekly_summary_at_local_sunday_1800_for_users_with_habits(
    bot: HabitLinkBot, clock: SettableClock, notifier: Notifier, recorder: Recorder, alice: Someone
) -> None:
    bob = Someone(bot, "Bob")
    await alice.say("/timezone Europe/Berlin", "/newhabit Read", "/done read")
    await bob.say("/start")  # no habits: no summary
    await run(clock, notifier, utc("03-30 09:00"), HOUR)
    assert [(s.at, s.chat_id, s.text.split("\n")[:2]) for s in recorder.sent] == [
        (
            "03-29 16:00",  # 18:00 in Berlin, summer time since that morning
            "dm:alice",
            [
                "Your week · Mon 23 Mar to Sun 29 Mar",
                "• Read: 1/7 this week · streak 0 days · day 1 of 66",
            ],
        )
    ]
    (row,) = await rows(bot, "summary")
    week = {"week": "2026-03-23", "at": "2026-03-29T16:00:00+00:00"}
    assert (row.dedupe_key, row.payload) == (f"summary:{row.user_id}:2026-03-23", week)

    off = await alice.say("/quiet")
    assert off == "No more weekly summaries. Send /quiet off to get them back."
    await run(clock, notifier, utc("04-06 09:00"), HOUR)
    assert len(recorder.sent) == 1
    assert await alice.say("/summarytime mon 7") == (
        "Your weekly summary now comes on Mon at 07:00 (Europe/Berlin)."
    )
    assert await summary_at(bot) == "04-13 05:00"
    await run(clock, notifier, utc("04-13 09:00"), HOUR)
    assert [s.at for s in recorder.sent] == ["03-29 16:00", "04-13 05:00"]
    # Sent on a Monday, it tells the week that ended the day before.
    assert recorder.sent[1].text.startswith("Your week · Mon 6 Apr to Sun 12 Apr\n")


async def test_group_summary_goes_to_each_of_the_groups_chats_at_the_groups_time(
    bot: HabitLinkBot, clock: SettableClock, notifier: Notifier, recorder: Recorder, alice: Someone
) -> None:
    await alice.say("/quiet")  # only the group's summary here
    chat = Chat("console", "group:runners", ChatKind.GROUP, title="Runners")
    await alice.say("/newgroup Runners", chat=chat)
    await alice.say("/learn Lay out the shoes", chat=chat)  # a week with something to tell
    async with bot.uow.db.session() as session:
        group = (await session.scalars(select(Group))).one()
        group.timezone, group.summary_weekday, group.summary_hour = NEW_YORK, 5, 10  # Sat 10:00
        for platform, chat_id in [("console", "group:trail"), ("telegram", "-100123")]:
            new = GroupChat(platform=platform, external_chat_id=chat_id, created_at=clock.now())
            session.add(new)
            new.group_id = group.id
        await session.commit()
    await run(clock, notifier, utc("03-30 09:00"), HOUR)
    assert [(s.at, s.chat_id, s.text.split("\n")[0]) for s in recorder.sent] == [
        ("03-28 14:00", "group:runners", "Runners · week of Mon 23 Mar"),
        ("03-28 14:00", "group:trail", "Runners · week of Mon 23 Mar"),
    ]  # not the Telegram chat: no Telegram sender is running
    assert len(await rows(bot, "group_summary")) == 2
    async with bot.uow.db.session() as session:
        planned = await session.scalar(select(Group.next_summary_at))
    assert z(planned) == "04-04 14:00"
