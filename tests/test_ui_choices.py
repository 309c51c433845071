"""matching_choices: the one filter behind the feed, reminder and pack autocompletes."""

from __future__ import annotations

from bot.ui import limits
from bot.ui.autocomplete import matching_choices


def test_typed_text_filters_case_insensitively_on_the_searched_text():
    feeds = [(1, "Screen Wire", "https://screenwire.example/rss"), (2, None, "https://x.example/a")]
    choices = matching_choices(
        feeds,
        "  SCREENWIRE ",
        name=lambda f: f"{f[0]} · {f[1] or f[2]}",
        value=lambda f: str(f[0]),
        text=lambda f: f"{f[1] or ''} {f[2]}",
    )
    assert [(c.name, c.value) for c in choices] == [("1 · Screen Wire", "1")]
    everything = matching_choices(feeds, "", name=lambda f: f[2], value=lambda f: str(f[0]))
    assert [c.value for c in everything] == ["1", "2"]


def test_names_are_clipped_and_at_most_25_choices():
    names = [f"pack-{n:02d}-" + "x" * 200 for n in range(40)]
    choices = matching_choices(names, "pack", name=str, value=lambda n: n[:7])
    assert len(choices) == limits.CHOICES == 25
    assert all(len(c.name) <= limits.CHOICE_NAME for c in choices)
    assert choices[0].value == "pack-00"
    assert matching_choices(names, "no such pack", name=str, value=str) == []
