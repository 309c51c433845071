"""A small real catalog for lookup tests, written through CatalogRepository (real SQLite)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.catalog.models import Provenance
from bot.catalog.repository import CatalogRepository
from bot.db.store import Store
from bot.news.repository import NewsRepository

ARTICLE = Provenance("article:0001", "2022-12-19")
IMDB = Provenance("imdb", "2025-01-01")
ENSEMBLE_SIZE = 60
MARKDOWN_TITLE = "**Bold** _Movie_ | ~Strike~ `code`"
MARKDOWN_PERSON = "Ann *Star* O_Neil @everyone"


@dataclass(frozen=True)
class Ids:
    dead_reckoning: int
    fallout: int
    amelie: int
    poets: int
    ensemble: int
    markdown: int
    quiet: int
    soon: int
    later: int
    cruise: int
    ferguson: int


async def build_catalog(store: Store, today: dt.date | None = None) -> Ids:
    today = today or dt.date.today()
    repo = CatalogRepository(store)
    async with store.transaction():
        mi7 = await repo.ensure_title(
            "Mission: Impossible – Dead Reckoning Part One", ARTICLE, year=2023
        )
        await repo.add_alias("title", mi7, "Mission: Impossible 7", ARTICLE)
        await repo.add_company(mi7, "Paramount Pictures", ARTICLE)
        await repo.add_company(mi7, "Skydance", ARTICLE)
        director = await repo.ensure_person("Christopher McQuarrie", ARTICLE)
        await repo.add_credit(mi7, director, "director", ARTICLE)
        cast = [
            ("Tom Cruise", "Ethan Hunt", "Top Gun: Maverick"),
            ("Hayley Atwell", "Grace", "Captain America: The First Avenger"),
            ("Ving Rhames", "Luther Stickell", None),
            ("Simon Pegg", "Benji Dunn", None),
            ("Rebecca Ferguson", "Ilsa Faust", "Dune"),
            ("Vanessa Kirby", "Alanna Mitsopolis", None),
            ("Esai Morales", "Gabriel", None),
            ("Pom Klementieff", "Paris", None),
            ("Henry Czerny", "Eugene Kittridge", None),
        ]
        ids = {}
        for billing, (name, character, known_for) in enumerate(cast, 1):
            ids[name] = await repo.ensure_person(name, ARTICLE)
            await repo.add_credit(
                mi7, ids[name], "actor", ARTICLE,
                character=character, billing=billing, known_for=known_for,
            )  # fmt: skip
        await repo.add_release(
            mi7, date="2023-07-12", precision="day", kind="theatrical", region="US", prov=ARTICLE
        )
        await repo.add_release(
            mi7, date="2023-07-10", precision="day", kind="premiere", region="IT", prov=ARTICLE
        )
        await repo.add_release(
            mi7, date="2023-10-01", precision="month", kind="digital", region="US", prov=ARTICLE
        )

        fallout = await repo.ensure_title("Mission: Impossible – Fallout", IMDB, year=2018)
        await repo.add_credit(fallout, ids["Tom Cruise"], "actor", IMDB, billing=1)
        await repo.add_release(
            fallout, date="2018-01-01", precision="year", kind="theatrical", region="", prov=IMDB
        )
        amelie = await repo.ensure_title("Amélie", IMDB, year=2001)
        poets = await repo.ensure_title("Dead Poets Society", IMDB, year=1989)

        ensemble = await repo.ensure_title("The Grand Ensemble", ARTICLE, year=2024)
        for n in range(1, ENSEMBLE_SIZE + 1):
            person = await repo.ensure_person(f"Ensemble Player {n:02d}", ARTICLE)
            await repo.add_credit(
                ensemble, person, "actor", ARTICLE, character=f"Role {n:02d}", billing=n,
                known_for=f"Film {n:02d}" if n % 3 == 0 else None,
            )  # fmt: skip

        markdown = await repo.ensure_title(MARKDOWN_TITLE, ARTICLE, year=2020)
        star = await repo.ensure_person(MARKDOWN_PERSON, ARTICLE)
        await repo.add_credit(markdown, star, "actor", ARTICLE, character="<@123> *hero*")

        quiet = await repo.ensure_title("A Quiet Film Without Dates", ARTICLE, year=2026)

        soon = await repo.ensure_title("Coming Soon Picture", ARTICLE, year=today.year)
        await repo.add_release(
            soon, date=(today + dt.timedelta(days=10)).isoformat(), precision="day",
            kind="theatrical", region="US", prov=ARTICLE,
        )  # fmt: skip
        later = await repo.ensure_title("Later Feature", ARTICLE, year=today.year)
        await repo.add_release(
            later, date=(today + dt.timedelta(days=40)).isoformat(), precision="day",
            kind="digital", region="GB", prov=ARTICLE,
        )  # fmt: skip

        news = NewsRepository(store)
        await news.insert(
            article_id="0001", published=dt.date(2022, 12, 19), body="Mission news.",
            summary="Mission news.", source="seed.txt",
        )  # fmt: skip
        await news.add_mention("0001", "title", poets)
    return Ids(
        mi7, fallout, amelie, poets, ensemble, markdown, quiet, soon, later,
        ids["Tom Cruise"], ids["Rebecca Ferguson"],
    )  # fmt: skip
