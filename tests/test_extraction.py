"""The spaCy extractor (bot.extraction) on the seed and on short texts written for the tests."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.catalog.repository import CatalogRepository
from bot.extraction import Extraction, FilmFact, PersonFact, extract
from bot.news.article import parse_article
from bot.news.ingest import ingest_article
from tests.news_fixtures import SEED, fixture, load

SEED_TITLE = "Mission: Impossible – Dead Reckoning Part One"
SEED_CAST = [
    "Tom Cruise", "Ving Rhames", "Simon Pegg", "Rebecca Ferguson", "Henry Czerny",
    "Vanessa Kirby", "Hayley Atwell", "Pom Klementieff", "Rob Delaney", "Charles Parnell",
    "Indira Varma", "Mark Gatiss",
]  # fmt: skip
D = dt.date(2024, 1, 15)


def only_film(result: Extraction) -> FilmFact:
    assert len(result.films) == 1, [f.title for f in result.films]
    return result.films[0]


def people(film: FilmFact, role: str) -> dict[str, PersonFact]:
    return {p.name: p for p in film.people if p.role == role}


@pytest.fixture(scope="module")
def seed() -> FilmFact:
    published, body = load(SEED)
    return only_film(extract(body, published))


def test_seed_film_cast_known_for_director_and_studio(seed: FilmFact) -> None:
    assert seed.title == SEED_TITLE
    assert "Dead Reckoning" in seed.aliases
    assert seed.studios == ("Paramount Pictures",)
    actors = sorted(people(seed, "actor").values(), key=lambda p: p.billing)
    assert [p.name for p in actors] == SEED_CAST
    known = {p.name: p.known_for for p in actors if p.known_for}
    assert known == {
        "Hayley Atwell": "Agent Carter", "Pom Klementieff": "Guardians of the Galaxy",
        "Rob Delaney": "Deadpool 2", "Charles Parnell": "Top Gun: Maverick",
        "Indira Varma": "Game of Thrones", "Mark Gatiss": "Sherlock",
    }  # fmt: skip
    (director,) = people(seed, "director").values()
    assert director.name == "Christopher McQuarrie"
    assert {"Chris McQuarrie", "McQuarrie"} <= set(director.aliases)
    # Each fact keeps its evidence sentence.
    assert "stars Cruise" in people(seed, "actor")["Tom Cruise"].sentence


def test_seed_context_titles_get_nothing(seed: FilmFact) -> None:
    published, body = load(SEED)
    titles = {f.title for f in extract(body, published).films}
    assert titles == {SEED_TITLE}  # not Top Gun: Maverick, Ghost Protocol, Part Two...
    names = {p.name for p in seed.people}
    assert not names & {"Light the Fuse", "CinemaCon", "Ethan", "Ethan Hunt", "Dead Reckoning"}


def test_writers_and_producers_are_never_cast() -> None:
    body = (
        "The Glass Harbor, the upcoming thriller, is written by Lena Marsh and produced by "
        "Ruth Bianchi. It stars Noah Brandt."
    )
    film = only_film(extract(body, D))
    assert film.title == "The Glass Harbor"
    assert list(people(film, "writer")) == ["Lena Marsh"]
    assert list(people(film, "producer")) == ["Ruth Bianchi"]
    assert list(people(film, "actor")) == ["Noah Brandt"]


def test_outlet_is_not_a_person_or_studio_and_actor_is_not_director() -> None:
    body = (
        '"It was hard," director Maya Stern told Empire Magazine. Stern directs Cold Harbour, '
        "which stars Jack Lowden and hits theaters in May."
    )
    film = only_film(extract(body, D))
    assert film.title == "Cold Harbour"
    assert list(people(film, "director")) == ["Maya Stern"]
    assert list(people(film, "actor")) == ["Jack Lowden"]
    assert "Empire Magazine" not in {p.name for p in film.people} | set(film.studios)
    (release,) = film.releases
    assert (release.date, release.precision) == (dt.date(2024, 5, 1), "month")


def test_will_direct_and_a_date_without_a_year_is_the_next_one() -> None:
    body = (
        "Greta Lindholm will direct Paper Moons, the studio's new comedy. "
        "Paper Moons opens in theaters on May 23."
    )
    film = only_film(extract(body, dt.date(2024, 6, 1)))
    assert list(people(film, "director")) == ["Greta Lindholm"]
    assert [(r.date, r.precision, r.kind) for r in film.releases] == [
        (dt.date(2025, 5, 23), "day", "theatrical")
    ]


def test_a_character_is_never_a_film_or_a_person() -> None:
    body = "The sequel Night Shift stars Ivy Okonkwo as Detective Hale. Detective Hale is a cop."
    result = extract(body, D)
    assert [f.title for f in result.films] == ["Night Shift"]
    names = {p.name for f in result.films for p in f.people}
    assert "Detective Hale" not in names


def test_a_context_title_gets_no_cast_or_crew() -> None:
    body = (
        "Cold Harbour stars Jack Lowden. Lowden, who starred in Dunkirk, plays a fisherman. "
        "Dunkirk director Chris Nolan is not involved."
    )
    result = extract(body, D)
    assert "Dunkirk" not in {f.title for f in result.films}
    assert all(p.name != "Chris Nolan" for f in result.films for p in f.people)


def test_moved_date_keeps_the_old_one_as_superseded() -> None:
    published, body = fixture("102_release_move.txt")
    film = next(f for f in extract(body, published).films if f.title == "Nightglass 2")
    current = {(r.date, r.region) for r in film.releases if not r.superseded}
    old = {r.date for r in film.releases if r.superseded}
    assert (dt.date(2026, 3, 13), "US") in current
    assert old == {dt.date(2025, 6, 6)}
    assert film.studios == ("Universal Pictures",)


async def test_ingest_stores_superseded_dates_and_evidence(store) -> None:
    published, body = fixture("102_release_move.txt")
    await ingest_article(store, parse_article(f"date {published}\n{body}"), source="t")
    catalog = CatalogRepository(store)
    title_id = await catalog.find_title_id("Nightglass 2")
    current = await catalog.releases_for_title(title_id)
    old = await catalog.releases_for_title(title_id, superseded=True)
    assert "2026-03-13" in {r.date for r in current}
    assert [r.date for r in old] == ["2025-06-06"]
    assert all(r.evidence for r in current + old)
    (evidence,) = await store.fetchone(
        "SELECT evidence FROM credits WHERE role = 'director' AND title_id = ?", (title_id,)
    )
    assert "Lindqvist" in evidence


@pytest.mark.parametrize(
    "body",
    [
        "",
        "   \n\n  ",
        "just one lowercase sentence without any names at all.",
        "<p>Some <b>HTML</b> &amp; remnants</p><div>Directed by <i>Jane Roe</i>.</div>",
        '"An unclosed quote that never ends, says nobody',
        "(((((",
        "A." * 200,
        "Star Wars: The Last Jedi. Starring. Directed by. Stars",
    ],
)
def test_degenerate_input_never_raises(body: str) -> None:
    assert isinstance(extract(body, D), Extraction)
    assert isinstance(extract(body, None), Extraction)
