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
    AUX_WORDS,
    COMPANY_POST_INDEX,
    COMPANY_SUFFIXES,
    DESCRIPTOR_NOUNS,
    DESCRIPTOR_SUFFIXES,
    DESCRIPTOR_WORDS,
    FILM_NOUNS,
    GENERIC_TITLE_HEADS,
    GENRE_NOUNS,
    JOIN_CUES,
    LIST_ONLY,
    NEEDS_FILM_NOUN,
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
from bot.news.focus import Focus
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
            if sent.skipped(i):
                continue
            self._pre(sent, i)
            self._post(sent, i)
        self._credits(sent)
        self._role_parens(sent)
        for s, e in sent.owners.values():
            # "Name's Title": the house style for a director's film; weak, because an
            # actor's vehicle is written the same way.
            form = name_text(toks, s, e, sent.text)
            self.hits.append(Hit(form, "director", (sent.index, s), weak=True))

    def _role_parens(self, sent: Sentence) -> None:
        """ "follows a widowed artist (Jane Roe)": a role described, then who plays it.

        The reverse of "Jane Roe (Known Credit)": here the word before the
        parenthesis is lower case and the parenthesis holds a full person name.
        """
        toks = sent.tokens
        plot = _PLOT_CUE.search(sent.text) if "(" in sent.text else None
        if plot is None:
            return
        for k, tok in enumerate(toks):
            if tok.text != "(" or k == 0 or sent.in_parens[k - 1]:
                continue
            prev = toks[k - 1]
            if not prev.is_word or prev.is_cap or prev.low in ROLE_WORDS:
                continue
            e = parse_name(toks, k + 1)
            if e - (k + 1) < 2 or e >= len(toks) or toks[e].text != ")":
                continue
            if plot.start() >= tok.start:
                continue
            self.hits.append(
                Hit(name_text(toks, k + 1, e, sent.text), "actor", (sent.index, k + 1))
            )

    def _credits(self, sent: Sentence) -> None:
        toks = sent.tokens
        i = 0
        while i < len(toks):
            if sent.skipped(i):
                i += 1
                continue
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
        if toks[i].low == "from" and i > 0 and toks[i - 1].low in GENRE_NOUNS:
            # "a spy thriller from BAFTA winner X": the film's maker, full names only.
            self._list(sent, i + 1, ("director",), None, strict=True)
            return
        for phrase, roles, status in PRE_INDEX.get(toks[i].low, ()):
            if not matches(toks, i, phrase):
                continue
            capitalised = toks[i].is_cap
            if capitalised and i > 0 and toks[i - 1].text not in '"“‘(':
                return  # a capitalised cue word mid-sentence is part of a name or title
            start = i + len(phrase)
            if phrase[-1] in ("stars", "star") and not self._name_follows(sent, start):
                return
            if any(t.low in _FORMER for t in toks[max(0, i - 2) : i]):
                return  # "replacing first-film helmer X": someone else's credit
            if phrase[0] in ("played", "portrayed"):
                at = toks[start].start if start < len(toks) else len(sent.text)
                tail = sent.text[at : at + 160]
                if _OTHER_FILM_TAIL.search(re.split(r"[.;]", tail, maxsplit=1)[0]):
                    return  # "played by X in the 1990 original"
            if phrase in LIST_ONLY:
                self._list(sent, start, roles, None, strict=True, min_items=2)
                return
            if phrase[-1] in ("alongside", "opposite"):
                roles = _partner_roles(toks, i)
            st = self._status_near(toks, i, status) if "actor" in roles else None
            self._list(sent, start, roles, st, strict=capitalised)
            return

    def _name_follows(self, sent: Sentence, j: int) -> bool:
        toks = sent.tokens
        while j < len(toks) and toks[j].low in {"actor", "actress", "newcomer"}:
            j += 1
        j = self._skip_descriptor(sent, j)
        return self.name_at(sent, j) > j

    def _skip_descriptor(self, sent: Sentence, j: int) -> int:
        """Skip what describes a person before the name: "Oscar winner", "Emmy-nominated",
        "<Show> alum", "her brother", "the 34-year-old". Returns j unless a
        name follows the descriptor."""
        toks = sent.tokens
        n = len(toks)
        k = j
        for _ in range(3):
            start = k
            while k < n and toks[k].is_word and _descriptive(toks[k]):
                k += 1
            described = k > start
            e = k
            while e < n and e - k < 8 and _descriptor_span_word(toks[e], e > k):
                e += 1
            if e > k and e < n and toks[e].low in DESCRIPTOR_NOUNS and not toks[e].is_cap:
                k = e + 1
            elif described and k < n and toks[k].low in DESCRIPTOR_NOUNS and not toks[k].is_cap:
                k += 1  # "her brother", "the veteran"
            if k == start:
                break
        if k > j and self.name_at(sent, k) > k:
            return k
        return j

    def _list(
        self,
        sent: Sentence,
        j: int,
        roles: tuple[str, ...],
        status: str | None,
        strict: bool,
        min_items: int = 1,
    ) -> None:
        before = len(self.hits)
        if self._list_items(sent, j, roles, status, strict) < min_items:
            del self.hits[before:]

    def _list_items(
        self, sent: Sentence, j: int, roles: tuple[str, ...], status: str | None, strict: bool
    ) -> int:
        """Names separated by commas and "and", each optionally "(Credit)" and "as Role".
        Returns how many were found."""
        toks = sent.tokens
        n = len(toks)
        items = 0
        after_and = False
        while j < n:
            item_status = status
            while j < n and toks[j].low in {"actor", "actress", "newcomer", "star"}:
                if toks[j].low == "newcomer":
                    item_status = "new"
                j += 1
            j = self._skip_descriptor(sent, j)
            end = self.name_at(sent, j)
            if end == j:
                return items
            if end < n and toks[end].is_cap and toks[end].is_word:
                return items  # "Sony Pictures", "Cannes Film Festival": part of a larger name
            if end < n and toks[end].low in DESCRIPTOR_NOUNS:
                return items  # "X Award winner": the descriptor was not understood; skip
            form = name_text(toks, j, end, sent.text)
            single = end - j == 1
            if single and strict:
                return items
            if (
                single
                and end < n
                and toks[end].is_word
                and not toks[end].is_cap
                and toks[end].low not in {"and", "as", "&"}
            ):
                return items  # "stars Oscar winner ...": a word that describes, not a name
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
                self.hits.append(Hit(form, role, (sent.index, j), item_status, char))
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
                return items
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
                return items
            j = k
        return items

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
            if phrase in NEEDS_FILM_NOUN and not FILM_NOUNS & {
                t.low for t in toks[after : after + 3]
            }:
                continue
            subject = self._subject_before(sent, i, aux=phrase[0] in ("to", "will"))
            if subject is None:
                return
            s_start, s_end = subject
            if (
                phrase[0] == "to"
                and s_end == i
                and (s_start == 0 or toks[s_start - 1].low not in _HIRING)
            ):
                return  # "hard for X to direct kids": an infinitive, not a hire
            if role == "actor" and _NEGOTIATING & {t.low for t in toks[s_end:i]}:
                status = status or "new"  # "is in final negotiations to star": a new hire
            if (phrase[0] in JOIN_CUES or "join" in phrase) and not self._cast_nearby(toks, i):
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
                Hit(
                    form,
                    role,
                    (sent.index, s_start),
                    _newcomer(toks, s_start) or status,
                    character,
                    mononym_ok=True,
                )
            )
            for s2, e2 in _subjects_before(toks, s_start):  # "A, B and C co-star"
                self.hits.insert(
                    len(self.hits) - 1,
                    Hit(
                        name_text(toks, s2, e2, sent.text),
                        role,
                        (sent.index, s2),
                        _newcomer(toks, s2) or status,
                    ),
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

    def _subject_before(self, sent: Sentence, i: int, aux: bool = False) -> tuple[int, int] | None:
        """The person a post-cue describes: right before it, before a "(Credit)",
        or the sentence subject before a ", who ...," clause. With `aux`, words like
        "is in final talks" may stand between the person and the cue."""
        toks = sent.tokens
        end = i
        while aux and end > 0 and i - end < 6 and toks[end - 1].low in AUX_WORDS:
            if toks[end - 1].is_cap:
                break
            end -= 1
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


_PLOT_CUE = re.compile(
    r"\b(?:follows?|following|about|cent(?:er|re)s? on|story|plot|stars?|starring|plays?|"
    r"played|as an?|character|role|tells)\b",
    re.IGNORECASE,
)


# Verbs that put a person right before "to <verb>": "hired X to direct".
_HIRING = {"hired", "tapped", "signed", "chose", "picked", "enlisted", "recruited", "cast",
           "wants", "wanted", "asked", "approached", "brought", "tasked", "lined"}  # fmt: skip
# After "played by X": a credit on another film.
_OTHER_FILM_TAIL = re.compile(r"\b(?:original|first film|previous|earlier|(?:19|20)\d\d)\b")
_NEGOTIATING = {"talks", "negotiations", "tapped", "signed", "boarded", "cast"}
# Words before a role cue that make it a credit on another film.
_FORMER = {"replacing", "replaces", "replaced", "succeeding", "former", "original",
           "first-film", "previous", "late", "ex"}  # fmt: skip


def _descriptor_span_word(tok: Token, inside: bool) -> bool:
    """A word of the award, show or festival in "<Festival> Grand Prix d'Or winner X"."""
    if tok.is_word and tok.is_cap:
        return True
    if tok.text in '"“”':
        return True
    return inside and tok.is_word and (tok.low in _DESCRIPTOR_GLUE or "'" in tok.text)


_DESCRIPTOR_GLUE = {"of", "the", "de", "for", "and", "d'or", "d’or"}


def _newcomer(toks: list[Token], start: int) -> str | None:
    """ "newcomer Jane Roe": the person is new to the franchise."""
    return "new" if start > 0 and toks[start - 1].low in ("newcomer", "newcomers") else None


def _descriptive(tok: Token) -> bool:
    low = tok.low
    return low in DESCRIPTOR_WORDS or low.endswith(DESCRIPTOR_SUFFIXES) or tok.is_digit


def _partner_roles(toks: list[Token], i: int) -> tuple[str, ...]:
    """ "producing alongside X" makes X a producer; plain "alongside X" an actor."""
    for tok in toks[max(0, i - 3) : i]:
        if tok.low.startswith("produc"):
            return ("producer",)
        if tok.low.startswith("direct"):
            return ("director",)
        if tok.low.startswith(("writ", "wrote", "co-wr")):
            return ("writer",)
    return ("actor",)


def _subjects_before(toks: list[Token], start: int) -> list[tuple[int, int]]:
    """Full names listed before the subject at `start`: "A, B and" C."""
    out: list[tuple[int, int]] = []
    k = start
    while k > 1 and (toks[k - 1].low in _LIST_DESCRIPTORS or _descriptive(toks[k - 1])):
        k -= 1  # "and newcomer B"
    while k > 1 and toks[k - 1].low in ("and", "&", ","):
        end = k - 1
        if toks[end].low in ("and", "&") and end > 0 and toks[end - 1].text == ",":
            end -= 1
        s = parse_name_back(toks, end)
        if end - s < 2:
            break
        out.append((s, end))
        k = s
        while k > 1 and (toks[k - 1].low in _LIST_DESCRIPTORS or _descriptive(toks[k - 1])):
            k -= 1
    return out[::-1]


_LIST_DESCRIPTORS = {"newcomer", "newcomers", "actor", "actress", "star", "co-star"}


def _outlets(sentences: list[Sentence]) -> set[str]:
    found: set[str] = set()
    for sent in sentences:
        toks = sent.tokens
        for i in range(len(toks)):
            for phrase in cues_at(toks, i, OUTLET_INDEX):
                j = i + len(phrase)
                # "repped by CAA and Untitled Entertainment": every item of the list.
                while j < len(toks) and toks[j].is_cap:
                    end = parse_title(toks, j)
                    found.add(strip_possessive(sent.span(j, end)))
                    if end < len(toks) and toks[end].text == ",":
                        end += 1
                    if end >= len(toks) or toks[end].low not in ("and", "&"):
                        break
                    j = end + 1
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
    """Extract the films an article is about, their people, releases and facts."""
    sentences = prepare(body)
    summary = summarize(body)
    people_matcher = Matcher(known_people)
    title_matcher = Matcher(known_titles)
    for sent in sentences:
        sent.titles = title_spans(sent, title_matcher)
    outlets = _outlets(sentences)
    quoted = {
        strip_possessive(sent.span(i, j)) for sent in sentences for i, j in sent.quoted.items()
    }

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
            if j > i and not sent.skipped(i):
                form = name_text(toks, i, j, sent.text)
                if form not in outlets:
                    index.add(form)
                    first_seen.setdefault(form, (sent.index, i))
                i = j
            else:
                i += 1
    for hit in finder.hits:
        if hit.weak:
            hit.form = _known_tail(hit.form, hit.pos[0], first_seen)
        index.add(hit.form)

    known_for_texts = set(finder.known_for.values())
    blocked = outlets | known_for_texts | finder.characters
    studios = _studios(sentences, outlets)
    blocked |= set(studios)

    # Resolve hits to people.
    resolved: list[tuple[str, Hit]] = []
    forms_of: dict[str, set[str]] = {}
    for hit in finder.hits:
        if hit.form in blocked or hit.form in quoted:
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
        if (
            canonical in blocked
            or canonical in quoted
            or any(w.lower() in REGION_WORDS for w in canonical.split())
        ):
            continue
        resolved.append((canonical, hit))
        forms_of.setdefault(canonical, set()).add(hit.form)
    strong_roles = {(c, h.role) for c, h in resolved if not h.weak}
    strong_people = {c for c, _ in strong_roles}
    # A possessive ("Name's Title") names a director only when nothing says otherwise.
    resolved = [
        (c, h)
        for c, h in resolved
        if not h.weak or (c, h.role) in strong_roles or c not in strong_people
    ]

    # Forms, first mention and known-for per person.
    person_forms: dict[str, set[str]] = {}
    for canonical in forms_of:
        p = index.resolve(canonical)
        forms = set(p.forms) if p else {canonical}
        forms |= forms_of[canonical]
        person_forms[canonical] = forms
    surname_seen = _surname_mentions(sentences, person_forms, index)
    for canonical, forms in person_forms.items():
        forms |= surname_seen.get(canonical, set())

    person_names = {f for forms in person_forms.values() for f in forms}
    choice = _films(sentences, title_matcher, person_names | blocked, outlets)
    if not choice.films:
        return Extraction(films=(), summary=summary)
    films = choice.films
    primary = films[0][0]
    titles = [t for t, _ in films]
    focus = Focus(sentences, choice.owner_of, choice.subjects, primary)
    # A round-up also reports on films it gives only a line: keep those it says
    # something about (a person with a role, a release date).
    for title, aliases in choice.others[:_MAX_ASIDES]:
        if any(focus.at(*h.pos, near=_CREDIT_REACH) == title for _, h in resolved) or releases_for(
            sentences, published, title, focus
        ):
            films.append((title, aliases))
            titles.append(title)

    # Each hit belongs to the film its place in the text is about.
    persons: dict[tuple[str, str, str], dict[str, object]] = {}
    for canonical, hit in resolved:
        film = focus.at(*hit.pos, near=_CREDIT_REACH)
        if film not in titles:
            continue  # about a film the article only mentions
        key = (film, canonical, hit.role)
        rec = persons.setdefault(key, {"pos": hit.pos, "status": None, "character": None})
        rec["pos"] = min(rec["pos"], hit.pos)  # type: ignore[type-var]
        if hit.status and not rec["status"]:
            rec["status"] = hit.status
        if hit.character and not rec["character"] and hit.character != canonical:
            rec["character"] = hit.character

    by_film: dict[str, list[PersonFact]] = {}
    by_role: dict[tuple[str, str], list[tuple[tuple[int, int], str, dict[str, object]]]] = {}
    for (film, canonical, role), rec in persons.items():
        first = rec["pos"]
        if len(films) == 1:
            first = min(
                [first_seen[f] for f in person_forms[canonical] if f in first_seen] + [first]  # type: ignore[list-item]
            )
        by_role.setdefault((film, role), []).append((first, canonical, rec))  # type: ignore[arg-type]
    for film in titles:
        for role in ("actor", "director", "writer", "producer"):
            ranked = sorted(by_role.get((film, role), []))
            for billing, (_, canonical, rec) in enumerate(ranked, 1):
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
                by_film.setdefault(film, []).append(
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

    film_facts: list[FilmFact] = []
    for title, aliases in films:
        film_facts.append(
            FilmFact(
                title=title,
                aliases=aliases,
                studios=tuple(s for s, pos in studios.items() if focus.at(*pos) == title),
                people=tuple(by_film.get(title, ())),
                releases=releases_for(sentences, published, title, focus),
                facts=production_facts(sentences, published, title, focus),
            )
        )
    return Extraction(films=tuple(film_facts), summary=summary)


def _known_tail(form: str, sentence: int, first_seen: dict[str, tuple[int, int]]) -> str:
    """In a Title Case headline "White Boards Jane Roe's ..." the owner's name is
    the longest tail of the span that the article uses elsewhere, if any."""
    if form in first_seen and first_seen[form][0] != sentence:
        return form
    words = form.split()
    for k in range(1, len(words) - 1):
        tail = " ".join(words[k:])
        if tail in first_seen and first_seen[tail][0] != sentence:
            return tail
    return form


def _surname_mentions(
    sentences: list[Sentence], person_forms: dict[str, set[str]], index: PersonIndex
) -> dict[str, set[str]]:
    """Bare surnames used in the text for people with a multi-word name, unless
    another full name in the text shares the surname (siblings, spouses)."""
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
            if not owners or len(owners) != 1 or index.resolve(word) is None:
                continue
            prev_cap = i > 0 and (is_name_word(toks[i - 1]) or toks[i - 1].low in PARTICLES)
            next_cap = i + 1 < len(toks) and is_name_word(toks[i + 1])
            if not prev_cap and not next_cap:
                out.setdefault(owners[0], set()).add(word)
    return out


def _studios(sentences: list[Sentence], outlets: set[str]) -> dict[str, tuple[int, int]]:
    """Companies named with a company cue, each with where it was first cued."""
    found: dict[str, tuple[int, int]] = {}
    for sent in sentences:
        toks = sent.tokens
        for i, j in sent.titles:
            text = strip_possessive(sent.span(i, j))
            if text in outlets or j - i < 1 or i in sent.quoted:
                continue
            last = toks[j - 1].low.rstrip("'s").rstrip("’s") if j > i else ""
            if (j - i >= 2 and last in COMPANY_SUFFIXES) or (
                j - i >= 2 and toks[j - 1].low in COMPANY_SUFFIXES
            ):
                found.setdefault(text, (sent.index, i))
                continue
            if (
                i >= 2
                and toks[i - 1].low == "from"
                and toks[i - 2].low in GENRE_NOUNS
                and parse_name(toks, i) < j
                and not (j < len(toks) and toks[j].low in DESCRIPTOR_NOUNS)  # "BAFTA winner X"
            ):
                # "an adventure drama from X24": a maker that is not name-shaped is a company.
                found.setdefault(text, (sent.index, i))
                continue
            if cues_before(toks, i, STUDIO_PRE_INDEX) and (i == 1 or not toks[i - 1].is_cap):
                found.setdefault(text, (sent.index, i))
                continue
            # The subject of its sentence (or of the clause after "Meanwhile,").
            at_start = i == 0 or toks[i - 1].text in '"“(' or (i == 2 and toks[1].text == ",")
            if (
                at_start
                and j - i <= 3
                and (
                    cues_at(toks, j, STUDIO_POST_INDEX)
                    or _handles_distribution(toks, j)
                    or (cues_at(toks, j, COMPANY_POST_INDEX) and parse_name(toks, i) < j)
                )
                and all(t.low not in MONTHS and not t.text.isdigit() for t in toks[i:j])
            ):
                found.setdefault(text, (sent.index, i))
    return found


def _handles_distribution(toks: list[Token], j: int) -> bool:
    """ "X handles U.S. distribution", "X is handling the release"."""
    if j >= len(toks) or toks[j].low not in ("handles", "handling"):
        return False
    return any(t.low in ("distribution", "release", "rights") for t in toks[j + 1 : j + 4])


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


# How close a quoted title of another work must stand before a person to claim them:
# ""Title" director X", not "..., which follows "Title," stars X".
_CREDIT_REACH = 2

# Films beyond the chosen ones that are checked for facts: a bound, so an article
# naming thousands of titles stays linear.
_MAX_ASIDES = 8


@dataclass
class _FilmChoice:
    films: list[tuple[str, tuple[str, ...]]]  # (title, aliases), the main film first
    owner_of: dict[str, str]  # every candidate form -> the title it names
    subjects: set[str]  # titles the article talks about (cued), chosen or not
    others: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # cued, not chosen


def _casting_in(toks: list[Token], pre: int) -> bool:
    """ "to star opposite X in <Title>": "in" closing a casting clause."""
    if pre < 1 or toks[pre - 1].low != "in":
        return False
    for tok in toks[max(0, pre - 9) : pre - 1]:
        if tok.text in ".;" or tok.low in ("starred", "appeared"):
            return False
    return any(t.low in _CASTING_VERBS for t in toks[max(0, pre - 9) : pre - 1])


_CASTING_VERBS = {"star", "co-star", "join", "lead", "direct", "topline", "cast"}


def _appositive(toks: list[Token], post: int) -> bool:
    """ "<Title>, an adventure drama", "<Title>, the heist thriller": a genre apposition."""
    if post + 2 >= len(toks) or toks[post].text != ",":
        return False
    if toks[post + 1].low not in ("a", "an", "the"):
        return False
    return any(t.low in GENRE_NOUNS for t in toks[post + 2 : post + 6])


def _its_follows(toks: list[Token], post: int) -> bool:
    """ "<Title> slashed its way", "<Title> made its debut": the title is the subject."""
    return (
        post + 1 < len(toks)
        and toks[post].is_word
        and not toks[post].is_cap
        and toks[post + 1].low == "its"
    )


def _films(
    sentences: list[Sentence], titles: Matcher, excluded: set[str], outlets: set[str]
) -> _FilmChoice:
    """The films the article is about, each with the shorter forms it uses."""
    cands: dict[str, _TitleCand] = {}
    quoted: set[str] = set()
    for sent in sentences:
        toks = sent.tokens
        for i, j in sent.titles:
            text = strip_possessive(sent.span(i, j))
            if i in sent.quoted:
                quoted.add(text)
            if text in excluded or text in outlets or _is_generic_title(toks[i:j]):
                continue
            known = text in titles.names
            cand = cands.setdefault(text, _TitleCand(text))
            cand.count += 1
            cand.first = min(cand.first, (sent.index, i))
            cand.sentences.add(sent.index)
            pre, post = sent.outside(i, j)
            cues = len(cues_before(toks, pre, TITLE_PRE_INDEX)) + len(
                cues_at(toks, post, TITLE_POST_INDEX)
            )
            cues += _casting_in(toks, pre) + _appositive(toks, post) + _its_follows(toks, post)
            owner = sent.owners.get(i)
            cues += owner is not None
            neg = len(cues_before(toks, pre, TITLE_NEG_INDEX))
            if pre >= 1 and toks[pre - 1].is_digit:  # "2019's Title"
                neg += 1
            lead = sent.index == 0 and (pre == 0 or (owner is not None and owner[0] == 0))
            cand.cues += cues
            cand.score += (
                1
                + 2 * cues
                - 3 * neg
                + (0.5 if known else 0)
                + (0.5 if i in sent.quoted else 0)
                + (1 if lead else 0)
            )
    if not cands:
        return _FilmChoice([], {}, set())
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
    # "Title" inside an article about "Title 2" is the earlier film:
    # its forms count as that title for scoring, but what is said of it is not news
    # about the sequel.
    # The same holds for a quoted prefix ("Title" beside "Title: Subtitle"):
    # house style quotes the film it reports on in full.
    owner_of: dict[str, str] = {}
    for text in cands:
        owner = absorbed.get(text, text)
        earlier = (
            owner != text
            and owner.startswith(text)
            and (text in quoted or _SEQUEL_OF.fullmatch(owner[len(text) :]) is not None)
        )
        owner_of[text] = text if earlier else owner
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
        return _FilmChoice([], owner_of, set())
    live.sort(key=lambda c: (-c.score, c.first))
    best = live[0]
    chosen = [best]
    for c in live[1:]:
        if c.cues >= 2 and c.score >= max(4.0, 0.6 * best.score):
            chosen.append(c)
    films = [(c.text, tuple(sorted(aliases.get(c.text, []), key=len))) for c in chosen]
    # Other cued titles take the focus too, unless a lone capitalised word
    # ("Filming wrapped") that may be a sentence's first word rather than a title.
    subjects = {c.text for c in chosen} | {
        c.text
        for c in live
        if c.cues > 0 and (c.text in quoted or len(c.text.split()) > 1 or c.count > 1)
    }
    others = [  # best first: `live` is sorted by score
        (c.text, tuple(sorted(aliases.get(c.text, []), key=len)))
        for c in live
        if c.text in subjects and c not in chosen
    ]
    return _FilmChoice(films, owner_of, subjects, others)


def _segments(title: str) -> list[str]:
    return [s.strip() for s in re.split(r"\s*[:–—]\s+|\s+-\s+", title) if s.strip()]


_SEQUEL_OF = re.compile(r"\s*:?\s+(?:\d{1,2}|[IVX]{1,4}|Part \w+|Chapter \w+)")


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
