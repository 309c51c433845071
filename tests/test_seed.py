"""What the seed article must put in the store (issue 2's "must show")."""

from __future__ import annotations

import pytest

from bot.catalog.repository import CatalogRepository
from bot.news.ingest import seed_from_dir
from bot.news.repository import NewsRepository
from tests.conftest import SEED_DIR

FILM = "Mission: Impossible – Dead Reckoning Part One"
CAST = {
    "Tom Cruise", "Ving Rhames", "Simon Pegg", "Rebecca Ferguson", "Henry Czerny",
    "Vanessa Kirby", "Hayley Atwell", "Pom Klementieff", "Rob Delaney", "Charles Parnell",
    "Indira Varma", "Mark Gatiss",
}  # fmt: skip
KNOWN_FOR = {
    "Hayley Atwell": "Agent Carter",
    "Pom Klementieff": "Guardians of the Galaxy",
    "Rob Delaney": "Deadpool 2",
    "Charles Parnell": "Top Gun: Maverick",
    "Indira Varma": "Game of Thrones",
    "Mark Gatiss": "Sherlock",
}
NOT_PEOPLE = [
    "Light the Fuse",
    "CinemaCon",
    "Ghost Protocol",
    "Paramount Pictures",
    "Dead Reckoning",
]


@pytest.fixture
async def seeded(store):
    results = await seed_from_dir(store, SEED_DIR)
    assert [r.created for r in results] == [True]
    return store


async def test_film_director_studio_and_date(seeded):
    catalog = CatalogRepository(seeded)
    title_id = await catalog.find_title_id(FILM)
    assert title_id is not None
    title = await catalog.get_title(title_id)
    assert title.title == FILM
    directors = await catalog.credits_for_title(title_id, "director")
    assert [d.name for d in directors] == ["Christopher McQuarrie"]
    assert [c.name for c in await catalog.companies_for_title(title_id)] == ["Paramount Pictures"]
    (article,) = await NewsRepository(seeded).latest(5)
    assert article.published == "2022-12-19"
    assert directors[0].as_of == "2022-12-19"
    assert directors[0].source == f"article:{article.id}"


async def test_exactly_the_twelve_cast_with_known_for(seeded):
    catalog = CatalogRepository(seeded)
    title_id = await catalog.find_title_id(FILM)
    cast = await catalog.credits_for_title(title_id, "actor")
    assert {c.name for c in cast} == CAST
    assert len(cast) == 12
    assert cast[0].name == "Tom Cruise"  # the star is billed first
    got = {c.name: c.known_for for c in cast if c.known_for}
    assert got == KNOWN_FOR
    returning = {c.name for c in cast if c.status == "returning"}
    new = {c.name for c in cast if c.status == "new"}
    assert {"Ving Rhames", "Simon Pegg", "Rebecca Ferguson"} <= returning
    assert set(KNOWN_FOR) <= new


async def test_names_resolve_to_one_person(seeded):
    catalog = CatalogRepository(seeded)
    mcq = await catalog.find_person_id("Christopher McQuarrie")
    assert mcq is not None
    assert await catalog.find_person_id("Chris McQuarrie") == mcq
    people = await seeded.fetchall("SELECT name FROM people")
    names = [r[0] for r in people]
    assert names.count("Christopher McQuarrie") == 1
    assert "Chris McQuarrie" not in names and "McQuarrie" not in names and "Cruise" not in names
    assert len(names) == 13  # 12 cast + the director


@pytest.mark.parametrize("name", NOT_PEOPLE)
async def test_no_false_people(seeded, name):
    assert await CatalogRepository(seeded).find_person_id(name) is None


async def test_summary_and_mentions(seeded):
    news = NewsRepository(seeded)
    (article,) = await news.latest(1)
    assert article.summary.count(". ") + 1 >= 2
    assert len(article.summary) <= 600
    titles, people = await news.mentions(article.id)
    assert [t[1] for t in titles] == [FILM]
    assert {p[1] for p in people} == CAST | {"Christopher McQuarrie"}
