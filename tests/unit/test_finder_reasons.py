"""The offline finder's reasons name the person's own words and the part of the tool they met,
so two people with different problems get different sentences for the same tool."""

from __future__ import annotations

from bench.bench_finder import seed_tools
from core.db.models import Tool
from core.finder.ranker import OfflineRanker
from core.finder.reasons import reason
from core.finder.service import first_sentence


def why(ranker: OfflineRanker, tool: Tool, text: str) -> str:
    return reason(ranker.explain(text, tool), tool, first_sentence(tool.description))


def tools_by_slug() -> tuple[OfflineRanker, dict[str, Tool]]:
    tools = seed_tools()
    return OfflineRanker(tools), {t.slug: t for t in tools}


def test_a_problem_phrase_is_quoted_with_the_words_that_met_it() -> None:
    ranker, tools = tools_by_slug()
    text = "I keep skipping the gym after work"
    match = ranker.explain(text, tools["environment-design"])
    assert match.field == "problem"
    assert match.words == ("skipping", "gym", "after", "work")  # as written, in their order
    assert match.phrase in tools["environment-design"].problems
    assert why(ranker, tools["environment-design"], text) == (
        "You wrote “skipping”, “gym”, “after” and “work”, which match what it is for: "
        f"“{match.phrase}”."
    )


def test_keywords_are_named_when_they_meet_more_of_the_words() -> None:
    ranker, tools = tools_by_slug()
    match = ranker.explain("I bite my nails when I'm nervous", tools["competing-response"])
    assert match.field == "keywords"
    assert set(match.words) == {"bite", "nails", "nervous"}
    assert why(ranker, tools["competing-response"], "I bite my nails when I'm nervous").startswith(
        "You wrote “bite”, “nails” and “nervous”, which match what it works on: "
    )


def test_the_same_tool_gets_a_different_reason_for_a_different_problem() -> None:
    ranker, tools = tools_by_slug()
    phone = tools["phone-out-of-sight"]
    first = why(ranker, phone, "my phone keeps distracting me while I study")
    second = why(ranker, phone, "I scroll in bed until 2am")
    assert first != second
    assert "“phone”" in first and "“phone”" not in second
    assert "“scroll”" in second or "“bed”" in second


def test_every_suggestion_on_the_evaluation_set_cites_a_word_of_the_problem() -> None:
    from bench.bench_finder import load_cases

    ranker, tools = tools_by_slug()
    by_id = {t.id: t for t in tools.values()}
    for case in load_cases():
        for ranked in ranker.rank(case.problem, 3):
            if ranked.score == 0:
                continue  # a general starting point, said as such
            match = ranker.explain(case.problem, by_id[ranked.tool_id])
            assert match.words, (case.problem, by_id[ranked.tool_id].slug)
            assert all(w in case.problem.lower().replace("'", "") for w in match.words)


def test_no_matching_word_says_so() -> None:
    ranker, tools = tools_by_slug()
    tool = tools["two-minute-version"]
    assert ranker.explain("zzzz qqqq", tool).field is None
    assert why(ranker, tool, "zzzz qqqq").startswith(
        "None of your words point to this one; it is a good general start: Shrink the habit"
    )
