"""Counts read as English: one helper, and no hedged "(s)" left in the bot's messages."""

from __future__ import annotations

import datetime as dt
import re
import tokenize
from pathlib import Path

from bot.ui.text import plain
from bot.wording import plural

ROOT = Path(__file__).resolve().parent.parent


def test_plural_agrees_with_the_count():
    assert plural(1, "day") == "1 day"
    assert plural(3, "day") == "3 days"
    assert plural(0, "question") == "0 questions"
    assert plural(2, "person") == "2 people"
    assert plural(2, "series") == "2 series"
    assert plural(2, "match") == "2 matches" and plural(2, "city") == "2 cities"
    assert plural(2, "malformed row") == "2 malformed rows"
    assert plural(12_500, "title") == "12,500 titles"
    assert plural(2, "datum", "data") == "2 data"


def test_no_text_in_the_bot_hedges_a_count_with_a_bracketed_s():
    """Strings and comments only: `sentences.append(s)` is code, "day(s)" is not."""
    hedged = re.compile(r"[A-Za-z]\(s\)")
    found = []
    for folder in ("bot", "cogs"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            with path.open("rb") as source:
                for token in tokenize.tokenize(source.readline):
                    if token.type in (tokenize.STRING, tokenize.COMMENT) and hedged.search(
                        token.string
                    ):
                        found.append(f"{path.relative_to(ROOT)}:{token.start[0]}")
    assert not found, found


def test_the_console_counts_days_in_words_that_agree():
    tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    yesterday = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    assert plain(f"<t:{int(tomorrow.timestamp())}:R>") == "in 1 day"
    assert plain(f"<t:{int(yesterday.timestamp())}:R>") == "1 day ago"
