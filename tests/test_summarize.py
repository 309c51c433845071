"""Sentence splitting and extractive summaries."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.news.summarize import quotes_balanced, split_sentences, summarize
from tests.news_fixtures import all_articles, fixture, load

_WS = re.compile(r"\s+")


def norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


def summary_sentences(summary: str, body: str) -> list[str]:
    """The summary as a subsequence of the body's own sentences, joined by spaces."""
    sentences = split_sentences(body)

    def walk(i: int, pos: int) -> list[str] | None:
        if pos == len(summary):
            return []
        for k in range(i, len(sentences)):
            s = sentences[k]
            end = pos + len(s)
            if summary.startswith(s, pos) and (end == len(summary) or summary[end] == " "):
                rest = walk(k + 1, end + 1 if end < len(summary) else end)
                if rest is not None:
                    return [s, *rest]
        return None

    picked = walk(0, 0)
    assert picked is not None, "summary is not whole sentences of the body, in order"
    return picked


# --- split_sentences -------------------------------------------------------------


def test_split_keeps_quotes_whole() -> None:
    body = '"First line. Second line!" she said. Then it ended.'
    assert split_sentences(body) == ['"First line. Second line!" she said.', "Then it ended."]


def test_split_abbreviations_and_initials() -> None:
    body = "Warner Bros. Pictures hired J. J. Abrams and Dr. Ruth Lee. The U.S. release is set."
    assert split_sentences(body) == [
        "Warner Bros. Pictures hired J. J. Abrams and Dr. Ruth Lee.",
        "The U.S. release is set.",
    ]


def test_split_paragraphs_and_unclosed_quote() -> None:
    body = 'He said, "It starts here. And goes on.\n\n"It ends here," he added.'
    sentences = split_sentences(body)
    assert sentences[-1] == '"It ends here," he added.'
    assert not all(quotes_balanced(s) for s in sentences)


def test_split_lowercase_after_period_is_not_a_boundary() -> None:
    assert split_sentences("It was nearly ... a title. Then more.") == [
        "It was nearly ... a title.",
        "Then more.",
    ]


def test_split_html_and_empty() -> None:
    assert split_sentences("") == []
    assert split_sentences("<p>One.</p><p>Two &amp; three.</p>") == ["One.", "Two & three."]


# --- summaries on the articles ------------------------------------------------------


@pytest.mark.parametrize("path", all_articles(), ids=lambda p: p.name)
def test_summary_shape_on_every_article(path) -> None:  # type: ignore[no-untyped-def]
    _, body = load(path)
    summary = summarize(body)
    assert 0 < len(summary) <= 600
    picked = summary_sentences(summary, body)
    assert 2 <= len(picked) <= 4
    for s in picked:
        assert s in norm(body)  # verbatim, modulo white space
        assert quotes_balanced(s)


def test_summary_prefers_news_over_a_weak_lead() -> None:
    _, body = fixture("105_weak_lead.txt")
    summary = summarize(body)
    sentences = split_sentences(body)
    assert sentences[4] in summary  # the Warner Bros. announcement, fifth sentence
    assert "watch the teaser below" not in summary
    picked = summary_sentences(summary, body)
    assert picked != sentences[: len(picked)]  # not simply the lead


def test_summary_seed_starts_with_the_lead() -> None:
    _, body = load(all_articles()[0])
    summary = summarize(body)
    assert summary.startswith("Paramount Pictures has released a featurette")
    assert "You can see the full featurette below." not in summary


def test_summary_small_budget_picks_fewer_sentences() -> None:
    _, body = fixture("102_release_move.txt")
    summary = summarize(body, max_chars=250)
    assert len(summary) <= 250
    summary_sentences(summary, body)


def test_summary_longer_than_budget_sentence_is_trimmed_not_exceeded() -> None:
    body = "Word " * 300 + "ends here."
    summary = summarize(body, max_chars=100)
    assert len(summary) <= 100
    assert summary.endswith("…")


def test_summary_never_cuts_a_quote() -> None:
    body = 'Short lead sentence here. "' + "quoted words " * 80 + '," she said.'
    summary = summarize(body, max_chars=120)
    assert len(summary) <= 120
    assert quotes_balanced(summary)


def test_summary_degenerate() -> None:
    assert summarize("") == ""
    assert summarize("Only one sentence here.") == "Only one sentence here."
    assert summarize("x", max_chars=0) == ""
    assert summarize("lowercase text without any punctuation at all")


# --- properties ----------------------------------------------------------------------

_word = st.text(alphabet="abcdefgXYZ", min_size=1, max_size=8)
_sentence = st.builds(
    lambda first, rest, end: " ".join([first.capitalize(), *rest]) + end,
    _word,
    st.lists(_word, max_size=12),
    st.sampled_from([".", "!", "?", '."', "."]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_sentence, min_size=1, max_size=20), st.integers(min_value=150, max_value=900))
def test_property_short_sentences(sentences: list[str], budget: int) -> None:
    body = " ".join(sentences)
    summary = summarize(body, max_chars=budget)
    assert len(summary) <= budget
    if summary.endswith("…"):  # no whole sentence fits: the best one, cut at a word
        assert any(s.startswith(summary[:-1]) for s in split_sentences(body))
    elif summary:
        summary_sentences(summary, body)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000), st.integers(min_value=0, max_value=700))
def test_property_any_text_never_raises_nor_exceeds(body: str, budget: int) -> None:
    summary = summarize(body, max_chars=budget)
    assert len(summary) <= budget
    split_sentences(body)


def test_one_megabyte_summary() -> None:
    _, body = load(all_articles()[0])
    big = "\n\n".join([body] * 200)
    summary = summarize(big)
    assert 0 < len(summary) <= 600
