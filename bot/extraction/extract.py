"""Facts from one article: which films it is about, who is in them, who made them,
who releases them and when.

The order matters for precision: titles are found and merged into single tokens,
the text is parsed, the article's films are decided, and only then are cues read;
a cue whose film is a context title (a credit, a comparison) yields nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Literal

from spacy.tokens import Doc, Span, Token

from bot.catalog.normalize import normalize_key
from bot.extraction.candidates import headline_keys, parse, vet_titles
from bot.extraction.cues import EVENT_WORDS, FILM_NOUNS, ROLE_TITLES
from bot.extraction.dates import DateMention
from bot.extraction.model import Extraction, FilmFact, PersonFact, ReleaseFact, StudioFact
from bot.extraction.nlp import load_pipeline, one_at_a_time
from bot.extraction.people import PersonIndex, clean_name
from bot.extraction.releases import dedupe_releases, release_dates
from bot.extraction.roles import RoleHit, find_roles
from bot.extraction.studios import clean_studios, slate_owners, studio_mentions
from bot.extraction.titles import (
    COMPANY_WORDS,
    calendar_entries,
    candidate_texts,
    colon_headings,
    film_cues,
    is_title_case,
    lines,
    quoted_spans,
    segments,
    sub_headings,
    subspans,
    title_case_runs,
)
from bot.news.summarize import clean_text, summarize

# Longer texts are cut for extraction (the summary still reads the whole body).
MAX_CHARS = 100_000  # a long feature is ~30,000; this caps a worst case at ~15 s


_RENAME_OLD_FIRST = re.compile(
    r"\b(?:retitled|renamed|re-titled|now (?:titled|called|known as)|new title|will be called)\b",
    re.IGNORECASE,
)
_RENAME_NEW_FIRST = re.compile(
    r"\b(?:formerly|previously|originally|initially|once) (?:titled|called|known as)\b|"
    r"\bworking title\b|\bpreviously announced as\b",
    re.IGNORECASE,
)


@dataclass
class _Title:
    key: str
    text: str
    first: int
    film: int = 0
    context: int = 0
    mentions: int = 0
    typed: int = 0  # mentions the recogniser reads as a person, place, date...
    quoted: bool = False
    known: bool = False
    aliases: list[str] = field(default_factory=list)
    evidence: str = ""


@one_at_a_time
def candidate_names(body: str) -> list[str]:
    """Capitalised spans (and their parts) worth looking up in the catalog."""
    doc = load_pipeline().make_doc(clean_text(body)[:MAX_CHARS])
    out: dict[str, None] = {}
    for span in quoted_spans(doc):
        out[span.text] = None
    for run in title_case_runs(doc):
        out[run.text] = None
        for sub in subspans(run):
            out[sub.text] = None
    return list(out)


@one_at_a_time
def extract(
    body: str,
    published: dt.date | None,
    *,
    headline: str | None = None,
    known_titles: Collection[str] = (),
    known_people: Collection[str] = (),
) -> Extraction:
    """The article's films and their facts; `published` None means "as of today"."""
    summary = summarize(body)
    text = clean_text(body)[:MAX_CHARS]
    ref = published or dt.date.today()
    if len(text.split()) < 2:
        return Extraction((), summary)
    nlp = load_pipeline()
    doc = nlp.make_doc(text)
    cands = candidate_texts(doc, known_titles, ref.year)
    head_keys = headline_keys(nlp, headline, cands, known_titles) if headline else set()
    headings = {normalize_key(s.text) for s in colon_headings(doc)}
    calendar = {normalize_key(s.text): (s.text, m, st) for s, m, st in calendar_entries(doc, ref)}
    vet_titles(nlp, cands, known_titles, f"{headline or ''}\n{text}", headings | set(calendar))
    doc = parse(nlp, doc, cands)
    known = {normalize_key(t) for t in known_titles}
    reader = _Reader(doc, ref, head_keys, known_people, known)
    reader.calendar = calendar
    reader.headings = headings
    reader.headline = normalize_key(headline or "")
    return reader.read(summary)


# A date that qualifies one of these nouns is not a release: "the 2024 awards season".
_NOT_RELEASE_NOUNS = frozenset(
    {
        "season", "award", "awards", "trailer", "teaser", "poster", "footage", "image",
        "images", "photo", "photos", "still", "stills", "clip", "clips", "featurette", "look",
    }
)  # fmt: skip

_RELEASE_NOUNS = frozenset({"release", "date", "debut", "premiere", "opening", "rollout", "bow"})

# Words a release schedule holds a slot with before a film has a title.
_PLACEHOLDERS = frozenset({"untitled", "tba", "tbd", "tbc"})

# Verbs of production and of news: a date hanging on one is not a release date.
_NOT_RELEASE_VERBS = frozenset(
    {
        "wrap",
        "shoot",
        "film",
        "announce",
        "confirm",
        "report",
        "reveal",
        "say",
        "tell",
        "cast",
        "gross",
        "earn",
        "collect",
        "pull",
        "rake",
        "draw",
        "attract",
        "garner",
        "sell",
    }
)  # fmt: skip  (box office: "pulling in N between January 16-18" is no release)

# Nouns a round-up uses for the item's film: "The project is now slated for May 5".
_PROJECT_NOUNS = frozenset({"project", "story", "title", "pic", "tale"})

# What the recogniser calls a run it cannot place: it may be a title ("The Laundromat"
# as a WORK_OF_ART), unlike a person, a place, a company or a date.
_STRANGER_ENTS = frozenset({"", "WORK_OF_ART", "PRODUCT", "EVENT", "FAC", "LAW"})

_PERSONAL_PRONOUNS = frozenset({"he", "she", "his", "her", "they", "their"})

_ROMAN = re.compile(r"^(?:I{1,3}|IV|V|VI{1,3}|IX|X{1,3})$")


_NOT_TITLE_ENTS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL"})
_NOT_ONE_WORD_TITLE_ENTS = frozenset({"ORG", "FAC", "LOC", "GPE", "NORP", "LANGUAGE"})


def _is_person(ent: Span) -> bool:
    """A PERSON entity that is not one of the merged title tokens."""
    return ent.label_ == "PERSON" and not any(t._.title_key for t in ent)


def _reads_as_person(span: Span) -> bool:
    """The recogniser's person entity is exactly the span, and no number is in it:
    "Ana Ruiz" is a person, "Ana Ruiz 2" a title whatever the model says."""
    if span[0].ent_iob_ != "B" or any(c.isdigit() for c in span.text):
        return False
    end = span.start + 1
    while end < len(span.doc) and span.doc[end].ent_iob_ == "I":
        end += 1
    return end == span.end


def _reads_as_person_alone(name: str) -> bool:
    """A company name the recogniser, reading it on its own, takes for a person."""
    if " " not in name or name.split()[-1].lower().rstrip(".") in COMPANY_WORDS:
        return False  # "Searchlight Pictures" is a company whatever the model says
    doc = load_pipeline()(name)
    return any(e.label_ == "PERSON" and len(e) == len(doc) for e in doc.ents)


def _quoted(span: Span | Token) -> bool:
    doc = span.doc
    start = span.i if isinstance(span, Token) else span.start
    return start > 0 and doc[start - 1].text in {'"', "“", "‘", "'"}


_CREDITS = re.compile(
    r"\b(?:credits|filmography|r[ée]sum[ée]) (?:also )?includes?\b|\bknown for (?:roles|films)"
    r" in\b",
    re.IGNORECASE,
)
_LIST_JOINS = frozenset({",", "and", "or", "&", '"', "“", "”", "‘", "’", "'"})


def _listed_after(doc: Doc, end: int, start: int) -> bool:
    """Only commas, "and"/"or" and quotation marks between two titles: one list."""
    between = doc[end:start]
    return (
        0 < len(between) <= 5
        and all(t.text in _LIST_JOINS for t in between)
        and any(t.lower_ in {",", "and", "or", "&"} for t in between)
    )


_DEFINITE = frozenset({"the", "this", "that"})


_ITEM_NUMBER = re.compile(r"^\d{1,2}[.)]?$")


def _item_start(para: Span) -> bool:
    """The paragraph opens with an item number or a bullet: "1. ...", "2) ...", "- ..."."""
    first = para[0].text
    if first in {"-", "•", "*"}:
        return True
    return bool(_ITEM_NUMBER.match(first)) and (
        first[-1] in ".)" or (len(para) > 1 and para[1].text in {".", ")"})
    )


def _numbered_items(doc: Doc) -> bool:
    """A round-up of numbered or bulleted items ("1. ...", "2. ..."): each item speaks
    of its own film, so one recognised film is not every paragraph's."""
    return sum(1 for para in lines(doc) if _item_start(para)) >= 2


def _names_the_film(sent: Span) -> bool:
    """The sentence speaks of "the film", "this movie", "the sequel", "the pic" (a
    definite film noun no name owns): a pointer to the article's film."""
    for tok in sent:
        if tok.lower_ not in FILM_NOUNS or tok.tag_ not in {"NN", "NNS"}:
            continue
        dets = [c for c in tok.children if c.dep_ in {"det", "poss"}]
        definite = any(d.lower_ in _DEFINITE for d in dets) and not any(
            d.dep_ == "poss" for d in dets
        )
        # "the new Fast And Furious movie" names something: not a pointer
        named = any(t.pos_ == "PROPN" or t.text[:1].isupper() for t in tok.lefts if t.i)
        if definite and not named:
            return True
    return False


def _owns_a_person(span: Span) -> bool:
    """A possessive then a person's name: "Teen Wolf's Holland Roden" names a credit of
    that actor, never a person of its own."""
    doc, k = span.doc, span.end
    if span[-1].text in {"'s", "’s"}:
        k = span.end
    elif k < len(doc) and doc[k].text in {"'s", "’s"}:
        k += 1
    else:
        return False
    return (
        k + 1 < len(doc)
        and not doc[k]._.title_key
        and all(t.text[:1].isupper() and t.is_alpha for t in doc[k : k + 2])
    )


def _in_persons_clause(tok: Token) -> bool:
    """The title sits in a "whose" clause about a name ("Villeneuve, whose latest film
    X is in cinemas now and who is onboard for Y, will ..."): the person's credits (not
    "A, who won for her role in X", which may be the article's news)."""
    node = tok
    for _ in range(12):
        if (
            node.dep_ == "relcl"
            and node.head.pos_ == "PROPN"
            and not node.head._.title_key  # "X, whose director is A": X's own clause
            and any(t.lower_ == "whose" for t in node.subtree)
        ):
            return True
        if node.head.i == node.i:
            return False
        node = node.head
    return False


_CREDIT_NOUNS = frozenset({*ROLE_TITLES, "star", "stars", "actor", "actress", "creator"})


def _credit_run(doc: Doc, run: Span) -> bool:
    """ "Bridesmaids and The Heat director Paul Feig", "Narcos' Boyd Holbrook": a run
    naming someone's credit, not a film the paragraph is about."""
    if run.end >= len(doc):
        return False
    nxt = doc[run.end]
    return nxt.lower_ in _CREDIT_NOUNS or nxt.text in {"'s", "’s", "‘s", "'", "’"}


def _aside(tok: Token, cue: Token) -> bool:
    """The token sits in a clause about something else than the cue: a relative clause,
    an apposition or a parenthesis the cue is not in ("A, who appeared in Y, will
    star"): Y is A's credit, not the sentence's film."""
    node = tok
    for _ in range(12):
        if node.dep_ in {"relcl", "appos", "acl", "parataxis"} and not (
            node.left_edge.i <= cue.i <= node.right_edge.i
        ):
            return True
        if node.head.i == node.i:
            return False
        node = node.head
    return False


class _Reader:
    def __init__(
        self,
        doc: Doc,
        ref: dt.date,
        head_keys: set[str],
        known_people: Collection[str],
        known_titles: set[str],
    ) -> None:
        self.known_titles = known_titles
        self.doc = doc
        self.ref = ref
        self.head_keys = head_keys
        self.key_at: dict[int, str] = {}
        self.titles: dict[str, _Title] = {}
        self.known_for_at: set[int] = set()
        self.calendar: dict[str, tuple[str, DateMention, tuple[str, ...]]] = {}
        self.headings: set[str] = set()
        self.headline = ""
        self.index = PersonIndex((clean_name(e) for e in doc.ents if _is_person(e)), known_people)

    # -- titles and films ---------------------------------------------------------

    def _collect_titles(self) -> None:
        doc = self.doc
        # A one-word title the tagger reads as a common word ("New cast members") is not one.
        spans: list[Span] = [
            doc[t.i : t.i + 1]
            for t in doc
            if t._.title_key and (" " in t.text or t.tag_ in {"NNP", "NNPS"} or _quoted(t))
        ]
        merged = {s.start for s in spans}
        for ent in doc.ents:
            if (
                ent.label_ == "WORK_OF_ART"
                and ent.start not in merged
                and len(ent) <= 10
                and not any(t.text in {"'s", "’s", ","} for t in ent)
                and is_title_case(ent)
            ):
                film, _ = film_cues(doc, ent.start, ent.end, self.ref.year)
                if film and ent.text[:1].isupper():
                    spans.append(ent)
        listed: tuple[int, int] | None = None  # (end, context cues) of the title before
        for span in sorted(spans, key=lambda s: s.start):
            key = normalize_key(span.text)
            if not key:
                continue
            film, context = film_cues(doc, span.start, span.end, self.ref.year)
            if listed is not None and listed[1] and _listed_after(doc, listed[0], span.start):
                context += 1  # "such as X and Y": a comparison runs through its list
            if _CREDITS.search(span.sent.text):
                context += 1  # "Her credits include X and the upcoming Y": her credits
            if _in_persons_clause(span.root):
                context += 1  # "A, whose latest film X is out and who is onboard for Y"
            listed = (span.end, context)
            title = self.titles.setdefault(key, _Title(key, span.text, span.start))
            title.film += film
            title.context += context
            title.mentions += 1
            one_word = " " not in span.text
            label = span[0].ent_type_
            if (
                label in _NOT_TITLE_ENTS
                or (one_word and label in _NOT_ONE_WORD_TITLE_ENTS)
                or (label == "PERSON" and not one_word and _reads_as_person(span))
            ):
                title.typed += 1
            title.quoted = title.quoted or _quoted(span)
            title.known = key in self.known_titles
            if film and not title.evidence:
                title.evidence = span.sent.text.strip()
            for i in range(span.start, span.end):
                self.key_at[i] = key
            prev = doc[span.start - 1] if span.start else None
            if (
                prev is not None
                and prev.text == "("
                and span.start >= 2
                and doc[span.start - 2].ent_type_ == "PERSON"
            ):
                self.known_for_at.add(span.start)
        for key in self.head_keys:
            if key in self.titles:
                self.titles[key].film += 2
        for key in self.calendar:
            if key in self.titles:
                self.titles[key].film += 1  # a release calendar's entry
        for key in self.headings:
            if key in self.titles:
                self.titles[key].film += 1  # a round-up item's heading

    def _decide_films(self, characters: set[str], names: set[str]) -> None:
        # Subtitles fold into the film they end; renames fold the old title in.
        for key, title in list(self.titles.items()):
            for other in self.titles.values():
                if other is title:
                    continue
                subs = [normalize_key(s) for s in segments(other.text)[1:]]
                if any(s == key or s.startswith(key + " ") for s in subs):
                    self._fold(title, other)
                    break
        # "The Boy and the Heron English trailer": a known title and one stray word
        for title in list(self.titles.values()):
            for other in self.titles.values():
                stray = title.text.split()[-1]
                if (
                    other is not title
                    and title.text.startswith(other.text + " ")
                    and len(title.text.split()) == len(other.text.split()) + 1
                    and stray.isalpha()
                    and not _ROMAN.match(stray)  # "Ember Falls 2", "Rocky II" are sequels
                ):
                    self._fold(title, other)
                    title.aliases.clear()
                    other.aliases = [a for a in other.aliases if a != title.text]
                    break
        for old, new in self._renames():
            self._fold(self.titles[old], self.titles[new])
        surnames = {normalize_key(n.split()[-1]) for n in self.index.full}
        self.films: dict[str, _Title] = {}
        for key, title in self.titles.items():
            if key in characters or key in names or key != title.key:
                continue
            if title.text.split()[0].lower() in _PLACEHOLDERS or self._untitled(title):
                continue  # "Untitled Harbor Pictures Event Film", "TBA": a slot, no title
            if key.split()[-1] in EVENT_WORDS:
                continue  # "Sydney Film Festival", "the Berlinale": an event
            need = 1
            if " " not in title.text and not (title.quoted or title.known):
                need = 2  # a lone capitalised word needs two cues
            if " " not in title.text and key in surnames:
                continue  # "Cruise" is Tom Cruise here, whatever the catalog holds
            if not (title.film or title.known) and self._word_of_longer(key):
                continue  # "Chronicles" beside "The Chronicles of X": a short form
            if title.typed == title.mentions and not (title.quoted or title.known):
                # "North American", "IMAX", "Netflix" read as such every time
                need = 3 if " " in title.text else 99
            # quotation marks name a work, but not a quoted cry ("WTF?") nor one a
            # context cue names a credit ("TV dramas like 'X'")
            quote = title.quoted and not title.context and title.text[-1:] not in {"?", "!"}
            if quote and not title.film and not self._prominent(title):
                quote = False  # the house style quotes every title, credits too
            film = title.film + (1 if quote else 0)
            if film >= need and film > title.context:
                self.films[key] = title
        self.main = max(
            self.films.values(),
            key=lambda t: (t.film - t.context, t.film, t.mentions, -t.first),
            default=None,
        )

    def _prominent(self, title: _Title) -> bool:
        """Named twice, in the headline or the opening paragraph, or beside a release: a
        quoted title the article may be about (a credit is named once, further down)."""
        if title.mentions >= 2 or title.key in self.head_keys:
            return True
        paragraphs = lines(self.doc)
        if paragraphs and title.first < paragraphs[0].end:
            return True
        sent = self.doc[title.first].sent
        if release_dates(sent, self.ref):
            return True  # a release date beside it
        told_of_someone = any(
            t.dep_ in {"nsubj", "nsubjpass"}
            and (t.ent_type_ == "PERSON" or t.lower_ in _PERSONAL_PRONOUNS)
            for t in sent
        )  # "Fonda recently starred in X, Y and Z": a filmography
        titles_in_sentence = {self.key_at[t.i] for t in sent if t.i in self.key_at}
        if len(titles_in_sentence) >= 3 and not told_of_someone:
            return True  # a line-up or a list of releases, not one person's credit
        line = next((p for p in paragraphs if p.start <= title.first < p.end), None)
        if line is not None and len(line) <= 14:
            return True  # a row of a list: '"Vermiglio" by Maura Delpero (Italy)'
        if any(t.ent_type_ == "ORG" and t.dep_ == "nsubj" for t in sent):
            return True  # "IFC Films has bought A's X": a deal for the film
        return not any(
            t.ent_type_ == "PERSON" or t.lower_ in _PERSONAL_PRONOUNS for t in sent
        )  # a credit is told of someone

    def _untitled(self, title: _Title) -> bool:
        """Every mention follows "untitled" ("an untitled Star Wars film"): a franchise
        naming a slot, not a film's title."""
        at = [i for i, k in self.key_at.items() if self.titles[k] is title]
        return bool(at) and all(
            any(self.doc[j].lower_ == "untitled" for j in range(max(0, i - 3), i)) for i in at
        )

    def _word_of_longer(self, key: str) -> bool:
        """A one-word title that is a word of another title of the article."""
        return " " not in key and any(
            other != key and key in other.split() for other in self.titles
        )

    def _fold(self, alias: _Title, into: _Title) -> None:
        if alias.key == into.key:
            return
        into.film += alias.film
        into.context += alias.context
        into.mentions += alias.mentions
        if alias.text not in into.aliases:
            into.aliases.append(alias.text)
        alias.key = into.key
        for i, k in list(self.key_at.items()):
            if k == alias.key or self.titles.get(k) is alias:
                self.key_at[i] = into.key

    def _renames(self) -> list[tuple[str, str]]:
        out = []
        for sent in self.doc.sents:
            keys = [self.key_at[t.i] for t in sent if t.i in self.key_at]
            keys = list(dict.fromkeys(keys))
            if len(keys) != 2:
                continue
            if _RENAME_NEW_FIRST.search(sent.text):
                out.append((keys[1], keys[0]))
            elif _RENAME_OLD_FIRST.search(sent.text):
                out.append((keys[0], keys[1]))
        return out

    def _film_key(self, i: int) -> str | None:
        key = self.key_at.get(i)
        if key is None:
            return None
        key = self.titles[key].key
        return key if key in self.films else None

    def _film_for(self, cue: Token, explicit: int | None, needs_film: bool = False) -> str | None:
        """The film a cue is about: the one it names, one in its sentence, else the
        article's film; None when the sentence is about a context title."""
        if explicit is not None:
            return self._film_key(explicit)
        sent = cue.sent
        films = [t.i for t in sent if self._film_key(t.i) and t.i not in self.known_for_at]
        others = [
            t.i for t in sent
            if t.i in self.key_at and not self._film_key(t.i) and t.i not in self.known_for_at
            and not _aside(self.doc[t.i], cue) and not self._company_like(t.i)
        ]  # fmt: skip
        if films:
            return self._film_key(min(films, key=lambda i: abs(i - cue.i)))
        if others or needs_film:
            return None
        current = self.current.get(sent.start)
        if (
            current is None
            and self.lead is not None
            and _names_the_film(sent)
            and not (self.sectioned)
            and self.para_films.get(sent.start, set()) <= {self.lead}
        ):  # not where the paragraph names another film ("Y opens against X. The movie...")
            return self.lead  # "the movie, which stars A": the article's film
        return current

    def _company_like(self, i: int) -> bool:
        """A candidate the recogniser reads as an organisation or a person at every
        mention ("Netflix will release"): no other title to keep a cue from the film."""
        title = self.titles[self.key_at[i]]
        return (
            title.typed == title.mentions and not title.film and not (title.quoted or title.known)
        )

    def _lead(self) -> str | None:
        """The article's one main film, for "the film", "the movie", "the sequel" in a
        sentence that names no title: the only film, else the one film the headline
        names, else None (a round-up has no single film to point at)."""
        numbered = _numbered_items(self.doc) or self.sectioned
        if len(self.films) == 1 and not numbered:
            return next(iter(self.films))
        named = {self.titles[k].key for k in self.head_keys if k in self.titles}
        named &= set(self.films)
        main_in_headline = self.main is not None and f" {self.main.key} " in f" {self.headline} "
        if len(named) == 1 and (self.main.key in named or not main_in_headline):
            return next(iter(named))  # (the headline may name the main film unrecognised)
        if numbered:
            return None
        # else a film named at least twice as often as any other, from the first paragraph
        main = self.main
        others = [t.mentions for k, t in self.films.items() if k != main.key]
        paragraphs = lines(self.doc)
        first_para_end = paragraphs[0].end if paragraphs else 0
        if (
            main.mentions >= 2
            and all(2 * m <= main.mentions for m in others)
            and (main.first < first_para_end or not named)
        ):
            return main.key
        return None

    def _track_current(self, hits: list[RoleHit]) -> None:
        """For each sentence, the film a cue without a title is about: the article's film
        when it has one; in a round-up, the one film its paragraph names (or, for a
        paragraph that names no title, the one film of the paragraph before)."""
        self.current: dict[int, str | None] = {}
        self.para_films: dict[int, set[str]] = {}  # sentence start -> films of its paragraph
        headings = {h.start for h in sub_headings(self.doc)}
        self.sectioned = len(headings) >= 2  # sections under their own headings
        if len(self.films) == 1 and not _numbered_items(self.doc) and not self.sectioned:
            for sent in self.doc.sents:
                self.current[sent.start] = self.main.key
            return
        previous: str | None = None
        named = {i for h in hits for i in range(h.person.start, h.person.end)}
        unknown_runs = [
            run
            for run in title_case_runs(self.doc)
            if len(run) >= 2 and not any(t.i in self.key_at or t.i in named for t in run)
        ]  # fmt: skip  a run a role cue reads as a person is no unknown title
        for para in lines(self.doc):
            films = {self._film_key(i) for i in range(para.start, para.end)} - {None}
            strangers = any(
                para.start <= run.start < para.end
                and all(t.ent_type_ in _STRANGER_ENTS for t in run)
                and not _credit_run(self.doc, run)
                for run in unknown_runs
            )  # a title the reader did not recognise: its sentences are not guessed
            titled = strangers or any(i in self.key_at for i in range(para.start, para.end))
            if len(films) == 1 and not strangers:
                default = next(iter(films))
            elif not titled and not _item_start(para) and para.start not in headings:
                default = previous  # a new numbered item is not the one before
            else:
                default = None
            for sent in para.sents:
                self.current[sent.start] = default
                self.para_films[sent.start] = films
            previous = default if len(films) == 1 else None

    # -- the whole article ----------------------------------------------------------

    def read(self, summary: str) -> Extraction:
        self._collect_titles()
        title_at = set(self.key_at)
        hits = find_roles(self.doc, title_at)
        characters = {normalize_key(h.character) for h in hits if h.character}
        names = {
            normalize_key(n)
            for e in self.doc.ents
            if _is_person(e) and (n := self.index.resolve(clean_name(e))) and len(n.split()) >= 2
        }
        self._decide_films(characters, names)
        if not self.films:
            return Extraction((), summary, self._context())
        self._track_current(hits)
        self.lead = self._lead()
        people = self._people(hits, characters)
        studios = self._studios()
        releases = self._releases()
        films = []
        for title in sorted(self.films.values(), key=lambda t: t.first):
            films.append(
                FilmFact(
                    title=title.text,
                    aliases=tuple(a for a in title.aliases if normalize_key(a) != title.key),
                    studios=tuple(s.name for s in studios.get(title.key, [])),
                    people=tuple(people.get(title.key, [])),
                    releases=tuple(dedupe_releases(releases.get(title.key, []))),
                    evidence=title.evidence,
                    studio_evidence=tuple(studios.get(title.key, [])),
                    renamed_from=tuple(title.aliases),
                )
            )
        films.sort(key=lambda f: f.title != self.main.text)
        return Extraction(tuple(films), summary, self._context())

    def _context(self) -> tuple[str, ...]:
        return tuple(
            t.text
            for k, t in self.titles.items()
            if t.key == k and k not in getattr(self, "films", {})
        )

    def _people(self, hits: list[RoleHit], characters: set[str]) -> dict[str, list[PersonFact]]:
        rows: dict[tuple[str, str, str], dict] = {}
        weak: set[tuple[str, str, str]] = set()
        order: list[tuple[str, str, str]] = []
        credits = {normalize_key(h.known_for) for h in hits if h.known_for}
        for hit in hits:
            name = self.index.resolve(clean_name(hit.person))
            if not name or any(c.isdigit() for c in name):
                continue
            key = normalize_key(name)
            if key in self.titles or key in characters:
                continue
            if any(c == key or c.startswith(key + " ") for c in credits):
                continue  # "Top Gun" of "(Top Gun: Maverick)" is a credit, not a person
            if any(t.startswith(key + " ") for t in self.titles):
                continue  # "Blade Runner" of "Blade Runner 2049" is a title's part
            if not hit.character and _owns_a_person(hit.person):
                continue  # "Teen Wolf's Holland Roden": a credit naming its actor
            film = self._film_for(hit.cue, hit.film_token, hit.needs_film)
            if film is None:
                continue
            if hit.owner:
                continue  # "A's new film X" names a star, a producer or a director: unsaid
            row_key = (film, name, hit.role)
            if hit.weak:
                weak.add(row_key)
            row = rows.get(row_key)
            if row is None:
                row = rows[row_key] = {
                    "character": None, "known_for": None, "status": None,
                    "sentence": hit.cue.sent.text.strip(),
                }  # fmt: skip
                order.append(row_key)
            for attr in ("character", "known_for", "status"):
                if row[attr] is None and getattr(hit, attr):
                    row[attr] = getattr(hit, attr)
        # Writers and producers are never cast.
        crew = {(f, n) for f, n, r in order if r in {"writer", "producer"}}
        cast = {(f, n) for f, n, r in order if r == "actor" and (f, n, r) not in weak}
        makers = crew | {(f, n) for f, n, r in order if r == "director" and (f, n, r) not in weak}
        # "director A (Film)": a maker's credit in parentheses does not make them cast.
        order = [k for k in order if not (k in weak and k[2] == "actor" and (k[0], k[1]) in makers)]
        # "Tom Cruise's Mission: Impossible" names its star, not its director.
        order = [k for k in order if not (k in weak and (k[0], k[1]) in cast)]
        out: dict[str, list[PersonFact]] = {}
        billing: dict[tuple[str, str], int] = {}
        for film, name, role in order:
            if role == "actor" and (film, name) in crew:
                continue
            row = rows[(film, name, role)]
            n = billing[(film, role)] = billing.get((film, role), 0) + 1
            out.setdefault(film, []).append(
                PersonFact(
                    name=name,
                    aliases=self.index.aliases(name),
                    role=role,
                    character=row["character"],
                    known_for=row["known_for"],
                    status=row["status"],
                    billing=n,
                    sentence=row["sentence"],
                )
            )
        return out

    def _studios(self) -> dict[str, list[StudioFact]]:
        out: dict[str, list[StudioFact]] = {}
        people = {normalize_key(p) for p in self.index.full}
        surnames = {normalize_key(p.split()[-1]) for p in self.index.full}
        mentions = list(studio_mentions(self.doc, set(self.key_at)))
        owners = {normalize_key(o.text): o for o in slate_owners(self.doc, set(self.key_at))}
        if len(owners) == 1:  # one studio moving its own slate: each film is its
            owner = next(iter(owners.values()))
            mentions += [(owner, self.titles[k].first) for k in self.films]
        for key, (text, _, names) in self.calendar.items():
            film = self.titles[key].key if key in self.titles else None
            if film in self.films:  # "Godzilla v. Kong (WB/Legendary/HBO Max)"
                facts = out.setdefault(film, [])
                facts += [StudioFact(n, text) for n in names if normalize_key(n) not in people]
        for ent, token in mentions:
            if self._short_form(ent):
                continue  # "Behind The Scenes (BTS)": the title's short form
            film = self._film_for(ent.root, token)
            if film is None:
                continue
            for name in clean_studios(ent):
                key = normalize_key(name)
                company = key.split()[-1] in COMPANY_WORDS if key else False
                if (
                    not key
                    or key in self.titles
                    or (not company and (key in people or key in surnames))
                ):
                    continue  # a title's fragment or a person's name read as an ORG
                if any(key in t or t.endswith(key) for t in self.titles):
                    continue
                if _reads_as_person_alone(name):
                    continue  # "starred in Ana Ruiz's recent premiere": a filmmaker
                facts = out.setdefault(film, [])
                if all(normalize_key(f.name) != key for f in facts):
                    facts.append(StudioFact(name, ent.sent.text.strip()))
        return out

    def _subject_film(self, sent: Span) -> str | None:
        """The film that is the subject of the sentence's main verb ("Released on May 5,
        X is a drama"), else None."""
        subjects = [c for c in sent.root.children if c.dep_ in {"nsubj", "nsubjpass"}]
        return self._film_key(subjects[0].i) if subjects else None

    def _short_form(self, ent: Span) -> bool:
        """A name in parentheses right after a title (quotes aside): its short form."""
        k = ent.start - 1
        if k < 1 or self.doc[k].text != "(":
            return False
        k -= 1
        while k > 0 and self.doc[k].is_quote:
            k -= 1
        return k in self.key_at

    def _releases(self) -> dict[str, list[ReleaseFact]]:
        """Each date goes to the film named nearest before it in its sentence ("X moves
        to May 5 and Y to June 6"), else to the sentence's film."""
        out: dict[str, list[ReleaseFact]] = {}
        for sent in self.doc.sents:
            for fact, at in release_dates(sent, self.ref):
                subject = self._date_subject(self.doc[at])
                if subject is False:
                    continue  # the date is another thing's: a trailer's, a placeholder's
                if subject is not None:
                    film = subject
                else:
                    before = [
                        t.i for t in sent
                        if t.i < at and self._film_key(t.i) and t.i not in self.known_for_at
                    ]  # fmt: skip
                    after = [t.i for t in sent if t.i > at and self._film_key(t.i)]
                    if not before and after and not self._subject_film(sent):
                        continue  # "Y now has a May 5 date and X will debut": not X's
                    film = self._film_key(before[-1]) if before else self._film_for(sent.root, None)
                    if (
                        not before
                        and film not in self.para_films.get(sent.start, {film})
                        and film != self.lead
                    ):
                        continue  # a paragraph naming no film: its dates are not guessed
                if film is not None:
                    out.setdefault(film, []).append(fact)
        for key, (text, m, _) in self.calendar.items():
            film = self.titles[key].key if key in self.titles else None
            if film in self.films:
                fact = ReleaseFact(m.date, m.precision, None, "theatrical", text, m.label)
                out.setdefault(film, []).append(fact)
        return out

    def _date_subject(self, date: Token) -> str | Literal[False] | None:
        """Whose date this is, by the parse: the film that is the subject of the verb the
        date hangs on ("X opens on May 5"); False when that subject is something else
        ("the trailer arrived in May", "a placeholder set for May 5", "Y, which opens on
        May 5" with Y not the film); None when the parse does not say."""
        if date.head.pos_ == "NOUN" and date.head.lemma_.lower() in _NOT_RELEASE_NOUNS:
            return False  # "the late 2024 awards season", "the May 2 trailer"
        verb = date
        while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
            verb = verb.head
        if verb.pos_ not in {"VERB", "AUX"}:
            return None
        if verb.dep_ in {"acl", "relcl"} and verb.head.lemma_.lower() in _NOT_RELEASE_NOUNS:
            return False  # "a teaser trailer released by the studio on March 21"
        if any(c.dep_ == "dobj" and c.lemma_.lower() in _NOT_RELEASE_NOUNS for c in verb.children):
            return False  # "plans to unveil the final trailer in October"
        if verb.lemma_.lower() in _NOT_RELEASE_VERBS:
            return False  # "wrapped filming in October", "announced on Monday": not a release
        subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
        while not subjects and verb.dep_ == "xcomp" and verb.head.i != verb.i:
            verb = verb.head  # "halls will be permitted to operate from May 5": the halls'
            subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if not subjects:
            return None
        subject = subjects[0]
        if subject.lower_ in {"which", "that", "who"} and verb.dep_ == "relcl":
            subject = verb.head  # "Y, which opens on May 5": Y's date
        titled = [t.i for t in subject.subtree if t.i in self.key_at]
        if titled:  # "X opens", "the release of X has moved"
            return self._film_key(titled[0]) or False
        if subject.lemma_.lower() in FILM_NOUNS and any(
            c.dep_ == "poss" and c.pos_ == "PROPN" for c in subject.children
        ):
            return False  # "while A's sports drama 83 comes on June 4": another film
        if (
            subject.pos_ == "PRON"
            or subject.lemma_.lower() in FILM_NOUNS
            or subject.lemma_.lower() in _RELEASE_NOUNS | _PROJECT_NOUNS
        ):
            return None  # "it opens", "the sequel arrives": the sentence's film
        if subject.pos_ == "NOUN":
            return False  # "the trailer arrived", "the work premiered"
        if (
            subject.pos_ == "PROPN"
            and subject.ent_type_ not in {"ORG", "PERSON", "GPE", "NORP"}
            and any(
                (c.dep_ == "compound" and c.pos_ == "PROPN") or c.dep_ == "det"
                for c in subject.children
            )
        ):
            return False  # "The Bride was pushed to March": a name that is no film here
        return None
