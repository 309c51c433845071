"""A small made-up catalog for trivia tests, written through the real CatalogRepository.

It holds the awkward cases on purpose: two films that share a name (a remake), people
with credits in several roles, sequels that share cast, a film with two release years.
"""

from __future__ import annotations

from bot.catalog.models import Provenance
from bot.catalog.normalize import normalize_key
from bot.catalog.repository import CatalogRepository
from bot.db.store import Store

PROV = Provenance("manual", "2024-01-01")

# title, year, directors, cast (in billing order), studios, release dates
FILMS = [
    ("Harbor Lights", 1998, ["Ana Ruiz"], ["Tom Vale", "Lia Chen", "Omar Grant"], ["Northwind"]),
    ("Harbor Lights II", 2001, ["Ana Ruiz"], ["Tom Vale", "Lia Chen", "Rosa Kim"], ["Northwind"]),
    ("Glass Orchard", 2003, ["Ben Ito"], ["Mara Quinn", "Ed Park", "Tom Vale"], ["Bluefield"]),
    ("The Long Field", 2005, ["Cora Diaz"], ["Ed Park", "Ivy Stone", "Sam Roe"], ["Redline"]),
    ("Dune Road", 2007, ["Dev Patel"], ["Ivy Stone", "Omar Grant", "Kai Moss"], ["Skyway"]),
    ("Paper Moon Rising", 2009, ["Lia Chen"], ["Sam Roe", "Rosa Kim", "Nia Hart"], ["Bluefield"]),
    ("Cold Harbor", 2011, ["Eli Fox"], ["Kai Moss", "Mara Quinn", "Jon Bell"], ["Skyway"]),
    ("Night Ferry", 2013, ["Fay Lund"], ["Jon Bell", "Nia Hart", "Ed Park"], ["Redline"]),
    ("Remake", 1984, ["Gus Hale"], ["Old Star", "Lia Chen"], ["Oldco"]),
    ("Remake", 2021, ["Hal Moore"], ["New Star", "Rosa Kim"], ["Newco"]),
]
KNOWN_FOR = {
    "Lia Chen": "Silver Coast",
    "Tom Vale": "The Quiet Hour",
    "Ed Park": "Blue Signal",
    "Ivy Stone": "Winter Garden",
    "Kai Moss": "Iron Bay",
    "Nia Hart": "Second Sun",
}
# What they are known for, as the store knows it: (IMDb title type, year).
KNOWN_TITLES = {
    "Silver Coast": ("tvSeries", 2010),
    "The Quiet Hour": ("movie", 1995),
    "Blue Signal": ("tvSeries", 2012),
    "Winter Garden": ("tvMiniSeries", 2006),
    "Iron Bay": ("movie", 2000),
    "Second Sun": ("tvSeries", 2015),
}


async def build_catalog(store: Store) -> dict[str, int]:
    """Write FILMS into the store; returns title -> id (the later one for a shared name)."""
    repo = CatalogRepository(store)
    ids: dict[str, int] = {}
    async with store.transaction() as conn:
        for title, year, directors, cast, studios in FILMS:
            tid = await conn.insert(
                "INSERT INTO titles(title, norm_title, year, source, as_of) VALUES (?, ?, ?, ?, ?)",
                (title, normalize_key(title), year, PROV.source, PROV.as_of),
            )
            ids[title] = tid
            for name in directors:
                pid = await repo.ensure_person(name, PROV)
                await repo.add_credit(tid, pid, "director", PROV)
            for billing, name in enumerate(cast, start=1):
                pid = await repo.ensure_person(name, PROV)
                await repo.add_credit(
                    tid, pid, "actor", PROV, billing=billing, known_for=KNOWN_FOR.get(name)
                )
            for studio in studios:
                await repo.add_company(tid, studio, PROV)
            await repo.add_release(
                tid,
                date=f"{year}-06-01",
                precision="day",
                kind="theatrical",
                region="US",
                prov=PROV,
            )
        for title, (kind, year) in KNOWN_TITLES.items():
            await conn.execute(
                "INSERT INTO titles(title, norm_title, kind, year, source, as_of)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (title, normalize_key(title), kind, year, PROV.source, PROV.as_of),
            )
        # A film with no catalogued year and two release years: its year is ambiguous.
        tid = await repo.ensure_title("Split Date", PROV)
        for date, kind in (("2022-11-01", "premiere"), ("2023-02-01", "theatrical")):
            await repo.add_release(
                tid, date=date, precision="day", kind=kind, region="US", prov=PROV
            )
        ids["Split Date"] = tid
    return ids
