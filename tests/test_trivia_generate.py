"""Generated questions: every one has exactly one right choice, judged by the store itself."""

from __future__ import annotations

import random
import re

import pytest

from bot.catalog.normalize import normalize_key
from bot.db.store import Store
from bot.trivia.deck import build_deck
from bot.trivia.generate import KINDS, QuestionGenerator
from bot.trivia.models import Question
from bot.trivia.repository import TriviaRepository
from tests.trivia_catalog import build_catalog

_LISTED = re.compile(r"from: \*\*(.+)\*\*\?$")


async def _namesake_ids(store: Store, title_id: int) -> list[int]:
    rows = await store.fetchall(
        "SELECT id FROM titles WHERE norm_title = (SELECT norm_title FROM titles WHERE id = ?)",
        (title_id,),
    )
    return [r[0] for r in rows]


async def is_right(store: Store, question: Question, choice: str) -> bool:
    """The store's own answer, by SQL, independent of the generator's indexes."""
    _gen, kind, raw = question.key.split(":")
    subject = int(raw)
    norm = normalize_key(choice)
    if kind in ("director", "cast"):
        role = "director" if kind == "director" else "actor"
        marks = await _namesake_ids(store, subject)
        return bool(
            await store.fetchval(
                f"SELECT count(*) FROM credits c JOIN people p ON p.id = c.person_id "
                f"WHERE c.role = ? AND p.norm_name = ? AND c.title_id IN "
                f"({','.join('?' * len(marks))})",
                (role, norm, *marks),
            )
        )
    if kind == "studio":
        marks = await _namesake_ids(store, subject)
        return bool(
            await store.fetchval(
                "SELECT count(*) FROM title_companies tc JOIN companies c ON c.id = tc.company_id "
                f"WHERE c.norm_name = ? AND tc.title_id IN ({','.join('?' * len(marks))})",
                (norm, *marks),
            )
        )
    if kind == "year":
        marks = await _namesake_ids(store, subject)
        q = ",".join("?" * len(marks))
        years = {
            str(r[0])
            for r in await store.fetchall(f"SELECT year FROM titles WHERE id IN ({q})", marks)
        }
        years |= {
            r[0][:4]
            for r in await store.fetchall(
                f"SELECT date FROM releases WHERE title_id IN ({q})", marks
            )
        }
        return choice in years
    if kind == "known_for":
        rows = await store.fetchall(
            "SELECT c.known_for, t.norm_title FROM credits c JOIN titles t ON t.id = c.title_id "
            "WHERE c.person_id = ?",
            (subject,),
        )
        return any(norm in (normalize_key(r[0] or ""), r[1]) for r in rows)
    if kind == "cast_from":
        listed = _LISTED.search(question.text).group(1).split(", ")
        for (title_id,) in await store.fetchall(
            "SELECT id FROM titles WHERE norm_title = ?", (norm,)
        ):
            cast = {
                r[0]
                for r in await store.fetchall(
                    "SELECT p.norm_name FROM credits c JOIN people p ON p.id = c.person_id "
                    "WHERE c.title_id = ? AND c.role = 'actor'",
                    (title_id,),
                )
            }
            if {normalize_key(n) for n in listed} <= cast:
                return True
        return False
    raise AssertionError(kind)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
async def test_every_question_has_exactly_one_right_choice(store, seed):
    await build_catalog(store)
    generator = QuestionGenerator(await TriviaRepository(store).catalog_snapshot(), this_year=2024)
    rng = random.Random(seed)
    built: list[Question] = []
    for key in generator.question_keys():
        question = generator.build(key, rng)
        if question is None:
            continue
        built.append(question)
        assert len(question.choices) == 4, question
        assert len({normalize_key(c) for c in question.choices}) == 4, question
        right = [c for c in question.choices if await is_right(store, question, c)]
        assert right == [question.choices[question.correct_index]], (question, right)
        assert question.answer == right[0]
    assert {q.kind for q in built} == set(KINDS)
    assert len(built) >= 40


async def test_ambiguous_years_are_not_asked(store):
    ids = await build_catalog(store)
    generator = QuestionGenerator(await TriviaRepository(store).catalog_snapshot(), this_year=2024)
    keys = set(generator.question_keys())
    assert f"gen:year:{ids['Split Date']}" not in keys  # premiere 2022, theatrical 2023
    assert f"gen:year:{ids['Remake']}" not in keys  # two films share the name
    assert f"gen:year:{ids['Night Ferry']}" in keys


async def test_remake_directors_are_never_wrong_choices(store):
    ids = await build_catalog(store)
    generator = QuestionGenerator(await TriviaRepository(store).catalog_snapshot(), this_year=2024)
    for seed in range(30):
        question = generator.build(f"gen:director:{ids['Remake']}", random.Random(seed))
        assert question is not None
        wrong = set(question.choices) - {question.answer}
        assert not wrong & {"Gus Hale", "Hal Moore"}


async def test_typed_questions_accept_every_true_answer(store):
    ids = await build_catalog(store)
    generator = QuestionGenerator(await TriviaRepository(store).catalog_snapshot(), this_year=2024)
    cast = generator.build(f"gen:cast:{ids['Night Ferry']}", random.Random(1), typed=True)
    assert cast is not None and not cast.choices
    assert set(cast.answers) == {"Jon Bell", "Nia Hart", "Ed Park"}
    year = generator.build(f"gen:year:{ids['Night Ferry']}", random.Random(1), typed=True)
    assert year is not None and year.answers == ("2013",) and "did" in year.text


async def test_a_thin_store_skips_kinds_it_cannot_make_fair(store):
    from bot.catalog.models import Provenance
    from bot.catalog.repository import CatalogRepository

    repo = CatalogRepository(store)
    prov = Provenance("manual", "2024-01-01")
    async with store.transaction():
        tid = await repo.ensure_title("Only Film", prov)
        for name in ("A One", "B Two", "C Three"):
            await repo.add_credit(tid, await repo.ensure_person(name, prov), "actor", prov)
        await repo.add_credit(tid, await repo.ensure_person("D Four", prov), "director", prov)
    generator = QuestionGenerator(await TriviaRepository(store).catalog_snapshot(), this_year=2024)
    for key in generator.question_keys():
        assert generator.build(key, random.Random(0)) is None, key  # no fair wrong choices


async def test_deck_does_not_repeat_until_the_pool_is_used(store):
    await build_catalog(store)
    repo = TriviaRepository(store)
    generator = QuestionGenerator(await repo.catalog_snapshot(), this_year=2024)
    pool = {k for k in generator.question_keys() if generator.build(k, random.Random(0))}
    game = await repo.start_game(
        guild=1, channel=2, starter=3, source="movies", mode="buttons", questions=5, seconds=5,
        at="2024-01-01T00:00:00",
    )  # fmt: skip
    record = await repo.get_game(game)
    seen: list[str] = []
    rng = random.Random(7)
    number = 0
    while len(seen) < len(pool):
        deck = await build_deck(
            repo, guild=1, source="movies", count=7, mode="buttons", rng=rng, this_year=2024
        )
        assert deck
        for q in deck:
            if len(seen) < len(pool):
                assert q.key not in seen, "a question came back before the pool was used up"
            seen.append(q.key)
            number += 1
            await repo.record_question(
                record, number=number, key=q.key, results=[], at=f"2024-01-01T00:{number:05d}"
            )
    assert set(seen[: len(pool)]) == pool
    # Another server has its own history: it may be asked anything.
    other = await build_deck(
        repo, guild=99, source="movies", count=3, mode="buttons", rng=rng, this_year=2024
    )
    assert len(other) == 3


async def test_seeded_article_questions_are_fair(store):
    pytest.importorskip("bot.extraction")
    from bot.news.ingest import seed_from_dir
    from tests.conftest import SEED_DIR

    await seed_from_dir(store, SEED_DIR)
    await build_catalog(store)
    generator = QuestionGenerator(await TriviaRepository(store).catalog_snapshot(), this_year=2024)
    seed_titles = {
        r[0] for r in await store.fetchall("SELECT id FROM titles WHERE source LIKE 'article:%'")
    }
    assert seed_titles, "the seed article put a film in the store"
    asked_about_seed = 0
    for seed in range(3):
        rng = random.Random(seed)
        for key in generator.question_keys():
            question = generator.build(key, rng)
            if question is None:
                continue
            right = [c for c in question.choices if await is_right(store, question, c)]
            assert right == [question.answer], (question, right)
            _gen, kind, subject = key.split(":")
            asked_about_seed += kind != "known_for" and int(subject) in seed_titles
    assert asked_about_seed > 0
