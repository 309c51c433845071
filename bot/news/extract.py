"""Heuristic fact extraction from film news articles.

Pure functions over text: no database, no Discord, no downloaded models. The
extractor reads cue phrases that film journalism uses everywhere ("directed by
X", "stars A, B and C", "X has joined the cast of Y as Z", "will debut in
theaters on <date>") and resolves the forms a person takes across an article
("Jon X", "Jonathan X", "X") to one name. People are only reported when a
cue gives them a role, which keeps outlets, events and franchise names out.

Catalog hints (`known_people`, `known_titles`) widen what counts as a name or a
title span, but cues still decide roles and which film the article is about:
a catalog that knows every capitalised phrase must not turn them all into facts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass, field

from bot.news.cues import (
    COMPANY_SUFFIXES,
    GENERIC_TITLE_HEADS,
    JOIN_CUES,
    NEW_WORDS,
    OUTLET_INDEX,
    POST_INDEX,
    PRE_INDEX,
    RETURN_WORDS,
    STUDIO_POST_INDEX,
    STUDIO_PRE_INDEX,
    TITLE_NEG_INDEX,
    TITLE_POST_INDEX,
    TITLE_PRE_INDEX,
    cues_at,
    cues_before,
    ends_at,
    matches,
)
from bot.news.names import (
    INSTITUTION_WORDS,
    MONTHS,
    PARTICLES,
    ROLE_WORDS,
    STOP_CAPS,
    STUDIO_SUFFIXES,
    WEEKDAYS,
    PersonIndex,
    Token,
    is_name_word,
    name_text,
    parse_name,
    parse_name_back,
    strip_possessive,
)
from bot.news.releases import REGION_WORDS, ReleaseFact, production_facts, releases_for
from bot.news.spans import (
    Hit,
    Matcher,
    Sentence,
    parenthetical,
    parse_character,
    parse_title,
    prepare,
    title_spans,
)
from bot.news.summarize import summarize

__all__ = [
    "Extraction",
    "FilmFact",
    "PersonFact",
    "ReleaseFact",
    "candidate_names",
    "extract",
]


@dataclass(frozen=True)
class PersonFact:
    name: str
    aliases: tuple[str, ...]
    role: str  # "actor" | "director" | "writer" | "producer"
    character: str | None
    known_for: str | None
    status: str | None  # "returning" | "new" | None
    billing: int  # 1-based order of first mention among this film's people of that role


@dataclass(frozen=True)
class FilmFact:
    title: str
    aliases: tuple[str, ...]
    studios: tuple[str, ...]
    people: tuple[PersonFact, ...]
    releases: tuple[ReleaseFact, ...]
    facts: tuple[str, ...]


@dataclass(frozen=True)
class Extraction:
    films: tuple[FilmFact, ...]
    summary: str


# --- people -------------------------------------------------------------------


class _PeopleFinder:
    def __init__(self, people: Matcher) -> None:
        self.people = people
        self.hits: list[Hit] = []
        self.known_for: dict[str, str] = {}
        self.characters: set[str] = set()

    def name_at(self, sent: Sentence, i: int) -> int:
        end = self.people.match(sent.tokens, i) if self.people else i
        return max(end, parse_name(sent.tokens, i))

    def run(self, sent: Sentence) -> None:
        toks = sent.tokens
        for i in range(len(toks)):
            if sent.in_parens[i]:
                continue
            self._pre(sent, i)
            self._post(sent, i)
        self._credits(sent)

    def _credits(self, sent: Sentence) -> None:
        toks = sent.tokens
        i = 0
        while i < len(toks):
            j = self.name_at(sent, i)
            if j > i:
                credit, _ = parenthetical(sent, j)
                if credit:
                    self.known_for.setdefault(name_text(toks, i, j, sent.text), credit)
                i = j
            else:
                i += 1

    def _status_near(self, toks: list[Token], i: int, default: str | None) -> str | None:
        """ "returning stars", "New cast members include": the word right before a cue."""
        if default:
            return default
        before = {t.low for t in toks[max(0, i - 1) : i]}
        if before & RETURN_WORDS:
            return "returning"
        if before & NEW_WORDS:
            return "new"
        return None

    def _pre(self, sent: Sentence, i: int) -> None:
        toks = sent.tokens
        for phrase, roles, status in PRE_INDEX.get(toks[i].low, ()):
            if not matches(toks, i, phrase):
                continue
            capitalised = toks[i].is_cap
            if capitalised and i > 0 and toks[i - 1].text not in '"“‘(':
                return  # a capitalised cue word mid-sentence is part of a name or title
            start = i + len(phrase)
            if phrase[-1] in ("stars", "star") and not self._name_follows(sent, start):
                return
            st = self._status_near(toks, i, status) if "actor" in roles else None
            self._list(sent, start, roles, st, strict=capitalised)
            return

    def _name_follows(self, sent: Sentence, j: int) -> bool:
        toks = sent.tokens
        while j < len(toks) and toks[j].low in {"actor", "actress", "newcomer"}:
            j += 1
        return self.name_at(sent, j) > j

    def _list(
        self, sent: Sentence, j: int, roles: tuple[str, ...], status: str | None, strict: bool
    ) -> None:
        """Names separated by commas and "and", each optionally "(Credit)" and "as Role"."""
        toks = sent.tokens
        n = len(toks)
        items = 0
        after_and = False
        while j < n:
            while j < n and toks[j].low in {"actor", "actress", "newcomer", "star"}:
                j += 1
            end = self.name_at(sent, j)
            if end == j:
                return
            if end < n and toks[end].is_cap and toks[end].is_word:
                return  # "Sony Pictures", "Cannes Film Festival": part of a larger name
            form = name_text(toks, j, end, sent.text)
            single = end - j == 1
            if single and strict:
                return
            character = None
            k = end
            if not toks[end - 1].text.endswith(("'s", "’s")):
                credit, k = parenthetical(sent, k)
                if credit:
                    self.known_for.setdefault(form, credit)
                if k < n and toks[k].low == "as":
                    character, k2 = parse_character(sent, k + 1)
                    k = k2 if character else k
            for role in roles:
                char = character if role == "actor" else None
                self.hits.append(Hit(form, role, (sent.index, j), status, char))
            if character:
                self.characters.add(character)
            if (
                items
                and not after_and
                and k < n
                and toks[k].text not in ',.;:!?)"”'
                and toks[k].low not in {"and", "&", "as"}
            ):
                del self.hits[-len(roles) :]  # ", Outlet reports": not an item
                return
            items += 1
            after_and = False
            if k < n and toks[k].text == ",":
                k += 1
            if k < n and toks[k].low in {"and", "&"}:
                after_and = True
                k += 1
            elif k < n and matches(toks, k, ("as", "well", "as")):
                k += 3
            elif k == end or toks[k - 1].text != ",":
                return
            j = k

    def _post(self, sent: Sentence, i: int) -> None:
        toks = sent.tokens
        for phrase, role, status, takes_char in POST_INDEX.get(toks[i].low, ()):
            if not matches(toks, i, phrase):
                continue
            if toks[i].is_cap:
                return
            after = i + len(phrase)
            # "X stars A" introduces a list; "X stars as Z" describes X.
            if phrase[-1] in ("star", "stars") and self._name_follows(sent, after):
                return
            subject = self._subject_before(sent, i)
            if subject is None:
                return
            s_start, s_end = subject
            if phrase[0] in JOIN_CUES and not self._cast_nearby(toks, i):
                return
            form = name_text(toks, s_start, s_end, sent.text)
            character = None
            if takes_char:
                character, _ = parse_character(sent, after)
            elif role == "actor":
                character = self._as_character(sent, after)
            if character:
                self.characters.add(character)
            self.hits.append(
                Hit(form, role, (sent.index, s_start), status, character, mononym_ok=True)
            )
            return

    @staticmethod
    def _cast_nearby(toks: list[Token], j: int) -> bool:
        window = {t.low for t in toks[j : j + 8]}
        return bool(window & {"cast", "ensemble", "as", "film", "movie", "sequel", "lineup"})

    def _as_character(self, sent: Sentence, j: int) -> str | None:
        """ "... the cast of Y as Z" / "reprises her role as Z": the Z."""
        toks = sent.tokens
        for k in range(j, min(len(toks), j + 30)):
            if toks[k].text in ".;":
                return None
            if toks[k].low == "as" and not ends_at(toks, k, ("such",)):
                if k + 2 < len(toks) and matches(toks, k, ("as", "well", "as")):
                    return None
                char, _ = parse_character(sent, k + 1)
                return char
        return None

    def _subject_before(self, sent: Sentence, i: int) -> tuple[int, int] | None:
        """The person a post-cue describes: right before it, before a "(Credit)",
        or the sentence subject before a ", who ...," clause."""
        toks = sent.tokens
        end = i
        if end > 0 and toks[end - 1].low == "also":
            end -= 1
        if end > 1 and toks[end - 1].low == "who" and toks[end - 2].text == ",":
            end -= 2  # "X, who also wrote the script"
        if end > 0 and toks[end - 1].text == ")":
            k = end - 1
            while k > 0 and toks[k].text != "(" and end - k < 30:
                k -= 1
            if toks[k].text == "(":
                end = k
        if end > 0 and toks[end - 1].text == ",":
            k = end - 2
            while k > 0 and toks[k].text != "," and end - k < 40:
                k -= 1
            if (
                k > 0
                and toks[k].text == ","
                and k + 1 < len(toks)
                and toks[k + 1].low in {"who", "whose", "best", "known", "fresh", "last", "most"}
            ):
                end = k
        if end < i and end > 0 and toks[end - 1].text == ")":
            k = end - 1
            while k > 0 and toks[k].text != "(":
                k -= 1
            end = k
        start = parse_name_back(toks, end)
        if start == end and self.people:
            for s in range(max(0, end - 6), end):
                if self.people.match(toks, s) == end:
                    start = s
                    break
        if start == end:
            return None
        # A known (catalog) name may begin earlier than the grammar allows.
        return start, end


def _outlets(sentences: list[Sentence]) -> set[str]:
    found: set[str] = set()
    for sent in sentences:
        toks = sent.tokens
        for i in range(len(toks)):
            for phrase in cues_at(toks, i, OUTLET_INDEX):
                j = i + len(phrase)
                if j < len(toks) and toks[j].is_cap:
                    end = parse_title(toks, j)
                    found.add(strip_possessive(sent.span(j, end)))
    return found


# --- main entry points -------------------------------------------------------


def candidate_names(body: str) -> list[str]:
    """Capitalised spans worth checking against the catalog (people and titles).

    Maximal Title Case spans, their colon/dash segments, name-shaped spans and
    credits in parentheses, in order of first appearance, without duplicates.
    Capped at 5,000 entries so a huge article cannot flood the catalog lookup.
    """
    seen: dict[str, None] = {}

    def add(text: str) -> None:
        text = strip_possessive(text.strip(" ,;:–—-"))
        if len(text) > 1 and text not in seen and len(seen) < 5000:
            seen[text] = None

    for sent in prepare(body):
        toks = sent.tokens
        for i, j in title_spans(sent, Matcher(())):
            add(sent.span(i, j))
            cut = i
            for k in range(i, j):
                if toks[k].text in (":", "–", "—", "-", "&") and not toks[k].is_word:
                    add(sent.span(cut, k))
                    cut = k + 1
            if cut > i:
                add(sent.span(cut, j))
        i = 0
        while i < len(toks):
            j = parse_name(toks, i)
            if j > i:
                add(name_text(toks, i, j, sent.text))
                i = j
            else:
                i += 1
        for i, tok in enumerate(toks):
            if tok.text == "(":
                credit, _ = parenthetical(sent, i)
                if credit:
                    add(credit)
        if len(seen) >= 5000:
            break
    return list(seen)


def extract(
    body: str,
    published: dt.date,
    *,
    known_people: Collection[str] = (),
    known_titles: Collection[str] = (),
) -> Extraction:
    """Extract the film(s) an article is about, their people, releases and facts."""
    sentences = prepare(body)
    summary = summarize(body)
    people_matcher = Matcher(known_people)
    title_matcher = Matcher(known_titles)
    outlets = _outlets(sentences)

    finder = _PeopleFinder(people_matcher)
    for sent in sentences:
        finder.run(sent)

    # Every name-shaped span registers a form; cue hits decide who is a person.
    index = PersonIndex()
    first_seen: dict[str, tuple[int, int]] = {}
    for sent in sentences:
        toks = sent.tokens
        i = 0
        while i < len(toks):
            j = finder.name_at(sent, i)
            if j > i and not sent.in_parens[i]:
                form = name_text(toks, i, j, sent.text)
                if form not in outlets:
                    index.add(form)
                    first_seen.setdefault(form, (sent.index, i))
                i = j
            else:
                i += 1
    for hit in finder.hits:
        index.add(hit.form)

    known_for_texts = set(finder.known_for.values())
    blocked = outlets | known_for_texts | finder.characters
    studios = _studios(sentences, title_matcher, outlets)
    blocked |= set(studios)

    # Resolve hits to people.
    persons: dict[tuple[str, str], dict[str, object]] = {}
    forms_of: dict[str, set[str]] = {}
    for hit in finder.hits:
        if hit.form in blocked:
            continue
        person = index.resolve(hit.form)
        if person is not None:
            canonical = person.name
        elif len(hit.form.split()) == 1 and not (
            hit.form in people_matcher.names or hit.mononym_ok
        ):
            continue
        else:
            canonical = hit.form
        if canonical in blocked or any(w.lower() in REGION_WORDS for w in canonical.split()):
            continue
        key = (canonical, hit.role)
        rec = persons.setdefault(key, {"pos": hit.pos, "status": None, "character": None})
        rec["pos"] = min(rec["pos"], hit.pos)  # type: ignore[type-var]
        if hit.status and not rec["status"]:
            rec["status"] = hit.status
        if hit.character and not rec["character"] and hit.character != canonical:
            rec["character"] = hit.character
        forms_of.setdefault(canonical, set()).add(hit.form)

    # Forms, first mention and known-for per person.
    person_forms: dict[str, set[str]] = {}
    for canonical in forms_of:
        p = index.resolve(canonical)
        forms = set(p.forms) if p else {canonical}
        forms |= forms_of[canonical]
        person_forms[canonical] = forms
    surname_seen = _surname_mentions(sentences, person_forms)
    for canonical, forms in person_forms.items():
        forms |= surname_seen.get(canonical, set())

    person_names = {f for forms in person_forms.values() for f in forms}
    films = _films(sentences, title_matcher, person_names | blocked, outlets)
    if not films:
        return Extraction(films=(), summary=summary)

    primary = films[0][0]
    people_facts: list[PersonFact] = []
    by_role: dict[str, list[tuple[tuple[int, int], str, dict[str, object]]]] = {}
    for (canonical, role), rec in persons.items():
        first = min(
            [first_seen[f] for f in person_forms[canonical] if f in first_seen] + [rec["pos"]]  # type: ignore[list-item]
        )
        by_role.setdefault(role, []).append((first, canonical, rec))
    for role in ("actor", "director", "writer", "producer"):
        for billing, (_, canonical, rec) in enumerate(sorted(by_role.get(role, [])), 1):
            aliases = tuple(
                sorted(
                    (f for f in person_forms[canonical] if f != canonical),
                    key=lambda f: (-len(f), f),
                )
            )
            known_for = next(
                (finder.known_for[f] for f in [canonical, *aliases] if f in finder.known_for),
                None,
            )
            people_facts.append(
                PersonFact(
                    name=canonical,
                    aliases=aliases,
                    role=role,
                    character=rec["character"],  # type: ignore[arg-type]
                    known_for=known_for,
                    status=rec["status"],  # type: ignore[arg-type]
                    billing=billing,
                )
            )

    titles = [t for t, _ in films]
    film_facts: list[FilmFact] = []
    for title, aliases in films:
        own = title == primary
        releases = releases_for(sentences, published, titles, title, own)
        facts = production_facts(sentences, published, titles, title, own)
        film_facts.append(
            FilmFact(
                title=title,
                aliases=aliases,
                studios=tuple(studios) if own else (),
                people=tuple(people_facts) if own else (),
                releases=releases,
                facts=facts,
            )
        )
    return Extraction(films=tuple(film_facts), summary=summary)


def _surname_mentions(
    sentences: list[Sentence], person_forms: dict[str, set[str]]
) -> dict[str, set[str]]:
    """Bare surnames used in the text for people with a multi-word name."""
    by_surname: dict[str, list[str]] = {}
    for canonical in person_forms:
        words = canonical.split()
        if len(words) > 1:
            by_surname.setdefault(words[-1], []).append(canonical)
    out: dict[str, set[str]] = {}
    for sent in sentences:
        toks = sent.tokens
        for i, tok in enumerate(toks):
            word = strip_possessive(tok.text)
            owners = by_surname.get(word)
            if not owners or len(owners) != 1:
                continue
            prev_cap = i > 0 and (is_name_word(toks[i - 1]) or toks[i - 1].low in PARTICLES)
            next_cap = i + 1 < len(toks) and is_name_word(toks[i + 1])
            if not prev_cap and not next_cap:
                out.setdefault(owners[0], set()).add(word)
    return out


def _studios(sentences: list[Sentence], titles: Matcher, outlets: set[str]) -> list[str]:
    found: dict[str, None] = {}
    for sent in sentences:
        toks = sent.tokens
        for i, j in title_spans(sent, titles):
            text = strip_possessive(sent.span(i, j))
            if text in outlets or j - i < 1:
                continue
            last = toks[j - 1].low.rstrip("'s").rstrip("’s") if j > i else ""
            if (j - i >= 2 and last in COMPANY_SUFFIXES) or (
                j - i >= 2 and toks[j - 1].low in COMPANY_SUFFIXES
            ):
                found.setdefault(text, None)
                continue
            if cues_before(toks, i, STUDIO_PRE_INDEX) and not toks[i - 1].is_cap:
                found.setdefault(text, None)
                continue
            at_start = i == 0 or toks[i - 1].text in '"“('
            if (
                at_start
                and j - i <= 3
                and cues_at(toks, j, STUDIO_POST_INDEX)
                and all(
                    t.low not in MONTHS and not any(c.isdigit() for c in t.text) for t in toks[i:j]
                )
            ):
                found.setdefault(text, None)
    return list(found)


@dataclass
class _TitleCand:
    text: str
    score: float = 0.0
    cues: int = 0
    count: int = 0
    first: tuple[int, int] = (1 << 30, 0)
    sentences: set[int] = field(default_factory=set)


def _is_generic_title(words: list[Token]) -> bool:
    lows = [t.low for t in words]
    if all(
        w in STOP_CAPS or w in MONTHS or w in WEEKDAYS or w in ROLE_WORDS or w.isdigit()
        for w in lows
    ):
        return True
    if lows[0] in MONTHS or lows[0] in WEEKDAYS:
        return True
    if lows[0] in GENERIC_TITLE_HEADS and len(lows) <= 2:
        return True
    if any(w in REGION_WORDS for w in lows) and all(
        w in REGION_WORDS or w in STOP_CAPS for w in lows
    ):
        return True
    return lows[-1] in INSTITUTION_WORDS or lows[-1] in STUDIO_SUFFIXES


def _films(
    sentences: list[Sentence], titles: Matcher, excluded: set[str], outlets: set[str]
) -> list[tuple[str, tuple[str, ...]]]:
    """The film(s) the article is about, each with the shorter forms it uses."""
    cands: dict[str, _TitleCand] = {}
    for sent in sentences:
        toks = sent.tokens
        for i, j in title_spans(sent, titles):
            text = strip_possessive(sent.span(i, j))
            if text in excluded or text in outlets or _is_generic_title(toks[i:j]):
                continue
            known = text in titles.names
            cand = cands.setdefault(text, _TitleCand(text))
            cand.count += 1
            cand.first = min(cand.first, (sent.index, i))
            cand.sentences.add(sent.index)
            cues = len(cues_before(toks, i, TITLE_PRE_INDEX)) + len(
                cues_at(toks, j, TITLE_POST_INDEX)
            )
            neg = len(cues_before(toks, i, TITLE_NEG_INDEX))
            if i >= 1 and toks[i - 1].is_digit:  # "2019's Title"
                neg += 1
            cand.cues += cues
            cand.score += 1 + 2 * cues - 3 * neg + (0.5 if known else 0)
    if not cands:
        return []
    # Fold shorter forms into the longer title they are part of.
    ordered = sorted(cands.values(), key=lambda c: -len(c.text))
    absorbed: dict[str, str] = {}
    aliases: dict[str, list[str]] = {}
    for long_c in ordered:
        if long_c.text in absorbed:
            continue
        segs = _segments(long_c.text)
        for short in ordered:
            if short is long_c or short.text in absorbed or len(short.text) >= len(long_c.text):
                continue
            rel = _relation(short.text, long_c.text, segs)
            if rel is None:
                continue
            absorbed[short.text] = long_c.text
            long_c.score += 0.5 * max(0.0, short.score)
            long_c.cues += short.cues
            long_c.sentences |= short.sentences
            if rel == "alias":
                aliases.setdefault(long_c.text, []).append(short.text)
    live = [c for c in cands.values() if c.text not in absorbed]
    for c in live:
        if len(c.text.split()) == 1 and c.cues == 0:
            c.score = 0
        if c.cues == 0 and c.count < 2:
            c.score = 0
        if ":" in c.text or "–" in c.text or any(ch.isdigit() for ch in c.text):
            c.score += 0.5
    live = [c for c in live if c.score >= 2]
    if not live:
        return []
    live.sort(key=lambda c: (-c.score, c.first))
    best = live[0]
    chosen = [best]
    for c in live[1:]:
        if c.cues >= 2 and c.score >= max(4.0, 0.6 * best.score):
            chosen.append(c)
    return [(c.text, tuple(sorted(aliases.get(c.text, []), key=len))) for c in chosen]


def _segments(title: str) -> list[str]:
    return [s.strip() for s in re.split(r"\s*[:–—]\s+|\s+-\s+", title) if s.strip()]


def _relation(short: str, long_: str, segs: list[str]) -> str | None:
    """How a shorter span relates to a title: "alias" (a distinctive later part),
    "part" (franchise prefix or generic suffix), or None (unrelated)."""
    if len(segs) > 1:
        for seg in segs[1:]:
            if short == seg or (seg.startswith(short + " ") and len(short.split()) >= 1):
                head = short.split()[0].lower()
                return "part" if head in GENERIC_TITLE_HEADS else "alias"
    if long_.startswith(short) and long_[len(short) : len(short) + 1] in (" ", ":", ""):
        return "part"
    if long_.endswith(" " + short):
        return "part"
    return None
