"""Questions generated from the catalog, with wrong choices that are plausible but never right.

Each kind of question has a stable key per subject ("gen:director:12"), so a server's
history can skip what it has seen. A question is built only when the store holds enough
material: the right answer, and three wrong choices of the same kind (another director,
another actor, a nearby year) that the store says are wrong. Titles that share a name
(a remake) are treated as one when checking what is true, so a distractor can never be
"right" for the namesake.

Every choice is of the answer's kind: a name the store knows as a company is never offered
as a person, a series is called a series and is offered among series, and a "known for"
answer the store cannot place (film? series? role?) is asked only as a typed question.
Each question carries the facts it is about, so a game never asks one fact twice.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

from bot.catalog.kinds import noun
from bot.catalog.normalize import normalize_key
from bot.trivia.judge import answer_key as _answer_key
from bot.trivia.models import STORE_SOURCE, Question
from bot.trivia.repository import CatalogSnapshot


@lru_cache(maxsize=100_000)
def answer_key(text: str) -> str:
    """The judge's spelling-insensitive key, cached: distractor checks compare many names."""
    return _answer_key(text)


KINDS = ("director", "cast", "known_for", "studio", "year", "cast_from")
WRONG_CHOICES = 3
NEAREST = 6  # distractors are drawn from this many candidates closest in era
_FAR = 10_000


class QuestionGenerator:
    """Indexes a catalog snapshot once; `question_keys()` says what it can ask, `build()` asks."""

    def __init__(self, snap: CatalogSnapshot, *, this_year: int) -> None:
        self.snap = snap
        self.this_year = this_year
        # People whose name is a company's ("Paramount Pictures" read as a person) are
        # never a person's answer nor a wrong choice among people.
        self.real_people = {
            pid for pid, name in snap.people.items() if normalize_key(name) not in snap.company_keys
        }
        self.roles: dict[tuple[int, str], set[int]] = defaultdict(set)
        self.on_title: dict[int, set[int]] = defaultdict(set)  # any credit
        self.billing: dict[tuple[int, int], int] = {}
        self.known_for: dict[int, set[str]] = defaultdict(set)
        self.person_titles: dict[int, set[int]] = defaultdict(set)
        for title_id, person_id, role, known_for, billing in snap.credits:
            self.roles[(title_id, role)].add(person_id)
            self.on_title[title_id].add(person_id)
            self.person_titles[person_id].add(title_id)
            if known_for and known_for.strip():
                self.known_for[person_id].add(known_for.strip())
            if role == "actor" and billing is not None:
                old = self.billing.get((title_id, person_id))
                self.billing[(title_id, person_id)] = billing if old is None else min(old, billing)
        # Titles that share a name are one title when deciding what is true.
        self.namesakes: dict[str, set[int]] = defaultdict(set)
        for title_id, (title, _year) in snap.titles.items():
            self.namesakes[answer_key(title)].add(title_id)
        self._cast_cache: dict[int, set[str]] = {}
        self.era: dict[int, int | None] = {
            tid: year or min(snap.release_years.get(tid, ()), default=None)
            for tid, (_t, year) in snap.titles.items()
        }

    # -- what can be asked ------------------------------------------------------

    def question_keys(self) -> list[str]:
        keys: list[str] = []
        for tid in sorted(self.snap.complete):
            if self.roles.get((tid, "director")):
                keys.append(f"gen:director:{tid}")
            if self.roles.get((tid, "actor")):
                keys.append(f"gen:cast:{tid}")
            if len(self.roles.get((tid, "actor"), ())) >= 2:
                keys.append(f"gen:cast_from:{tid}")
            if self.snap.companies.get(tid):
                keys.append(f"gen:studio:{tid}")
            if self._year_of(tid) is not None:
                keys.append(f"gen:year:{tid}")
        keys += [f"gen:known_for:{p}" for p in sorted(self.known_for) if p in self.snap.people]
        return keys

    def build(self, key: str, rng: random.Random, *, typed: bool = False) -> Question | None:
        """The question for `key`, or None when the store cannot make it fair."""
        _gen, kind, raw_id = key.split(":")
        subject = int(raw_id)
        builder = getattr(self, f"_{kind}")
        question = builder(key, subject, rng, typed)
        if question is None:
            return None
        named = self.snap.people[subject] if kind == "known_for" else self._title(subject)
        return replace(
            question, facts=self._facts(kind, subject, question), subject=normalize_key(named)
        )

    def _facts(self, kind: str, subject: int, question: Question) -> frozenset[str]:
        """What the question is about, by title name (namesakes are one) or person."""
        if kind == "known_for":
            # "What is P known for? T" is the fact "P is in T": no cast or director
            # question about T in the same game.
            named = {answer_key(a) for a in question.answers}
            return frozenset(
                {f"known_for:{subject}"} | {f"{f}:{k}" for k in named for f in ("cast", "director")}
            )
        fact = "cast" if kind == "cast_from" else kind  # "who is in T" = "T is whose cast"
        return frozenset({f"{fact}:{answer_key(self._title(subject))}"})

    # -- builders ---------------------------------------------------------------

    def _director(self, key: str, tid: int, rng: random.Random, typed: bool) -> Question | None:
        title = self._title(tid)
        truth = self._people_in_role(tid, "director")
        names = self._names(truth)
        text = f"Who directed **{title}**?"
        if typed:
            return _typed(key, text, names, "director")
        if not truth & self.real_people:
            return None
        answer = self.snap.people[rng.choice(sorted(truth & self.real_people))]
        pool = self._people_with_role("director", exclude=truth)
        wrong = _pick(pool, self.era.get(tid), {answer_key(n) for n in names}, rng)
        return _choice(key, text, answer, (answer,), wrong, rng, "director")

    def _cast(self, key: str, tid: int, rng: random.Random, typed: bool) -> Question | None:
        title = self._title(tid)
        actors = self._people_in_role(tid, "actor")
        names = self._names(actors)
        if typed:
            return _typed(key, f"Name someone in the cast of **{title}**.", names, "cast")
        if not actors & self.real_people:
            return None
        answer = self.snap.people[rng.choice(sorted(actors & self.real_people))]
        anyone = self._people_on(tid)  # a crew member is not a fair "wrong" cast member
        pool = self._people_with_role("actor", exclude=anyone)
        wrong = _pick(pool, self.era.get(tid), {answer_key(n) for n in self._names(anyone)}, rng)
        text = f"Which of these is in the cast of **{title}**?"
        return _choice(key, text, answer, (answer,), wrong, rng, "cast")

    def _cast_from(self, key: str, tid: int, rng: random.Random, typed: bool) -> Question | None:
        actors = sorted(
            self.roles[(tid, "actor")], key=lambda p: (self.billing.get((tid, p), _FAR), p)
        )[:3]
        listed = ", ".join(self.snap.people[p] for p in actors)
        kind = self._noun(tid)
        text = f"Which {kind} is this cast from: **{listed}**?"
        title = self._title(tid)
        accepted = (title, *self.snap.aliases.get(tid, ()))
        if typed:
            return _typed(key, text, accepted, "cast_from")
        listed_keys = {answer_key(self.snap.people[p]) for p in actors}
        pool: list[tuple[str, int | None]] = []
        for other in self.snap.complete:
            if other in self._namesakes_of(tid) or self._noun(other) != kind:
                continue
            if not listed_keys <= self._cast_keys(other):  # right only with the whole cast
                pool.append((self._title(other), self.era.get(other)))
        wrong = _pick(pool, self.era.get(tid), {answer_key(a) for a in accepted}, rng)
        return _choice(key, text, title, accepted, wrong, rng, "cast_from")

    def _studio(self, key: str, tid: int, rng: random.Random, typed: bool) -> Question | None:
        title = self._title(tid)
        truth: set[str] = set()
        for g in self._namesakes_of(tid):
            truth |= self.snap.companies.get(g, set())
        text = f"Which studio released **{title}**?"
        if typed:
            return _typed(key, text, sorted(truth), "studio")
        answer = rng.choice(sorted(self.snap.companies[tid]))
        people = {normalize_key(n) for n in self.snap.people.values()}
        pool = [
            (name, self.era.get(other))
            for other, names in self.snap.companies.items()
            if other in self.snap.complete
            for name in names
            if normalize_key(name) not in people  # a company named like a person: unsure
        ]
        wrong = _pick(pool, self.era.get(tid), {answer_key(n) for n in truth}, rng)
        return _choice(key, text, answer, (answer,), wrong, rng, "studio")

    def _year(self, key: str, tid: int, rng: random.Random, typed: bool) -> Question | None:
        year = self._year_of(tid)
        if year is None:
            return None
        tense = "did" if year <= self.this_year else "does"
        text = f"In which year {tense} **{self._title(tid)}** come out?"
        if typed:
            return _typed(key, text, (str(year),), "year")
        taken = {year}
        for g in self._namesakes_of(tid):
            taken |= self.snap.release_years.get(g, set())
            if self.snap.titles[g][1]:
                taken.add(self.snap.titles[g][1])
        below = [y for y in range(year - 1, year - 8, -1) if y not in taken]
        above = [y for y in range(year + 1, year + 8) if y not in taken]
        n_below = rng.randint(0, WRONG_CHOICES)
        wrong = below[:n_below] + above[: WRONG_CHOICES - n_below]
        if len(wrong) < WRONG_CHOICES:
            return None
        choices = sorted([year, *wrong])
        return Question(
            key,
            text,
            (str(year),),
            tuple(str(c) for c in choices),
            choices.index(year),
            "year",
            STORE_SOURCE,
        )

    def _known_for(self, key: str, pid: int, rng: random.Random, typed: bool) -> Question | None:
        name = self.snap.people[pid]
        truth = self.known_for[pid]
        if typed:
            return _typed(key, f"What is **{name}** known for?", sorted(truth), "known_for")
        # Buttons only for answers the store can place: four films, or four series.
        placed = [k for k in sorted(truth) if self._known_kind(k) in ("film", "series")]
        if not placed or pid not in self.real_people:
            return None
        answer = rng.choice(placed)
        kind = self._known_kind(answer)
        # Nothing this person is known for or credited in may appear as a wrong choice.
        excluded = {answer_key(k) for k in truth}
        excluded |= {answer_key(self._title(t)) for t in self.person_titles[pid]}
        pool: list[tuple[str, int | None]] = [
            (k, self.snap.known_for_kinds[normalize_key(k)][1])
            for other, ks in self.known_for.items()
            if other != pid
            for k in ks
            if self._known_kind(k) == kind
        ]
        pool += [
            (self._title(t), self.era.get(t)) for t in self.snap.titles if self._noun(t) == kind
        ]
        era = self.snap.known_for_kinds[normalize_key(answer)][1]
        wrong = _pick(pool, era, excluded, rng)
        text = f"Which {kind} is **{name}** known for?"
        return _choice(key, text, answer, (answer,), wrong, rng, "known_for")

    # -- helpers ------------------------------------------------------------------

    def _title(self, tid: int) -> str:
        return self.snap.titles[tid][0]

    def _noun(self, tid: int) -> str:
        """'film', 'series' or 'episode': what a question calls this title."""
        return noun(self.snap.kinds.get(tid))

    def _known_kind(self, text: str) -> str | None:
        """'film' or 'series' when a "known for" text names a title of one kind, 'company'
        when it names a company, None when the store does not know it."""
        found = self.snap.known_for_kinds.get(normalize_key(text))
        if found is None:
            return None
        return "company" if found[0] == "company" else noun(found[0])

    def _namesakes_of(self, tid: int) -> set[int]:
        return self.namesakes[answer_key(self._title(tid))]

    def _people_in_role(self, tid: int, role: str) -> set[int]:
        found: set[int] = set()
        for g in self._namesakes_of(tid):
            found |= self.roles.get((g, role), set())
        return {p for p in found if p in self.snap.people}

    def _cast_keys(self, tid: int) -> set[str]:
        """Name keys of everyone who acted in this title or a namesake (cached)."""
        if tid not in self._cast_cache:
            names = self._names(self._people_in_role(tid, "actor"))
            self._cast_cache[tid] = {answer_key(n) for n in names}
        return self._cast_cache[tid]

    def _people_on(self, tid: int) -> set[int]:
        found: set[int] = set()
        for g in self._namesakes_of(tid):
            found |= self.on_title.get(g, set())
        return found

    def _names(self, people: Iterable[int]) -> list[str]:
        return sorted(self.snap.people[p] for p in people if p in self.snap.people)

    def _people_with_role(self, role: str, *, exclude: set[int]) -> list[tuple[str, int | None]]:
        """(name, era) of everyone credited in `role` elsewhere, minus `exclude`."""
        pool: list[tuple[str, int | None]] = []
        for (tid, r), people in self.roles.items():
            if r != role:
                continue
            for pid in people:
                if pid not in exclude and pid in self.real_people:
                    pool.append((self.snap.people[pid], self.era.get(tid)))
        return pool

    def _year_of(self, tid: int) -> int | None:
        """The year a title comes out, when the store is unambiguous about it."""
        group = self._namesakes_of(tid)
        if len(group) > 1:
            return None  # "In which year did Dune come out?" has two answers
        year = self.snap.titles[tid][1]
        if year:
            return year
        years = self.snap.release_years.get(tid, set())
        return next(iter(years)) if len(years) == 1 else None


def _pick(
    pool: Iterable[tuple[str, int | None]],
    era: int | None,
    excluded: set[str],
    rng: random.Random,
) -> list[str] | None:
    """Three distinct wrong choices, none matching an excluded key, nearest in era first."""
    best: dict[str, tuple[int, str]] = {}
    for label, year in pool:
        k = answer_key(label)
        if not k or k in excluded:
            continue
        distance = abs(year - era) if year is not None and era is not None else _FAR
        if k not in best or distance < best[k][0]:
            best[k] = (distance, label)
    if len(best) < WRONG_CHOICES:
        return None
    ranked = sorted(best.values(), key=lambda d: (d[0], rng.random()))
    nearest = ranked[: max(NEAREST, WRONG_CHOICES)]
    return [label for _d, label in rng.sample(nearest, WRONG_CHOICES)]


def _choice(
    key: str,
    text: str,
    answer: str,
    accepted: Iterable[str],
    wrong: list[str] | None,
    rng: random.Random,
    kind: str,
) -> Question | None:
    if wrong is None:
        return None
    return shuffled_question(key, text, tuple(accepted), wrong, rng, kind=kind, answer=answer)


def _typed(key: str, text: str, accepted: Iterable[str], kind: str) -> Question | None:
    answers = tuple(dict.fromkeys(a for a in accepted if a))
    return Question(key, text, answers, kind=kind) if answers else None


def shuffled_question(
    key: str,
    text: str,
    accepted: tuple[str, ...],
    wrong: list[str],
    rng: random.Random,
    *,
    kind: str,
    source: str = STORE_SOURCE,
    answer: str | None = None,
) -> Question | None:
    """A buttons question: the right answer among `wrong`, in random order, all distinct."""
    answer = answer or accepted[0]
    choices = [answer, *wrong]
    if len({answer_key(c) for c in choices}) != len(choices):
        return None
    rng.shuffle(choices)
    ordered = (answer, *(a for a in accepted if a != answer))
    return Question(key, text, ordered, tuple(choices), choices.index(answer), kind, source)
