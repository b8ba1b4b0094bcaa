"""Finding a habit by what a person typed (core/habits/matching.py)."""

from __future__ import annotations

from core.habits.matching import TitleMatch, fold, match_title

TITLES = ["Drink water", "Water plants", "Read 10 pages", "Café crème", "Bread baking"]


def test_fold_ignores_case_accents_and_spacing() -> None:
    assert fold("  Café   CRÈME ") == "cafe creme"
    assert fold("Ǆemal Ñu") == fold("dzemal nu")


def test_the_number_from_habits() -> None:
    assert match_title("2", TITLES) == TitleMatch(found=1)
    assert match_title("6", TITLES) == TitleMatch(number_out_of_range=True)
    assert match_title("0", TITLES) == TitleMatch(number_out_of_range=True)


def test_the_whole_title_wins_over_words_of_others() -> None:
    assert match_title("read 10 PAGES", TITLES).found == 2
    assert match_title("Water", ["Water", "Drink water"]).found == 0


def test_a_unique_beginning_or_word_anywhere() -> None:
    assert match_title("read", TITLES).found == 2  # not "Bread": no word there begins so
    assert match_title("plants", TITLES).found == 1
    assert match_title("pag", TITLES).found == 2
    assert match_title("cafe", TITLES).found == 3  # accents do not matter
    assert match_title("CRÉME", TITLES).found == 3
    assert match_title("drink wa", TITLES).found == 0


def test_a_part_of_a_word_when_no_word_begins_so() -> None:
    assert match_title("akin", TITLES).found == 4  # b-akin-g
    assert match_title("ages", TITLES).found == 2
    inside = match_title("in", TITLES)  # too short to mean one word it is inside of
    assert inside.found is None and not inside.ambiguous


def test_several_matches_are_ambiguous() -> None:
    assert match_title("water", TITLES) == TitleMatch(ambiguous=[0, 1])
    assert match_title("rea", TITLES) == TitleMatch(found=2)  # "Bread" only has it inside
    assert match_title("ead", TITLES) == TitleMatch(ambiguous=[2, 4])


def test_nothing_matches_gives_the_closest_titles() -> None:
    assert match_title("drnk watr", TITLES).suggestions == [0]
    assert match_title("water plants daily", TITLES).suggestions == [1]
    assert match_title("guitar", TITLES) == TitleMatch()
    assert match_title("   ", TITLES) == TitleMatch()


def test_a_long_reference_is_looked_at_word_by_word_once() -> None:
    """The words but the last (or first) one or two are tried by name only: tried with their
    own closest titles in turn, 30 words took about 4^30 look-ups (a photo caption of 40 words
    held a bot's test for minutes, until pytest-timeout)."""
    words = "yesterday I went out for a long and slow morning run by the river with friends " * 2
    assert match_title(words.strip(), TITLES) == TitleMatch()
    assert match_title("yesterday drink water", TITLES).suggestions == [0]
    assert match_title("baking 3/3", TITLES).suggestions == [4]
