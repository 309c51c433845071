"""Turn an article into stored facts: one transaction per article, idempotent."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.catalog.models import Provenance
from bot.catalog.normalize import normalize_key
from bot.catalog.repository import CatalogRepository
from bot.db.store import IntegrityError, Store
from bot.errors import ArticleError
from bot.news.article import ArticleText, read_article_file
from bot.news.extract import Extraction, candidate_names, extract
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
) -> IngestResult:
    """Store `article` and what it says; a known article (same text or URL) is a no-op."""
    news = NewsRepository(store)
    catalog = CatalogRepository(store)
    article_id = article.article_id
    if await news.exists(article_id, url):
        return IngestResult(article_id, created=False)

    text = f"{headline}.\n{article.body}" if headline else article.body
    known_people, known_titles = await catalog.known_names(candidate_names(text))
    extraction = extract(
        text, article.published, known_people=known_people, known_titles=known_titles
    )
    async with store.transaction():
        if await news.exists(article_id, url):  # another task got there first
            return IngestResult(article_id, created=False)
        await news.insert(
            article_id=article_id,
            published=article.published,
            body=article.body,
            summary=extraction.summary,
            source=source,
            url=url,
            headline=headline,
            norm_headline=normalize_key(headline) if headline else None,
        )
        people = await _store_extraction(catalog, news, article_id, extraction, article)
    log.info(
        "ingested article %s from %s: %s", article_id, source, plural(len(extraction.films), "film")
    )
    return IngestResult(article_id, True, tuple(f.title for f in extraction.films), people)


async def _store_extraction(
    catalog: CatalogRepository,
    news: NewsRepository,
    article_id: str,
    extraction: Extraction,
    article: ArticleText,
) -> int:
    prov = Provenance(f"article:{article_id}", article.published.isoformat())
    people = 0
    for film in extraction.films:
        title_id = await catalog.ensure_title(film.title, prov)
        await news.add_mention(article_id, "title", title_id)
        for alias in film.aliases:
            await catalog.add_alias("title", title_id, alias, prov)
        for studio in film.studios:
            await catalog.add_company(title_id, studio, prov)
        for release in film.releases:
            await catalog.add_release(
                title_id,
                date=release.date.isoformat(),
                precision=release.precision,
                kind=release.kind,
                region=release.region,
                prov=prov,
                note=(f"{release.note}: " if release.note else "") + release.sentence[:300],
            )
        for fact in film.facts:
            await catalog.add_fact(title_id, fact, prov)
        for person in film.people:
            person_id = await catalog.ensure_person(person.name, prov)
            people += 1
            await news.add_mention(article_id, "person", person_id)
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
            )
    return people


def read_articles(paths: Iterable[str | Path]) -> list[tuple[Path, ArticleText]]:
    """Parse every file first, so one bad file means nothing is ingested."""
    parsed: list[tuple[Path, ArticleText]] = []
    errors: list[str] = []
    for path in paths:
        try:
            parsed.append((Path(path), read_article_file(path)))
        except ArticleError as exc:
            errors.append(str(exc))
    if errors:
        raise ArticleError("; ".join(errors))
    return parsed


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
