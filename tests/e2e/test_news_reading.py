"""How news reads in Discord: headings, sources, and a search that forgives typos."""

from __future__ import annotations

import datetime as dt

from bot.news.article import ArticleText
from bot.news.ingest import ingest_article
from bot.sandbox.harness import Sandbox

SEED_FILM = "Mission: Impossible – Dead Reckoning Part One"
SEED_FIRST = "Paramount Pictures has released a featurette going behind the scenes of"


async def test_digest_items_are_headed_by_headline_or_film_and_name_no_file(sandbox: Sandbox):
    body = (
        "A small distributor picked up the rights to a documentary about lighthouse keepers "
        "on Tuesday. It plans a spring release in a handful of cities before a wider run."
    )
    await ingest_article(sandbox.store, ArticleText(dt.date(2026, 11, 24), body),
                         source="article.txt")  # fmt: skip
    await ingest_article(
        sandbox.store,
        ArticleText(dt.date(2026, 11, 23), "The studio moved the release of its heist "
                    "film to the spring, citing a busy winter.", "Heist film moves to spring"),
        source="Reel Daily", url="https://reel.example/heist",
        headline="Heist film moves to spring",
    )  # fmt: skip
    latest = await sandbox.slash("news latest", count=3)
    fields = latest.embed["fields"]
    names = [f["name"] for f in fields]
    assert names == [
        "A small distributor picked up the rights to a documentary about lighthouse keepers "
        "on Tuesday.",
        "Heist film moves to spring",
        SEED_FILM,
    ]
    everything = str(latest.embed)
    assert ".txt" not in everything and "000_" not in everything
    for field in fields:  # the heading is not repeated as the item's first sentence
        assert not field["value"].startswith(field["name"][:40])
    seed_value = fields[2]["value"]
    assert seed_value.count(SEED_FIRST) == 1
    assert "Reel Daily · [link](https://reel.example/heist)" in fields[1]["value"]
    # the seed article has neither a source nor a link: its date alone, and its film above
    assert "\n2022-12-19\n" in seed_value + "\n"

    read = await sandbox.slash("news search", query="featurette")
    assert read.embed["title"] == SEED_FILM
    published = {f["name"]: f["value"] for f in read.embed["fields"]}["Published"]
    assert published == "2022-12-19"


async def test_news_search_forgives_plurals_and_typos_and_never_errors(sandbox: Sandbox):
    for query in ("stunts", "mcquarie", "McQuarrie's stunts", "Cruise helicopter",
                  "motorcycles cliff", "paramount featurete"):  # fmt: skip
        reply = await sandbox.slash("news search", query=query)
        assert not reply.ephemeral, (query, reply.text)
        assert reply.embed["title"] == SEED_FILM, query
    for query in ('"unbalanced', "NEAR(a b", "*", "-(", "AND OR NOT", "title:stunt",
                  "stunt*", "^stunt", "'", "\\", "_", "{a b}", "a + b", "x OR", "ö"):  # fmt: skip
        reply = await sandbox.slash("news search", query=query)
        if reply.ephemeral:
            assert reply.content.startswith("No articles match"), (query, reply.content)
        else:
            assert reply.embed["title"] == SEED_FILM, query
    missing = await sandbox.slash("news search", query="zzzqqq")
    assert missing.ephemeral and missing.content == "No articles match 'zzzqqq'."
