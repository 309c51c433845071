"""Turn an article into stored facts: one transaction per article, idempotent."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from bot.catalog.models import Provenance
from bot.catalog.normalize import normalize_key
from bot.catalog.repository import CatalogRepository
from bot.db.store import IntegrityError, Store
from bot.errors import ArticleError
from bot.extraction import Extraction, candidate_names, extract
from bot.news.article import ArticleText, read_article_file
from bot.news.repository import NewsRepository
from bot.wording import plural

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IngestResult:
    article_id: str
    created: bool
    films: tuple[str, ...] = ()
    people: int = 0


async def ingest_article(
    store: Store,
    article: ArticleText,
    *,
    source: str,
    url: str | None = None,
    headline: str | None = None,
    today: dt.date | None = None,
) -> IngestResult:
    """Store `article` and what it says; a known article (same text or URL) is a no-op.

    An undated article is stored as of `today` (the ingest day), marked undated.
    """
    news = NewsRepository(store)
    catalog = CatalogRepository(store)
    article_id = article.article_id
    if await news.exists(article_id, url):
        return IngestResult(article_id, created=False)

    headline = headline or article.headline
    as_of = article.published or today or dt.date.today()
    # The catalog as gazetteer: only this article's capitalised spans are looked up.
    story = article.story if article.headline and headline == article.headline else article.body
    names = await asyncio.to_thread(candidate_names, f"{headline or ''}\n\n{story}")
    known_people, known_titles = await catalog.known_names(names)
    # spaCy is CPU-bound and loads lazily: keep it off the event loop.
    extraction = await asyncio.to_thread(
        extract,
        story,
        as_of,
        headline=headline,
        known_people=known_people,
        known_titles=known_titles,
    )
    try:
        async with store.transaction():
            if await news.exists(article_id, url):  # another task got there first
                return IngestResult(article_id, created=False)
            await news.insert(
                article_id=article_id,
                published=as_of,
                undated=article.published is None,
                body=story,
                summary=extraction.summary,
                source=source,
                url=url,
                headline=headline,
                norm_headline=normalize_key(headline) if headline else None,
            )
            people = await _store_extraction(catalog, news, article_id, extraction, as_of)
    except IntegrityError:
        # Stored meanwhile by another transaction (two feeds carrying one story, polled
        # at once; another process): the check above ran before that one committed.
        if await news.exists(article_id, url):
            return IngestResult(article_id, created=False)
        raise
    log.info(
        "ingested article %s from %s: %s", article_id, source, plural(len(extraction.films), "film")
    )
    return IngestResult(article_id, True, tuple(f.title for f in extraction.films), people)


async def _store_extraction(
    catalog: CatalogRepository,
    news: NewsRepository,
    article_id: str,
    extraction: Extraction,
    as_of: dt.date,
) -> int:
    prov = Provenance(f"article:{article_id}", as_of.isoformat())
    people = 0
    for film in extraction.films:
        title_id = await _film_id(catalog, film.title, film.renamed_from, prov)
        await news.add_mention(article_id, "title", title_id, evidence=film.evidence or None)
        for alias in film.aliases:
            await catalog.add_alias("title", title_id, alias, prov)
        for studio in film.studio_evidence:
            await catalog.add_company(title_id, studio.name, prov, evidence=studio.sentence)
        for release in film.releases:
            await catalog.add_release(
                title_id,
                date=release.date.isoformat(),
                precision=release.precision,
                kind=release.kind,
                region=release.region,
                prov=prov,
                note=release.note,
                evidence=release.sentence[:500],
                superseded=release.superseded,
            )
        for fact in film.facts:
            await catalog.add_fact(title_id, fact, prov)
        for person in film.people:
            person_id = await catalog.ensure_person(person.name, prov)
            people += 1
            await news.add_mention(article_id, "person", person_id, evidence=person.sentence)
            for alias in person.aliases:
                # A bare surname would capture every later namesake: keep full forms only.
                if len(alias.split()) >= 2:
                    await catalog.add_alias("person", person_id, alias, prov)
            await catalog.add_credit(
                title_id,
                person_id,
                person.role,
                prov,
                character=person.character,
                billing=person.billing,
                known_for=person.known_for,
                status=person.status,
                evidence=person.sentence[:500] or None,
            )
    return people


async def _film_id(
    catalog: CatalogRepository, title: str, old_titles: tuple[str, ...], prov: Provenance
) -> int:
    """The catalog's film for `title` (by title or alias); a film the article says was
    renamed is found by its old title too, and keeps it as an alias."""
    found = await catalog.find_title_id(title)
    if found is None:
        for old in old_titles:
            found = await catalog.find_title_id(old)
            if found is not None:
                await catalog.add_alias("title", found, title, prov)
                break
    return found if found is not None else await catalog.ensure_title(title, prov)


async def seed_from_dir(store: Store, data_dir: Path) -> list[IngestResult]:
    """Ingest `data_dir/articles/*.txt` not yet in the store (a no-op once seeded)."""
    folder = data_dir / "articles"
    if not folder.is_dir():
        return []
    results = []
    for path in sorted(folder.glob("*.txt")):
        try:
            article = read_article_file(path)
        except ArticleError as exc:
            log.warning("skipping seed article: %s", exc)
            continue
        try:
            results.append(await ingest_article(store, article, source=path.name))
        except IntegrityError:  # processes of a cluster start together
            log.info("seed article %s was stored by another process", path.name)
    return results
