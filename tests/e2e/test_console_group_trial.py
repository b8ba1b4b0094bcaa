"""Three people in group chats through the console: what a newcomer tried, and the replies it
must get. Every test runs on SQLite and PostgreSQL; the clock starts at Monday 2026-03-23 09:00
UTC."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from tests.support.console import ConsoleSession, bot


def red_jpeg(folder: Path) -> Path:
    path = folder / "red.jpg"
    Image.new("RGB", (64, 64), "red").save(path)
    return path


async def gym_with_bob(console: ConsoleSession) -> None:
    """Alice makes the public Gym in its chat, Bob joins, and Alice speaks next."""
    await console.say(":user Alice", ":chat group Gym", "/newgroup Gym")
    await console.say(":user Bob", "/join", ":user Alice")


async def test_a_monday_weekly_summary_tells_the_week_that_just_ended(
    console: ConsoleSession, tmp_path: Path
) -> None:
    """Summaries set for Monday morning used to arrive about the week just begun: 0 done,
    no proofs, no collage. They tell the week that ended the day before."""
    photo = red_jpeg(tmp_path)
    await console.say(":user Alice", "/newhabit Run", "/done run", "/summarytime mon 9")
    await console.say(":chat group Runners", "/newgroup Runners", "/summarytime mon 9")
    await console.say(f":photo {photo} run")
    await console.say(":time 2026-03-24T08:00", "/done run")
    assert "(message" not in await console.say(":time 2026-03-30T08:30")
    out = await console.say(":time 2026-03-30T09:01")
    assert out == (
        "(clock: Mon 2026-03-30 09:01 UTC)\n"
        "(message for alice)\n"
        + bot(
            "Your week · Mon 23 Mar to Sun 29 Mar",
            "• Run: 2/7 that week · streak 0 days · day 2 of 66",
            "",
            "Proofs",
            "• Runners: 1 proof",
            "",
            "Insights from people you trust",
            "None that week from the people you trust (/trusted). "
            "Add someone whose learnings you value: /trust @name.",
        )
        + "(message in group runners)\n"
        + bot(
            "Runners · week of Mon 23 Mar",
            "               proofs  check-ins  streak",
            "Alice               1        2/7       0",
            "1 proof that week from 1 member.",
        )
        + "(message in group runners)\n"
        + f"bot: [image {console.media_dir / '001-proofs-2026-03-23.jpg'}] "
        "Proofs · Runners · week of Mon 23 Mar\n"
    )
    # The board on demand is still this week's.
    out = await console.say("/board")
    assert "Runners · week of Mon 30 Mar" in out and "0 proofs this week" in out


async def test_a_sunday_weekly_summary_tells_the_week_under_way(
    console: ConsoleSession,
) -> None:
    await console.say(":user Alice", "/newhabit Run", "/done run")
    out = await console.say(":time 2026-03-29T18:01")
    assert "Your week · Mon 23 Mar to Sun 29 Mar" in out
    assert "• Run: 1/7 this week" in out and "None this week from" in out


async def test_kick_ban_and_unban_say_what_they_do_in_a_public_group(
    console: ConsoleSession,
) -> None:
    await gym_with_bob(console)
    # A public group takes anyone who sends /join: the kick must not promise otherwise.
    assert await console.say("/kick @bob") == bot(
        "Bob is no longer in Gym. It is public, so they can /join again; /ban keeps someone out."
    )
    await console.say(":user Bob")
    assert await console.say("/join") == bot("Welcome to Gym, Bob!")
    await console.say(":user Alice")
    assert await console.say("/ban @bob") == bot(
        "Bob is no longer in Gym and can't join again until an owner or admin sends /unban. "
        "The invite code changed."
    )
    code = (await console.say("/invite")).split("send /join ")[1].split()[0]
    # Banning again changes nothing: not the reply's news, not the invite code.
    assert await console.say("/ban @bob") == bot("Bob is already banned from Gym. Nothing changed.")
    assert code in await console.say("/invite")
    assert await console.say("/unban @bob") == bot("Bob may join Gym again.")
    await console.say(":user Bob")
    assert await console.say("/join") == bot("Welcome to Gym, Bob!")


async def test_kick_and_ban_in_a_private_group_speak_of_its_invite_code(
    console: ConsoleSession,
) -> None:
    await console.say(":user Alice", ":chat group Den", "/newgroup Den private")
    await console.say(":user Carol", "/help", ":user Alice")  # known to the bot, not a member
    assert await console.say("/ban @carol") == bot(
        "Carol can't join Den until an owner or admin sends /unban. The invite code changed."
    )
    assert await console.say("/ban @carol") == bot(
        "Carol is already banned from Den. Nothing changed."
    )
    assert await console.say("/unban @carol") == bot("Carol may join Den again, with a new invite.")
    code = (await console.say("/invite")).split("send /join ")[1].split()[0]
    await console.say(":user Bob", f"/join {code}", ":user Alice")
    assert await console.say("/kick @bob") == bot(
        "Bob is no longer in Den. The invite code changed, so older invites no longer work "
        "(/invite for the new one)."
    )


async def test_a_name_without_its_at_sign_gets_the_command_to_send(
    console: ConsoleSession,
) -> None:
    await gym_with_bob(console)
    assert await console.say("/promote bob") == bot(
        "Whom? Reply to their message with /promote, or send /promote @bob: a username starts "
        "with @."
    )
    await console.say(":chat dm")
    assert await console.say("/trust bob") == bot(
        "Whom? Reply to their message with /trust, or send /trust @bob: a username starts with @."
    )
    assert await console.say("/trusted") == bot(
        "Trust",
        "You don't trust anyone yet. Reply to someone's message with /trust, or send "
        "/trust @username.",
        "Nobody trusts you yet.",
        "The learnings of the people you trust show up in your weekly summary.",
    )


async def test_a_summary_time_with_minutes_is_refused_not_rounded(console: ConsoleSession) -> None:
    """`sun 18:30` used to be taken as 18:00 without a word; it changes nothing now."""
    await console.say(":user Alice", "/summarytime mon 9")
    assert await console.say("/summarytime sun 18:30") == bot(
        "Weekly summaries come on the hour: send /summarytime sun 18 or /summarytime sun 19."
    )
    assert await console.say("/summarytime") == bot(
        "Your weekly summary comes on Mon at 09:00 (UTC). Change it like /summarytime sun 18."
    )
    await console.say(":chat group Gym", "/newgroup Gym")
    assert await console.say("/summarytime sat 9.45am") == bot(
        "Weekly summaries come on the hour: send /summarytime sat 9 or /summarytime sat 10."
    )
    assert "comes on Sun at 18:00" in await console.say("/summarytime")
    assert await console.say("/summarytime sat 9") == bot(
        "The weekly summary of Gym now comes on Sat at 09:00 (UTC)."
    )


def colours(path: Path) -> set[str]:
    """The strong colours in a collage: 'red' and 'blue' for the photos these tests post."""
    found: set[str] = set()
    with Image.open(path) as im:
        data = im.convert("RGB").tobytes()
        for r, g, b in zip(data[0::3], data[1::3], data[2::3], strict=True):
            if r > 200 and g < 60 and b < 60:
                found.add("red")
            if b > 200 and r < 60 and g < 60:
                found.add("blue")
    return found


async def test_a_kicked_members_photos_leave_the_collage_with_them(
    console: ConsoleSession, tmp_path: Path
) -> None:
    """The board stopped counting a kicked member's proofs, but its collage kept showing them."""
    red = red_jpeg(tmp_path)
    blue = tmp_path / "blue.png"
    Image.new("RGB", (64, 64), "blue").save(blue)
    await console.say(":user Alice", ":chat group Gym", "/newgroup Gym", f":photo {red}")
    await console.say(":user Bob", "/join", f":photo {blue}", ":user Alice")
    out = await console.say("/board")
    assert "2 proofs this week from 2 members." in out
    assert colours(console.media_dir / "001-proofs-2026-03-23.jpg") == {"red", "blue"}
    await console.say("/kick @bob")
    out = await console.say("/board")
    assert "1 proof this week from 1 member." in out
    assert colours(console.media_dir / "002-proofs-2026-03-23.jpg") == {"red"}


async def test_a_groups_summary_time_is_in_the_zone_of_who_sets_it(
    console: ConsoleSession,
) -> None:
    """The group took its owner's zone at /newgroup, before she set hers, and kept UTC for good:
    '/summarytime sun 18' meant 18:00 UTC, with no way to say 18:00 in Berlin."""
    await console.say(":user Alice", ":chat group Gym", "/newgroup Gym")
    await console.say(":chat dm", "/timezone Europe/Berlin", ":chat group Gym")
    assert await console.say("/summarytime") == bot(
        "The weekly summary of Gym comes on Sun at 18:00 (UTC). The owner or an admin can "
        "change it, for example /summarytime sun 18 (an hour in their time zone)."
    )
    assert await console.say("/summarytime sun 18") == bot(
        "The weekly summary of Gym now comes on Sun at 18:00 (Europe/Berlin)."
    )
    await console.say("/learn Pack the bag the night before")  # a week with something in it
    assert "(message" not in await console.say(":time 2026-03-29T15:59")
    out = await console.say(":time 2026-03-29T16:01")  # 18:01 in Berlin, summer time
    assert "(message in group gym)\nbot: Gym · week of Mon 23 Mar" in out


async def test_trusting_someone_brings_their_learnings_in_a_weekly_summary_without_habits(
    console: ConsoleSession,
) -> None:
    """'/trust' promises the person's learnings in your weekly summary, but only people with
    habits got one: Carol, in a group for its learnings, never saw them."""
    await console.say(":user Bob", ":chat group Gym", "/newgroup Gym")
    await console.say(":user Carol", "/join", ":chat dm")
    assert "Bob's learnings will show up in your weekly summary" in await console.say("/trust @bob")
    await console.say(":user Dave", "/trust @bob", ":user Bob", ":chat group Gym")
    await console.say("/learn Shoes by the door")
    out = await console.say(":time 2026-03-29T18:01")
    assert out == (
        "(clock: Sun 2026-03-29 18:01 UTC)\n"
        "(message for carol)\n"
        + bot(
            "Your week · Mon 23 Mar to Sun 29 Mar",
            "No habits yet. Start one with /newhabit.",
            "",
            "Insights from people you trust",
            "• Shoes by the door — Bob, Gym",
        )
        + "(message for dave)\n"
        + bot(
            "Your week · Mon 23 Mar to Sun 29 Mar",
            "No habits yet. Start one with /newhabit.",
            "",
            "Insights from people you trust",
            "• Shoes by the door — Bob, Gym",
        )
        + "(message in group gym)\n"
        + bot(
            "Gym · week of Mon 23 Mar",
            "               proofs  check-ins  streak",
            "Bob                 0          –       0",
            "Carol               0          –       0",
            "0 proofs this week from 2 members.",
        )
    )
    # A quiet week tells them nothing, so nothing comes: nor to the group, where nobody did
    # anything (its summary used to be the same board of zeros every week).
    out = await console.say(":time 2026-04-05T18:01")
    assert "(message for" not in out and "(message in group gym)" not in out


async def test_a_learning_posted_after_sundays_summary_is_in_the_next_one(
    console: ConsoleSession,
) -> None:
    """Insights were the calendar week's learnings, and the summary goes out on Sunday at
    18:00: a learning shared on Sunday evening fell between two summaries and reached none."""
    await console.say(":user Bob", ":chat group Gym", "/newgroup Gym")
    await console.say(":user Carol", "/newhabit Read", ":chat dm", "/trust @bob")
    await console.say(":user Bob", ":chat group Gym", "/learn Before the summary")
    out = await console.say(":time 2026-03-29T18:00")
    assert "• Before the summary — Bob, Gym" in out
    await console.say(":time 2026-03-29T20:00", "/learn Sunday evening review")
    await console.say(":time 2026-04-02T12:00", "/learn Midweek")
    out = await console.say(":time 2026-04-05T18:00")
    carol = out.split("(message for carol)\n")[1].split("(message")[0]
    assert "• Midweek — Bob, Gym\n" in carol
    assert "• Sunday evening review — Bob, Gym\n" in carol
    assert "Before the summary" not in carol
    # /summary on demand still tells the calendar week.
    await console.say(":user Carol", ":chat dm")
    out = await console.say("/summary")
    assert "Midweek" in out and "Sunday evening review" not in out


async def test_start_in_a_group_chat_says_whether_it_has_a_group_and_how_to_take_part(
    console: ConsoleSession,
) -> None:
    """/start in a chat without a group claimed 'I keep this chat's accountability group'."""
    await console.say(":user Alice", ":chat group Den")
    assert await console.say("/start") == bot(
        "Hi Alice! This chat has no accountability group yet. Make one with /newgroup NAME, "
        "then everyone sends /join. Send /help to see the group commands."
    )
    await console.say("/newgroup Den private")
    assert await console.say("/start") == bot(
        "Hi Alice! This chat's accountability group is Den, and you are in it. Send /help to "
        "see the group commands."
    )
    await console.say(":user Bob")
    assert await console.say("/start") == bot(
        "Hi Bob! This chat's accountability group is Den. It is private: ask a member for an "
        "invite, then send /join CODE. Send /help to see the group commands."
    )
    await console.say(":chat group Gym", ":user Carol", "/newgroup Gym", ":user Bob")
    assert await console.say("/start") == bot(
        "Hi Bob! This chat's accountability group is Gym. Send /join to take part. Send /help "
        "to see the group commands."
    )


async def test_a_number_leading_a_photos_caption_is_not_a_habit_number(
    console: ConsoleSession, tmp_path: Path
) -> None:
    """'2 hours of focus' under a photo checked in habit number 2 of /habits, a list nobody
    sees in the group."""
    photo = red_jpeg(tmp_path)
    await console.say(":user Alice", "/newhabit Read", "/newhabit Gym", "/newhabit 10000")
    await console.say(":chat group Gym", "/newgroup Gym")
    assert await console.say(f":photo {photo} 2 hours of focus today") == bot(
        "Proof saved, Alice! That's 1 proof this week in Gym."
    )
    assert "0 of 3 done." in await console.say(":chat dm", "/habits")
    await console.say(":chat group Gym")
    # A habit named by its title, /proof with a number, and a habit called "10000" still count.
    assert await console.say(f":photo {photo} gym 45 minutes") == bot(
        "Proof saved, Alice! That's 2 proofs this week in Gym. Gym is checked in for today."
    )
    assert await console.say(f":photo {photo} /proof 1 chapter two") == bot(
        "Proof saved, Alice! That's 3 proofs this week in Gym. Read (number 1 in /habits) is "
        "checked in for today, with the note “chapter two”."
    )
    assert await console.say(f":photo {photo} 10000 steps") == bot(
        "Proof saved, Alice! That's 4 proofs this week in Gym. 10000 is checked in for today."
    )


async def test_a_proof_naming_several_habits_says_none_was_checked_in(
    console: ConsoleSession, tmp_path: Path
) -> None:
    """'/proof read' with Read news and Read books saved the proof with the note "read" and
    checked nothing in, without a word."""
    photo = red_jpeg(tmp_path)
    await console.say(":user Alice", "/newhabit Read news", "/newhabit Read books")
    await console.say("/newhabit Walk the dog", "/newhabit Clean the flat")
    await console.say(":chat group Gym", "/newgroup Gym")
    assert await console.say(f":photo {photo} /proof read chapter 3") == bot(
        "Proof saved, Alice! That's 1 proof this week in Gym. “read” fits Read news and Read "
        "books, so no habit was checked in: /done one of them."
    )
    assert "fits Read news and Read books" in await console.say(f":photo {photo} read")
    # A plain caption of several words is a note: "the" names no habit here.
    assert await console.say(f":photo {photo} the best day") == bot(
        "Proof saved, Alice! That's 3 proofs this week in Gym."
    )
    assert "Read books is checked in" in await console.say(f":photo {photo} /proof read books")


async def test_a_private_groups_summary_time_is_for_its_members(console: ConsoleSession) -> None:
    await console.say(":user Alice", ":chat group Den", "/newgroup Den private")
    assert "The weekly summary of Den comes on" in await console.say("/summarytime")
    await console.say(":user Bob")
    assert await console.say("/summarytime") == bot(
        "Den is private: only its members can see that. To take part, ask a member for an "
        "invite and send /join CODE."
    )
