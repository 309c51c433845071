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
        assert deck.questions
        for q in deck.questions:
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
    assert len(other.questions) == 3


async def test_seeded_article_questions_are_fair(store):
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


# -- every choice of the answer's kind; one fact once per game ---------------------

SERIES = [  # title, year, cast
    ("Harbor Tales", 2008, ["Pia Lund", "Rex Hall", "Uma Bay"]),
    ("Glass City", 2010, ["Vic Orr", "Wes Amon", "Pia Lund"]),
    ("Night Desk", 2012, ["Yara Sol", "Zed Kerr", "Ana Vo"]),
    ("Long Winter", 2014, ["Bo Chan", "Cy Dunn", "Dee Eck"]),
]


async def _with_series_and_a_studio_read_as_a_person(store: Store) -> dict[str, int]:
    """The test catalog, four series with casts, and the studio "Skyway" also stored as a
    person directing and acting (what a misread article sentence leaves behind)."""
    from bot.catalog.repository import CatalogRepository
    from tests.trivia_catalog import PROV

    ids = await build_catalog(store)
    repo = CatalogRepository(store)
    async with store.transaction() as conn:
        for title, year, cast in SERIES:
            ids[title] = await conn.insert(
                "INSERT INTO titles(title, norm_title, kind, year, source, as_of)"
                " VALUES (?, ?, 'tvSeries', ?, ?, ?)",
                (title, normalize_key(title), year, PROV.source, PROV.as_of),
            )
            for billing, name in enumerate(cast, start=1):
                pid = await repo.ensure_person(name, PROV)
                await repo.add_credit(ids[title], pid, "actor", PROV, billing=billing)
        studio = await repo.ensure_person("Skyway", PROV)
        await repo.add_credit(ids["Night Ferry"], studio, "director", PROV)
        await repo.add_credit(ids["Cold Harbor"], studio, "actor", PROV, billing=9)
    return ids


async def _kind_of(store: Store, title: str) -> str:
    kinds = {
        r[0]
        for r in await store.fetchall(
            "SELECT kind FROM titles WHERE norm_title = ?", (normalize_key(title),)
        )
    }
    assert len(kinds) == 1, (title, kinds)
    return "series" if kinds <= {"tvSeries", "tvMiniSeries"} else "film"


async def test_every_choice_is_of_the_answers_kind(store):
    ids = await _with_series_and_a_studio_read_as_a_person(store)
    generator = QuestionGenerator(await TriviaRepository(store).catalog_snapshot(), this_year=2024)
    checked = {"series": 0, "film": 0, "known_for": 0}
    for seed in range(5):
        rng = random.Random(seed)
        for key in generator.question_keys():
            question = generator.build(key, rng)
            if question is None:
                continue
            assert "Skyway" not in question.choices or question.kind == "studio", question
            if question.kind in ("cast_from", "known_for"):
                kinds = {await _kind_of(store, c) for c in question.choices}
                (kind,) = kinds  # four films or four series, never a mix
                assert f"Which {kind} is " in question.text, question
                checked["known_for" if question.kind == "known_for" else kind] += 1
    assert all(checked.values()), checked
    series = generator.build(f"gen:cast_from:{ids['Glass City']}", random.Random(0))
    assert series is not None and series.text.startswith("Which series is this cast from")
    known = generator.build(f"gen:known_for:{await _person(store, 'Lia Chen')}", random.Random(0))
    assert known is not None and known.text == "Which series is **Lia Chen** known for?"


async def _person(store: Store, name: str) -> int:
    return await store.fetchval("SELECT id FROM people WHERE norm_name = ?", (normalize_key(name),))


async def test_a_known_for_the_store_cannot_place_is_asked_typed_only(store):
    from bot.catalog.repository import CatalogRepository
    from tests.trivia_catalog import PROV

    ids = await build_catalog(store)
    repo = CatalogRepository(store)
    async with store.transaction():
        pid = await repo.ensure_person("Quinn Ash", PROV)
        await repo.add_credit(ids["Night Ferry"], pid, "actor", PROV, known_for="the Lantern saga")
    generator = QuestionGenerator(await TriviaRepository(store).catalog_snapshot(), this_year=2024)
    key = f"gen:known_for:{pid}"
    assert generator.build(key, random.Random(0)) is None  # film? series? a role? unsure
    typed = generator.build(key, random.Random(0), typed=True)
    assert typed is not None and typed.answers == ("the Lantern saga",)


@pytest.mark.parametrize("mode", ["buttons", "typed"])
async def test_a_game_never_asks_one_fact_twice(store, mode):
    await _with_series_and_a_studio_read_as_a_person(store)
    repo = TriviaRepository(store)
    for seed in range(8):
        deck = await build_deck(
            repo, guild=1, source="movies", count=50, mode=mode, rng=random.Random(seed),
            this_year=2024,
        )  # fmt: skip
        assert len(deck.questions) >= 15
        seen: dict[str, str] = {}
        for question in deck.questions:
            assert question.facts, question
            for fact in question.facts:
                assert fact not in seen, (seen.get(fact), question.key)
                seen[fact] = question.key
        subjects = [q.key.split(":")[2] for q in deck.questions if q.kind in ("cast", "cast_from")]
        assert len(subjects) == len(set(subjects))  # "who is in X" and "X is whose cast"


async def test_a_pack_question_and_a_generated_one_never_ask_the_same_fact(store):
    """The bundled pack asks who directed the seed's film and what Hayley Atwell is known
    for; typed games from the store can ask both too."""
    from bot.news.ingest import seed_from_dir
    from bot.settings import PROJECT_ROOT
    from bot.trivia.library import install_bundled_packs
    from tests.conftest import SEED_DIR

    await seed_from_dir(store, SEED_DIR)
    await install_bundled_packs(store, PROJECT_ROOT / "data")
    repo = TriviaRepository(store)
    both = 0
    for seed in range(10):
        deck = await build_deck(
            repo, guild=1, source=None, count=50, mode="typed", rng=random.Random(seed),
            this_year=2024,
        )  # fmt: skip
        generated = {q.subject: q for q in deck.questions if q.subject}
        written = [q for q in deck.questions if not q.subject]
        assert generated and written
        both += 1
        for subject, question in generated.items():
            for other in written:
                same_answer = {normalize_key(a) for a in question.answers} & {
                    normalize_key(a) for a in other.answers
                }
                assert not (subject in normalize_key(other.text) and same_answer), (
                    question.text,
                    other.text,
                )
    assert both == 10
