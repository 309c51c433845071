"""/movie info|cast|releases, /person info, /upcoming and their autocomplete, end to end:
the real bot and discord.py client against the emulator, on a real seeded SQLite store
plus a catalog written through CatalogRepository."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from bot.catalog.lookups import choice_value
from bot.sandbox.harness import Sandbox
from bot.ui import paginator
from tests.lookup_catalog import ENSEMBLE_SIZE, Ids, build_catalog


@pytest.fixture
async def ids(sandbox: Sandbox) -> Ids:
    return await build_catalog(sandbox.store, dt.datetime.now(dt.UTC).date())


def fields(reply) -> dict[str, str]:
    return {f["name"]: f["value"] for f in reply.embed["fields"]}


async def test_movie_info_from_a_picked_choice(sandbox: Sandbox, ids: Ids) -> None:
    choices = await sandbox.autocomplete("movie info", "title", "dead reckoning")
    assert choices[0]["value"] == choice_value("title", ids.dead_reckoning)
    reply = await sandbox.slash("movie info", title=choices[0]["value"])
    assert not reply.ephemeral
    embed = reply.embed
    assert embed["title"] == "Mission: Impossible – Dead Reckoning Part One"
    info = fields(reply)
    assert info["Studios"] == "Paramount Pictures\nSkydance"
    assert info["Director"] == "Christopher McQuarrie"
    assert info["Top-billed cast"].startswith("**Tom Cruise** as Ethan Hunt")
    assert "Theatrical · US: <t:1689163200:D> (<t:1689163200:R>)" in info["Release dates"]
    assert "Digital · US: October 2023" in info["Release dates"]
    assert "(as of 2022-12-19, article)" in embed["description"]
    assert embed["footer"]["text"] == "Sources: article 2022-12-19"


async def test_movie_info_from_typed_text_with_a_typo(sandbox: Sandbox, ids: Ids) -> None:
    reply = await sandbox.slash("movie info", title="mision impossible dead reckoning part 1")
    assert reply.embed["title"].startswith("Mission: Impossible – Dead Reckoning")


async def test_unknown_title_is_an_ephemeral_answer_with_suggestions(
    sandbox: Sandbox, ids: Ids
) -> None:
    reply = await sandbox.slash("movie info", title="Zzyzx Qwerty")
    assert reply.ephemeral
    assert reply.content == "No film matches 'Zzyzx Qwerty'."
    reply = await sandbox.slash("movie cast", title="Impossible Zzyzx")
    assert reply.ephemeral
    assert reply.content.startswith("No film matches 'Impossible Zzyzx'. Did you mean: ")
    assert "Mission: Impossible – Fallout (2018)" in reply.content
    marked = await sandbox.slash("movie info", title="**Zzyzx** @everyone <@1>")
    assert marked.content.startswith("No film matches '\\*\\*Zzyzx\\*\\* @\u200beveryone <@1\\>'.")
    huge = await sandbox.slash("movie info", title="q" * 6000)
    assert huge.ephemeral and huge.content.startswith("No film matches 'qqq")


async def test_cast_of_sixty_pages_only_for_the_asker(sandbox: Sandbox, ids: Ids) -> None:
    reply = await sandbox.slash("movie cast", title=choice_value("title", ids.ensemble))
    msg = reply.message
    assert msg.buttons == ["Previous", "1 / 4", "Next"]
    assert msg.find("Previous")["disabled"] and msg.find("1 / 4")["disabled"]
    assert msg.embed["description"].splitlines()[0] == "1. **Ensemble Player 01** as Role 01"

    other = await sandbox.click(msg, "Next", user=sandbox.admin)
    assert other.ephemeral and other.content == paginator.NOT_YOURS
    assert msg.embed["description"].startswith("1. ")  # nothing moved

    seen = [msg.embed["description"]]
    for page in range(2, 5):
        await sandbox.click(msg, "Next", user=sandbox.member)
        assert msg.buttons[1] == f"{page} / 4"
        seen.append(msg.embed["description"])
    assert msg.find("Next").get("disabled") is True
    numbers = [line.split(". ", 1)[0] for page in seen for line in page.splitlines()]
    assert numbers == [str(n) for n in range(1, ENSEMBLE_SIZE + 1)]
    assert "— known for Film 60" in seen[-1]
    await sandbox.click(msg, "Previous", user=sandbox.member)
    assert msg.buttons[1] == "3 / 4" and msg.embed["description"].startswith("31. ")


async def test_cast_buttons_disable_on_timeout(
    sandbox: Sandbox, ids: Ids, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paginator, "DEFAULT_TIMEOUT", 0.3)
    reply = await sandbox.slash("movie cast", title="grand ensemble")
    msg = reply.message
    assert not msg.find("Next").get("disabled")
    for _ in range(100):
        if all(b.get("disabled") for b in msg.items()):
            break
        await asyncio.sleep(0.05)
    assert all(b.get("disabled") for b in msg.items())
    assert msg.buttons == ["Previous", "1 / 4", "Next"]


async def test_short_cast_has_no_buttons(sandbox: Sandbox, ids: Ids) -> None:
    reply = await sandbox.slash("movie cast", title="fallout")
    assert reply.buttons == []
    assert reply.embed["description"] == "1. **Tom Cruise**"


async def test_markdown_and_mentions_are_escaped(sandbox: Sandbox, ids: Ids) -> None:
    reply = await sandbox.slash("movie cast", title=choice_value("title", ids.markdown))
    embed = reply.embed
    assert (
        embed["title"] == "Cast of \\*\\*Bold\\*\\* \\_Movie\\_ \\| \\~Strike\\~ \\`code\\` (2020)"
    )
    line = embed["description"]
    assert "**Ann \\*Star\\* O\\_Neil @\u200beveryone**" in line
    assert "@everyone" not in line and "<@123>" not in line
    assert reply.message.raw.get("mentions") in (None, [])
    person = await sandbox.slash("person info", name="ann star o neil")
    assert person.embed["title"] == "Ann \\*Star\\* O\\_Neil @\u200beveryone"


async def test_releases_per_region_and_not_announced(sandbox: Sandbox, ids: Ids) -> None:
    reply = await sandbox.slash("movie releases", title=choice_value("title", ids.dead_reckoning))
    got = fields(reply)
    assert got["US"] == (
        "Theatrical: <t:1689163200:D> (<t:1689163200:R>) — article 2022-12-19\n"
        "Digital: October 2023 — article 2022-12-19"
    )
    assert got["IT"] == "Premiere: <t:1688990400:D> (<t:1688990400:R>) — article 2022-12-19"
    only_us = await sandbox.slash(
        "movie releases", title=choice_value("title", ids.dead_reckoning), region="us"
    )
    assert list(fields(only_us)) == ["US"]
    by_name = await sandbox.slash(
        "movie releases", title=choice_value("title", ids.dead_reckoning), region="united states"
    )
    assert list(fields(by_name)) == ["US"]
    year_only = await sandbox.slash("movie releases", title="mission impossible fallout")
    assert fields(year_only) == {"Region not stated": "Theatrical: 2018 — IMDb"}
    none = await sandbox.slash("movie releases", title="a quiet film without dates")
    assert none.embed["description"] == "Not announced as of 2022-12-19 (article)."
    info = await sandbox.slash("movie info", title="a quiet film without dates")
    assert fields(info)["Release dates"] == "Not announced as of 2022-12-19 (article)."
    bad = await sandbox.slash("movie releases", title="fallout", region="XX")
    assert bad.ephemeral and bad.content.startswith("'XX' is not a country I know")


async def test_person_info_with_typos(sandbox: Sandbox, ids: Ids) -> None:
    reply = await sandbox.slash("person info", name="Rebeca Fergusen")
    assert reply.embed["title"] == "Rebecca Ferguson"
    got = fields(reply)
    assert got["Known for"] == "Dune"
    assert got["Credits in the store"] == (
        "Mission: Impossible – Dead Reckoning Part One — actor (Ilsa Faust)"
    )
    assert reply.embed["footer"]["text"] == "Sources: article 2022-12-19"
    unknown = await sandbox.slash("person info", name="Nobody Atall")
    assert unknown.ephemeral and unknown.content == "No person matches 'Nobody Atall'."


async def test_upcoming_soonest_first_with_region_and_window(sandbox: Sandbox, ids: Ids) -> None:
    reply = await sandbox.slash("upcoming")
    lines = reply.embed["description"].splitlines()
    assert len(lines) == 1 and "**Coming Soon Picture" in lines[0]
    assert lines[0].endswith("— theatrical, US")
    wide = await sandbox.slash("upcoming", days=60)
    titles = [line.split("**")[1] for line in wide.embed["description"].splitlines()]
    assert titles[:2] == [f"Coming Soon Picture ({dt.date.today().year})",
                          f"Later Feature ({dt.date.today().year})"]  # fmt: skip
    gb = await sandbox.slash("upcoming", region="GB", days=60)
    assert gb.embed["title"] == "Releases in the next 60 days in GB"
    assert "Later Feature" in gb.embed["description"]
    assert "Coming Soon" not in gb.embed["description"]
    empty = await sandbox.slash("upcoming", region="JP", days=5)
    assert "Nothing the store knows of" in empty.embed["description"]


async def test_autocomplete_empty_typo_and_fts_syntax(sandbox: Sandbox, ids: Ids) -> None:
    empty = await sandbox.autocomplete("movie info", "title", "")
    values = [c["value"] for c in empty]
    assert set(values[:2]) == {  # the two films in the news (both 2022-12-19)
        choice_value("title", ids.dead_reckoning),
        choice_value("title", ids.poets),
    }
    assert values[2] == choice_value("title", ids.soon)  # then the soonest upcoming
    typo = await sandbox.autocomplete("movie releases", "title", "Mision Imposible")
    assert typo[0]["value"] == choice_value("title", ids.dead_reckoning)
    for text in ['"dead*', "NEAR(", "-cruise", "x" * 6000]:
        choices = await sandbox.autocomplete("movie cast", "title", text)
        assert all(len(c["name"]) <= 100 for c in choices)
    dead = await sandbox.autocomplete("movie cast", "title", '"dead*')
    assert {c["value"] for c in dead[:2]} == {  # "Dead Reckoning" is an alias of the first
        choice_value("title", ids.dead_reckoning),
        choice_value("title", ids.poets),
    }
    people = await sandbox.autocomplete("person info", "name", "-cruise")
    assert people[0] == {"name": "Tom Cruise", "value": choice_value("person", ids.cruise)}
    many = await sandbox.autocomplete("person info", "name", "ensemble")
    assert len(many) == 25
