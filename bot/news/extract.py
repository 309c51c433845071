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
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from bot.news.dates import DateMention, describe, find_dates
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
    tokenize,
)
from bot.news.summarize import split_sentences, summarize, wordset

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
class ReleaseFact:
    date: dt.date
    precision: str  # "day" | "month" | "year"
    region: str | None
    kind: str  # "theatrical" | "digital" | "premiere" | "announced"
    sentence: str


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


# --- cue tables (generic film-journalism phrasing only) --------------------

Cue = tuple[str, ...]

# Cues followed by a person (or a list of people).
_PRE_CUES: list[tuple[Cue, tuple[str, ...], str | None]] = [
    (("written", "and", "directed", "by"), ("writer", "director"), None),
    (("directed", "and", "written", "by"), ("writer", "director"), None),
    (("writer-director",), ("writer", "director"), None),
    (("writer/director",), ("writer", "director"), None),
    (("directed", "by"), ("director",), None),
    (("co-directed", "by"), ("director",), None),
    (("from", "director"), ("director",), None),
    (("from", "filmmaker"), ("director",), None),
    (("director",), ("director",), None),
    (("directors",), ("director",), None),
    (("filmmaker",), ("director",), None),
    (("filmmakers",), ("director",), None),
    (("helmer",), ("director",), None),
    (("helmed", "by"), ("director",), None),
    (("written", "by"), ("writer",), None),
    (("co-written", "by"), ("writer",), None),
    (("screenplay", "by"), ("writer",), None),
    (("script", "by"), ("writer",), None),
    (("penned", "by"), ("writer",), None),
    (("screenwriter",), ("writer",), None),
    (("screenwriters",), ("writer",), None),
    (("writer",), ("writer",), None),
    (("writers",), ("writer",), None),
    (("co-writer",), ("writer",), None),
    (("produced", "by"), ("producer",), None),
    (("executive", "producer"), ("producer",), None),
    (("executive", "producers"), ("producer",), None),
    (("producer",), ("producer",), None),
    (("producers",), ("producer",), None),
    (("co-producer",), ("producer",), None),
    (("starring",), ("actor",), None),
    (("co-starring",), ("actor",), None),
    (("also", "starring"), ("actor",), None),
    (("stars",), ("actor",), None),
    (("star",), ("actor",), None),
    (("co-star",), ("actor",), None),
    (("co-stars",), ("actor",), None),
    (("actor",), ("actor",), None),
    (("actress",), ("actor",), None),
    (("actors",), ("actor",), None),
    (("actresses",), ("actor",), None),
    (("newcomer",), ("actor",), "new"),
    (("newcomers",), ("actor",), "new"),
    (("cast", "members", "include"), ("actor",), None),
    (("cast", "member"), ("actor",), None),
    (("cast", "includes"), ("actor",), None),
    (("cast", "include"), ("actor",), None),
    (("cast", "also", "includes"), ("actor",), None),
    (("ensemble", "includes"), ("actor",), None),
    (("joined", "by"), ("actor",), None),
    (("alongside",), ("actor",), None),
    (("opposite",), ("actor",), None),
    (("featuring",), ("actor",), None),
    (("joining", "them", "are"), ("actor",), "new"),
    (("joining", "them", "is"), ("actor",), "new"),
    (("joining", "him", "are"), ("actor",), "new"),
    (("joining", "her", "are"), ("actor",), "new"),
    (("joining", "the", "cast", "are"), ("actor",), "new"),
    (("joining", "the", "cast", "is"), ("actor",), "new"),
    (("also", "joining", "are"), ("actor",), "new"),
    (("returning", "are"), ("actor",), "returning"),
    (("also", "returning", "are"), ("actor",), "returning"),
]

# Cues that follow the person they describe: (phrase, role, status, takes a character).
_POST_CUES: list[tuple[Cue, str, str | None, bool]] = [
    (("stars", "as"), "actor", None, True),
    (("will", "star", "as"), "actor", None, True),
    (("stars", "in"), "actor", None, False),
    (("will", "star", "in"), "actor", None, False),
    (("will", "star"), "actor", None, False),
    (("is", "starring"), "actor", None, False),
    (("also", "stars"), "actor", None, False),
    (("co-stars",), "actor", None, False),
    (("will", "co-star"), "actor", None, False),
    (("stars", "alongside"), "actor", None, False),
    (("stars", "opposite"), "actor", None, False),
    (("plays",), "actor", None, True),
    (("will", "play"), "actor", None, True),
    (("will", "now", "play"), "actor", None, True),
    (("is", "playing"), "actor", None, True),
    (("is", "set", "to", "play"), "actor", None, True),
    (("has", "been", "cast", "as"), "actor", "new", True),
    (("has", "been", "cast"), "actor", "new", False),
    (("was", "cast", "as"), "actor", None, True),
    (("is", "cast", "as"), "actor", None, True),
    (("portrays",), "actor", None, True),
    (("will", "portray"), "actor", None, True),
    (("has", "joined", "the", "cast"), "actor", "new", False),
    (("joined", "the", "cast"), "actor", "new", False),
    (("joins", "the", "cast"), "actor", "new", False),
    (("has", "joined"), "actor", "new", False),
    (("joins",), "actor", "new", False),
    (("has", "boarded"), "actor", "new", False),
    (("has", "signed", "on"), "actor", "new", False),
    (("is", "in", "talks", "to", "star"), "actor", "new", False),
    (("reprises",), "actor", "returning", False),
    (("will", "reprise"), "actor", "returning", False),
    (("is", "reprising"), "actor", "returning", False),
    (("returns", "as"), "actor", "returning", True),
    (("will", "return", "as"), "actor", "returning", True),
    (("is", "returning", "as"), "actor", "returning", True),
    (("returns", "to", "direct"), "director", None, False),
    (("will", "return", "to", "direct"), "director", None, False),
    (("directs",), "director", None, False),
    (("will", "direct"), "director", None, False),
    (("is", "directing"), "director", None, False),
    (("is", "set", "to", "direct"), "director", None, False),
    (("is", "attached", "to", "direct"), "director", None, False),
    (("helms",), "director", None, False),
    (("will", "helm"), "director", None, False),
    (("is", "helming"), "director", None, False),
    (("directed", "the", "film"), "director", None, False),
    (("directed", "the", "movie"), "director", None, False),
    (("wrote", "the", "script"), "writer", None, False),
    (("wrote", "the", "screenplay"), "writer", None, False),
    (("co-wrote",), "writer", None, False),
    (("will", "write"), "writer", None, False),
    (("is", "writing"), "writer", None, False),
    (("penned", "the", "script"), "writer", None, False),
    (("penned", "the", "screenplay"), "writer", None, False),
    (("produces",), "producer", None, False),
    (("also", "produces"), "producer", None, False),
    (("will", "produce"), "producer", None, False),
    (("is", "producing"), "producer", None, False),
    (("is", "also", "producing"), "producer", None, False),
    (("produced", "the", "film"), "producer", None, False),
]
# A "joins"-style cue only counts when the cast or a character is named nearby.
_JOIN_CUES = {"joins", "has", "joined"}

_RETURN_WORDS = {"returning", "return", "returns", "back"}
_NEW_WORDS = {"new", "newly", "newcomer", "newcomers", "joining", "additions", "fresh"}

# Spans after these are media outlets or sources, never people or films.
_OUTLET_CUES: list[Cue] = [
    ("told",),
    ("tells",),
    ("interview", "with"),
    ("speaking", "to"),
    ("speaking", "with"),
    ("according", "to"),
    ("via",),
    ("reported", "by"),
    ("first", "reported", "by"),
    ("exclusively", "to"),
    ("in", "a", "statement", "to"),
]

_TITLE_PRE: list[Cue] = [
    ("film", ","),
    ("movie", ","),
    ("sequel", ","),
    ("trailer", "for"),
    ("teaser", "for"),
    ("featurette", "for"),
    ("poster", "for"),
    ("first", "look", "at"),
    ("behind", "the", "scenes", "of"),
    ("cast", "of"),
    ("release", "of"),
    ("premiere", "of"),
    ("production", "on"),
    ("filming", "on"),
    ("set", "of"),
    ("footage", "from"),
    ("clip", "from"),
    ("has", "moved"),
    ("has", "delayed"),
    ("has", "pushed"),
    ("has", "dated"),
    ("has", "shifted"),
    ("has", "set"),
    ("moved",),
    ("delayed",),
    ("upcoming",),
    ("new", "film"),
    ("new", "movie"),
    ("the", "film"),
    ("the", "movie"),
    ("the", "sequel"),
    ("adaptation",),
    ("biopic",),
    ("thriller",),
    ("blockbuster",),
    ("spinoff",),
    ("spin-off",),
]
_TITLE_POST: list[Cue] = [
    ("stars",),
    ("will", "star"),
    ("is", "directed"),
    ("wrapped",),
    ("began", "filming"),
    ("begins", "filming"),
    ("will", "debut"),
    ("will", "now", "debut"),
    ("debuts",),
    ("hits",),
    ("will", "hit"),
    ("opens",),
    ("will", "open"),
    ("arrives",),
    ("will", "arrive"),
    ("premieres",),
    ("will", "premiere"),
    ("is", "set"),
    ("is", "slated"),
    ("is", "scheduled"),
    ("is", "due"),
    ("will", "be", "released"),
    ("will", "now", "be", "released"),
    ("follows",),
    ("is", "the", "sequel"),
    ("is", "a", "sequel"),
    ("tells", "the", "story"),
    (",", "directed", "by"),
    (",", "starring"),
    (",", "which", "stars"),
    (",", "from", "director"),
    (",", "written", "by"),
    (",", "produced", "by"),
    (",", "which", "is", "directed"),
    ("trailer",),
    ("teaser",),
]
_TITLE_NEG_PRE: list[Cue] = [
    ("sequel", "to"),
    ("follow-up", "to"),
    ("known", "for"),
    ("starred", "in"),
    ("appeared", "in"),
    ("roles", "in"),
    ("role", "in"),
    ("work", "on"),
    ("the", "original"),
    ("remake", "of"),
    ("previously", "directed"),
    ("also", "directed"),
    ("who", "directed"),
    ("who", "starred", "in"),
]

_STUDIO_SUFFIXES = STUDIO_SUFFIXES - {"group", "network", "networks", "television", "media"}
_STUDIO_PRE: list[Cue] = [("studio",), ("distributor",), ("streamer",), ("banner",)]
_STUDIO_POST: list[Cue] = [
    ("has", "moved"),
    ("has", "delayed"),
    ("has", "pushed"),
    ("has", "dated"),
    ("has", "shifted"),
    ("has", "set"),
    ("has", "released"),
    ("will", "release"),
    ("will", "distribute"),
    ("is", "releasing"),
    ("is", "distributing"),
    ("has", "acquired"),
    ("acquired",),
    ("has", "unveiled"),
    ("unveiled",),
    ("has", "announced"),
    ("announced",),
]

_TITLE_GLUE = {"of", "the", "a", "an", "to", "at", "vs.", "vs", "for", "from"}
_CHAR_SKIP = {"the", "a", "an", "role", "of", "young", "younger", "older", "character"}
_GENERIC_TITLE_HEADS = {"part", "chapter", "volume", "vol.", "episode", "season", "book", "act"}

_RELEASE_CUE = re.compile(
    r"\b(?:releas\w*|debut\w*|premiere\w*|theaters?|theatres?|cinemas?|theatrical\w*|"
    r"digital\w*|stream\w*|on demand|VOD|Blu-ray|DVD|opens?|opening|hits?|arrives?|slated|"
    r"dated|moved|pushed|delayed|shifted|bows?|lands?|out on|in time for|release date)\b",
    re.IGNORECASE,
)
_KIND_CUES: list[tuple[str, re.Pattern[str]]] = [
    (
        "digital",
        re.compile(
            r"\b(?:digital\w*|stream\w*|on demand|VOD|PVOD|Blu-ray|DVD|home (?:release|"
            r"entertainment|video))\b",
            re.IGNORECASE,
        ),
    ),
    ("premiere", re.compile(r"\b(?:premiere\w*|festival)\b", re.IGNORECASE)),
    (
        "theatrical",
        re.compile(
            r"\b(?:theaters?|theatres?|cinemas?|theatrical\w*|box office|big screen|IMAX|"
            r"multiplex\w*)\b",
            re.IGNORECASE,
        ),
    ),
]
_STALE_DATE = re.compile(
    r"\b(?:from|originally|previously|initially|formerly|had been|was (?:set|slated|"
    r"scheduled|dated) (?:for|to)|instead of)\b[^.;]{0,40}$",
    re.IGNORECASE,
)
_REGIONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bNorth Americ\w*|\bU\.S\.(?:A\.)?|\bUS\b|\bUSA\b|\bUnited States\b"
                r"|\bAmerican\b|\bstateside\b|\bdomestic\w*"), "US"),
    (re.compile(r"\bU\.K\.|\bUK\b|\bUnited Kingdom\b|\bBritain\b|\bBritish\b|\bEngland\b"), "GB"),
    (re.compile(r"\bIreland\b|\bIrish\b"), "IE"),
    (re.compile(r"\bFrance\b|\bFrench\b"), "FR"),
    (re.compile(r"\bGermany\b|\bGerman\b"), "DE"),
    (re.compile(r"\bSpain\b|\bSpanish\b"), "ES"),
    (re.compile(r"\bItaly\b|\bItalian\b"), "IT"),
    (re.compile(r"\bJapan\b|\bJapanese\b"), "JP"),
    (re.compile(r"\bChina\b|\bChinese\b"), "CN"),
    (re.compile(r"\bSouth Korea\b|\bKorea\b|\bKorean\b"), "KR"),
    (re.compile(r"\bIndia\b|\bIndian\b"), "IN"),
    (re.compile(r"\bAustralia\b|\bAustralian\b"), "AU"),
    (re.compile(r"\bNew Zealand\b"), "NZ"),
    (re.compile(r"\bCanada\b|\bCanadian\b"), "CA"),
    (re.compile(r"\bMexico\b|\bMexican\b"), "MX"),
    (re.compile(r"\bBrazil\b|\bBrazilian\b"), "BR"),
    (re.compile(r"\bNetherlands\b|\bDutch\b"), "NL"),
    (re.compile(r"\bSweden\b|\bSwedish\b"), "SE"),
]  # fmt: skip
_REGION_WORDS = wordset(
    """north america american americans united states kingdom britain british england
    ireland irish france french germany german spain spanish italy italian japan japanese
    china chinese korea korean south india indian australia australian zealand canada
    canadian mexico mexican brazil brazilian netherlands dutch sweden swedish europe
    european asia asian"""
)
_PRODUCTION = re.compile(
    r"\b(?:wrapped (?:production|filming|shooting|principal photography)|"
    r"(?:began|begins|started|starts|starting|resumed|halted|paused|completed|"
    r"finished) (?:production|filming|shooting|principal photography|reshoots)|"
    r"(?:production|filming|shooting|principal photography) (?:began|begins|started|starts|"
    r"wrapped|is underway|kicked off|resumed|halted|was halted|was paused|will begin|"
    r"is set to begin|is scheduled to begin|took place)|"
    r"(?:currently|now) (?:in production|filming|shooting)|in post-production|"
    r"reshoots|was (?:shot|filmed) (?:in|on|entirely|over)|(?:shot|filmed) on location|"
    r"budget of|runtime of|running time of)\b",
    re.IGNORECASE,
)
_HABITUAL = re.compile(
    r"\b(?:tends? to|usually|typically|often|always|normally|generally)\b[^.,;]*$",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r"\b(?:(?:last|next|this) (?:year|spring|summer|fall|autumn|winter)|"
    r"the (?:following|previous) year|earlier this year|later this year)\b",
    re.IGNORECASE,
)


# --- helpers ----------------------------------------------------------------


def _by_first(cues: list[Cue]) -> dict[str, list[Cue]]:
    """Cue phrases grouped by first word, so each token checks only its own."""
    out: dict[str, list[Cue]] = {}
    for cue in cues:
        out.setdefault(cue[0], []).append(cue)
    return out


def _by_last(cues: list[Cue]) -> dict[str, list[Cue]]:
    out: dict[str, list[Cue]] = {}
    for cue in cues:
        out.setdefault(cue[-1], []).append(cue)
    return out


def _starts(tokens: list[Token], i: int, index: dict[str, list[Cue]]) -> list[Cue]:
    """Cues from `index` that match at token i (in table order)."""
    if i >= len(tokens):
        return []
    return [c for c in index.get(tokens[i].low, ()) if _matches(tokens, i, c)]


def _ends(tokens: list[Token], end: int, index: dict[str, list[Cue]]) -> list[Cue]:
    """Cues from `index` that end just before token `end`."""
    if end <= 0 or end > len(tokens):
        return []
    return [c for c in index.get(tokens[end - 1].low, ()) if _ends_at(tokens, end, c)]


def _matches(tokens: list[Token], i: int, phrase: Cue) -> bool:
    if i < 0 or i + len(phrase) > len(tokens):
        return False
    return all(tokens[i + k].low == w for k, w in enumerate(phrase))


def _ends_at(tokens: list[Token], end: int, phrase: Cue) -> bool:
    return _matches(tokens, end - len(phrase), phrase)


_PRE_INDEX: dict[str, list[tuple[Cue, tuple[str, ...], str | None]]] = {}
for _cue in _PRE_CUES:
    _PRE_INDEX.setdefault(_cue[0][0], []).append(_cue)
_POST_INDEX: dict[str, list[tuple[Cue, str, str | None, bool]]] = {}
for _pcue in _POST_CUES:
    _POST_INDEX.setdefault(_pcue[0][0], []).append(_pcue)
_OUTLET_INDEX = _by_first(_OUTLET_CUES)
_TITLE_PRE_INDEX = _by_last(_TITLE_PRE)
_TITLE_POST_INDEX = _by_first(_TITLE_POST)
_TITLE_NEG_INDEX = _by_last(_TITLE_NEG_PRE)
_STUDIO_PRE_INDEX = _by_last(_STUDIO_PRE)
_STUDIO_POST_INDEX = _by_first(_STUDIO_POST)


class _Matcher:
    """Exact token-sequence lookup for catalog names and titles."""

    def __init__(self, names: Iterable[str]) -> None:
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        self.names: set[str] = set()
        for name in names:
            words = tuple(t.text for t in tokenize(name))
            if not words:
                continue
            self.names.add(name)
            self._by_first.setdefault(words[0], []).append(words)
        for seqs in self._by_first.values():
            seqs.sort(key=len, reverse=True)

    def match(self, tokens: list[Token], i: int) -> int:
        """End index of the longest known name starting at i, or i."""
        if i >= len(tokens):
            return i
        for seq in self._by_first.get(tokens[i].text, ()):
            end = i + len(seq)
            if end > len(tokens):
                continue
            ok = True
            for k, word in enumerate(seq):
                text = tokens[i + k].text
                if text != word and not (k == len(seq) - 1 and strip_possessive(text) == word):
                    ok = False
                    break
            if ok:
                return end
        return i

    def __bool__(self) -> bool:
        return bool(self._by_first)


@dataclass
class _Sentence:
    index: int
    text: str
    tokens: list[Token]
    in_parens: list[bool] = field(default_factory=list)

    def span(self, i: int, j: int) -> str:
        return self.text[self.tokens[i].start : self.tokens[j - 1].end] if j > i else ""


@dataclass
class _Hit:
    form: str
    role: str
    pos: tuple[int, int]
    status: str | None = None
    character: str | None = None
    mononym_ok: bool = True


def _prepare(body: str) -> list[_Sentence]:
    out: list[_Sentence] = []
    for idx, text in enumerate(split_sentences(body)):
        tokens = tokenize(text)
        depth = 0
        flags: list[bool] = []
        for tok in tokens:
            if tok.text in "([":
                depth += 1
                flags.append(True)
            elif tok.text in ")]":
                flags.append(depth > 0)
                depth = max(0, depth - 1)
            else:
                flags.append(depth > 0)
        out.append(_Sentence(idx, text, tokens, flags))
    return out


def _parse_title(tokens: list[Token], i: int) -> int:
    """End of a Title Case span starting at i: capitalised words and numbers joined
    by colons, spaced dashes, '&' and a few small words ("of the")."""
    n = len(tokens)
    j = i
    last = i
    while j < n:
        tok = tokens[j]
        if tok.is_word and (tok.is_cap or tok.is_digit):
            j += 1
            last = j
            if tok.text.endswith(("'s", "’s")) and j < n and not tokens[j].is_cap:
                break
            continue
        if j == last and j > i and j + 1 < n:
            nxt = tokens[j + 1]
            nxt_ok = nxt.is_word and (nxt.is_cap or nxt.is_digit)
            if tok.text == ":" and nxt_ok:
                j += 1
                continue
            if tok.text in "–—-" and nxt_ok and tok.start > tokens[j - 1].end:
                j += 1
                continue
            if tok.text in ("&", "+") and nxt_ok:
                j += 1
                continue
            if tok.low in _TITLE_GLUE and not tok.is_cap:
                k = j
                while k < n and k - j < 2 and tokens[k].low in _TITLE_GLUE:
                    k += 1
                if (
                    k < n
                    and tokens[k].is_word
                    and tokens[k].is_cap
                    and tokens[k].low not in MONTHS
                    and tokens[k].low not in WEEKDAYS
                ):
                    j = k
                    continue
        break
    return last


def _strip_lead(sent: _Sentence, i: int, j: int) -> int:
    """Skip leading stop/role words of a span (keeping a title's "The")."""
    while i < j:
        low = sent.tokens[i].low
        if low in ROLE_WORDS or low in WEEKDAYS or (low in STOP_CAPS and low not in {"the", "a"}):
            i += 1
            continue
        if low in {"the", "a"} and (i + 1 >= j or not sent.tokens[i + 1].is_cap):
            i += 1
            continue
        break
    return i


def _title_spans(sent: _Sentence, titles: _Matcher) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    toks = sent.tokens
    i = 0
    while i < len(toks):
        if sent.in_parens[i]:
            i += 1
            continue
        end = titles.match(toks, i) if titles else i
        if end > i:
            spans.append((i, end))
            i = end
            continue
        tok = toks[i]
        if tok.is_word and (tok.is_cap or tok.is_digit):
            j = _parse_title(toks, i)
            start = _strip_lead(sent, i, j)
            if start < j:
                spans.append((start, j))
            i = max(j, i + 1)
            continue
        i += 1
    return spans


def _parenthetical(sent: _Sentence, j: int) -> tuple[str | None, int]:
    """A credit in parentheses at token j: ("Some Show", index after ')')."""
    toks = sent.tokens
    if j >= len(toks) or toks[j].text != "(":
        return None, j
    k = j + 1
    while k < len(toks) and toks[k].text != ")" and k - j < 30:
        k += 1
    if k >= len(toks) or toks[k].text != ")" or k == j + 1:
        return None, j
    inner = sent.text[toks[j + 1].start : toks[k - 1].end].strip()
    first = toks[j + 1]
    if not (first.is_cap or first.is_digit) or inner.isdigit() or len(inner) > 80:
        return None, k + 1
    if first.low in MONTHS or first.low in STOP_CAPS - {"the", "a"} or first.low in ROLE_WORDS:
        return None, k + 1
    if all(t.is_digit or not t.is_word for t in toks[j + 1 : k]):
        return None, k + 1
    return inner, k + 1


def _parse_character(sent: _Sentence, i: int) -> tuple[str | None, int]:
    toks = sent.tokens
    k = i
    while k < len(toks) and k - i < 4 and toks[k].low in _CHAR_SKIP and not toks[k].is_cap:
        k += 1
    if k >= len(toks) or not toks[k].is_cap or not toks[k].is_word:
        return None, i
    j = k
    while j < len(toks) and j - k < 6:
        tok = toks[j]
        if tok.is_word and tok.is_cap and tok.low not in MONTHS:
            j += 1
            if tok.text.endswith(("'s", "’s")):
                break
            continue
        if (
            tok.low in {"of", "de", "da", "van", "von", "the", "del", "la", "le"}
            and not tok.is_cap
            and j + 1 < len(toks)
            and toks[j + 1].is_cap
            and j > k
        ):
            j += 1
            continue
        break
    if j == k:
        return None, i
    text = strip_possessive(sent.span(k, j))
    if toks[k].low in STOP_CAPS and j - k == 1:
        return None, i
    return text, j


# --- people -------------------------------------------------------------------


class _PeopleFinder:
    def __init__(self, people: _Matcher) -> None:
        self.people = people
        self.hits: list[_Hit] = []
        self.known_for: dict[str, str] = {}
        self.characters: set[str] = set()

    def name_at(self, sent: _Sentence, i: int) -> int:
        end = self.people.match(sent.tokens, i) if self.people else i
        return max(end, parse_name(sent.tokens, i))

    def run(self, sent: _Sentence) -> None:
        toks = sent.tokens
        for i in range(len(toks)):
            if sent.in_parens[i]:
                continue
            self._pre(sent, i)
            self._post(sent, i)
        self._credits(sent)

    def _credits(self, sent: _Sentence) -> None:
        toks = sent.tokens
        i = 0
        while i < len(toks):
            j = self.name_at(sent, i)
            if j > i:
                credit, _ = _parenthetical(sent, j)
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
        if before & _RETURN_WORDS:
            return "returning"
        if before & _NEW_WORDS:
            return "new"
        return None

    def _pre(self, sent: _Sentence, i: int) -> None:
        toks = sent.tokens
        for phrase, roles, status in _PRE_INDEX.get(toks[i].low, ()):
            if not _matches(toks, i, phrase):
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

    def _name_follows(self, sent: _Sentence, j: int) -> bool:
        toks = sent.tokens
        while j < len(toks) and toks[j].low in {"actor", "actress", "newcomer"}:
            j += 1
        return self.name_at(sent, j) > j

    def _list(
        self, sent: _Sentence, j: int, roles: tuple[str, ...], status: str | None, strict: bool
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
                credit, k = _parenthetical(sent, k)
                if credit:
                    self.known_for.setdefault(form, credit)
                if k < n and toks[k].low == "as":
                    character, k2 = _parse_character(sent, k + 1)
                    k = k2 if character else k
            for role in roles:
                char = character if role == "actor" else None
                self.hits.append(_Hit(form, role, (sent.index, j), status, char))
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
            elif k < n and _matches(toks, k, ("as", "well", "as")):
                k += 3
            elif k == end or toks[k - 1].text != ",":
                return
            j = k

    def _post(self, sent: _Sentence, i: int) -> None:
        toks = sent.tokens
        for phrase, role, status, takes_char in _POST_INDEX.get(toks[i].low, ()):
            if not _matches(toks, i, phrase):
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
            if phrase[0] in _JOIN_CUES and not self._cast_nearby(toks, i):
                return
            form = name_text(toks, s_start, s_end, sent.text)
            character = None
            if takes_char:
                character, _ = _parse_character(sent, after)
            elif role == "actor":
                character = self._as_character(sent, after)
            if character:
                self.characters.add(character)
            self.hits.append(
                _Hit(form, role, (sent.index, s_start), status, character, mononym_ok=True)
            )
            return

    @staticmethod
    def _cast_nearby(toks: list[Token], j: int) -> bool:
        window = {t.low for t in toks[j : j + 8]}
        return bool(window & {"cast", "ensemble", "as", "film", "movie", "sequel", "lineup"})

    def _as_character(self, sent: _Sentence, j: int) -> str | None:
        """ "... the cast of Y as Z" / "reprises her role as Z": the Z."""
        toks = sent.tokens
        for k in range(j, min(len(toks), j + 30)):
            if toks[k].text in ".;":
                return None
            if toks[k].low == "as" and not _ends_at(toks, k, ("such",)):
                if k + 2 < len(toks) and _matches(toks, k, ("as", "well", "as")):
                    return None
                char, _ = _parse_character(sent, k + 1)
                return char
        return None

    def _subject_before(self, sent: _Sentence, i: int) -> tuple[int, int] | None:
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


def _outlets(sentences: list[_Sentence]) -> set[str]:
    found: set[str] = set()
    for sent in sentences:
        toks = sent.tokens
        for i in range(len(toks)):
            for phrase in _starts(toks, i, _OUTLET_INDEX):
                j = i + len(phrase)
                if j < len(toks) and toks[j].is_cap:
                    end = _parse_title(toks, j)
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

    for sent in _prepare(body):
        toks = sent.tokens
        for i, j in _title_spans(sent, _Matcher(())):
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
                credit, _ = _parenthetical(sent, i)
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
    sentences = _prepare(body)
    summary = summarize(body)
    people_matcher = _Matcher(known_people)
    title_matcher = _Matcher(known_titles)
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
        if canonical in blocked or any(w.lower() in _REGION_WORDS for w in canonical.split()):
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
        releases = _releases(sentences, published, titles, title, own)
        facts = _production_facts(sentences, published, titles, title, own)
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
    sentences: list[_Sentence], person_forms: dict[str, set[str]]
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


def _studios(sentences: list[_Sentence], titles: _Matcher, outlets: set[str]) -> list[str]:
    found: dict[str, None] = {}
    for sent in sentences:
        toks = sent.tokens
        for i, j in _title_spans(sent, titles):
            text = strip_possessive(sent.span(i, j))
            if text in outlets or j - i < 1:
                continue
            last = toks[j - 1].low.rstrip("'s").rstrip("’s") if j > i else ""
            if (j - i >= 2 and last in _STUDIO_SUFFIXES) or (
                j - i >= 2 and toks[j - 1].low in _STUDIO_SUFFIXES
            ):
                found.setdefault(text, None)
                continue
            if _ends(toks, i, _STUDIO_PRE_INDEX) and not toks[i - 1].is_cap:
                found.setdefault(text, None)
                continue
            at_start = i == 0 or toks[i - 1].text in '"“('
            if (
                at_start
                and j - i <= 3
                and _starts(toks, j, _STUDIO_POST_INDEX)
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
    if lows[0] in _GENERIC_TITLE_HEADS and len(lows) <= 2:
        return True
    if any(w in _REGION_WORDS for w in lows) and all(
        w in _REGION_WORDS or w in STOP_CAPS for w in lows
    ):
        return True
    return lows[-1] in INSTITUTION_WORDS or lows[-1] in STUDIO_SUFFIXES


def _films(
    sentences: list[_Sentence], titles: _Matcher, excluded: set[str], outlets: set[str]
) -> list[tuple[str, tuple[str, ...]]]:
    """The film(s) the article is about, each with the shorter forms it uses."""
    cands: dict[str, _TitleCand] = {}
    for sent in sentences:
        toks = sent.tokens
        for i, j in _title_spans(sent, titles):
            text = strip_possessive(sent.span(i, j))
            if text in excluded or text in outlets or _is_generic_title(toks[i:j]):
                continue
            known = text in titles.names
            cand = cands.setdefault(text, _TitleCand(text))
            cand.count += 1
            cand.first = min(cand.first, (sent.index, i))
            cand.sentences.add(sent.index)
            cues = len(_ends(toks, i, _TITLE_PRE_INDEX)) + len(_starts(toks, j, _TITLE_POST_INDEX))
            neg = len(_ends(toks, i, _TITLE_NEG_INDEX))
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
                return "part" if head in _GENERIC_TITLE_HEADS else "alias"
    if long_.startswith(short) and long_[len(short) : len(short) + 1] in (" ", ":", ""):
        return "part"
    if long_.endswith(" " + short):
        return "part"
    return None


def _film_for(sent: _Sentence, titles: list[str], title: str, own: bool) -> bool:
    """Does this sentence's information belong to `title`?"""
    mentioned = [t for t in titles if t in sent.text]
    if len(mentioned) == 1:
        return mentioned[0] == title
    return own


def _region(text: str) -> str | None:
    best: tuple[int, str] | None = None
    for pattern, code in _REGIONS:
        for m in pattern.finditer(text):
            if best is None or m.start() > best[0]:
                best = (m.start(), code)
    return best[1] if best else None


def _kind(text: str, last: bool) -> str | None:
    best: tuple[int, str] | None = None
    for kind, pattern in _KIND_CUES:
        for m in pattern.finditer(text):
            pos = m.start()
            if best is None or (pos > best[0] if last else pos < best[0]):
                best = (pos, kind)
    return best[1] if best else None


def _releases(
    sentences: list[_Sentence],
    published: dt.date,
    titles: list[str],
    title: str,
    own: bool,
) -> tuple[ReleaseFact, ...]:
    facts: list[ReleaseFact] = []
    for sent in sentences:
        text = sent.text
        if not _RELEASE_CUE.search(text) or not _film_for(sent, titles, title, own):
            continue
        dates = find_dates(text, published)
        kept: list[DateMention] = []
        for d in dates:
            before = text[max(0, d.start - 60) : d.start]
            if _STALE_DATE.search(before):
                continue
            if d.start > 0 and text[d.start - 1] == "(" and d.precision == "year":
                continue
            kept.append(d)
        for n, d in enumerate(dates):
            if d not in kept:
                continue
            prev_end = dates[n - 1].end if n > 0 else 0
            next_start = dates[n + 1].start if n + 1 < len(dates) else len(text)
            before = text[prev_end : d.start]
            after = text[d.end : min(next_start, d.end + 50)]
            kind = _kind(before, last=True) or _kind(after, last=False)
            if kind is None:
                kinds = {k for k, p in _KIND_CUES if p.search(text)}
                kind = kinds.pop() if len(kinds) == 1 else "announced"
            region = _region(before) or _region(after)
            facts.append(ReleaseFact(d.date, d.precision, region, kind, text))
    return tuple(_dedupe_releases(facts))


_RANK = {"day": 0, "month": 1, "year": 2}


def _dedupe_releases(facts: list[ReleaseFact]) -> list[ReleaseFact]:
    """Drop repeats and vaguer restatements of a more precise date of the same kind."""
    out: list[ReleaseFact] = []
    seen: set[tuple[dt.date, str, str | None, str]] = set()
    for f in facts:
        key = (f.date, f.precision, f.region, f.kind)
        if key in seen:
            continue
        vaguer = False
        for g in facts:
            if g is f or _RANK[g.precision] >= _RANK[f.precision]:
                continue
            if g.kind != f.kind and f.kind != "announced":
                continue
            if f.region is not None and g.region != f.region:
                continue
            same = g.date.year == f.date.year and (
                f.precision == "year" or g.date.month == f.date.month
            )
            if same:
                vaguer = True
                break
        if not vaguer:
            seen.add(key)
            out.append(f)
    return out


def _production_facts(
    sentences: list[_Sentence],
    published: dt.date,
    titles: list[str],
    title: str,
    own: bool,
) -> tuple[str, ...]:
    facts: list[str] = []
    for sent in sentences:
        m = _PRODUCTION.search(sent.text)
        if not m or not _film_for(sent, titles, title, own):
            continue
        if _HABITUAL.search(sent.text[max(0, m.start() - 30) : m.start()]):
            continue  # "tends to start production with ..." is not an event
        clause = _clause(sent.text, m.start(), m.end())
        rel = _RELATIVE.search(clause)
        if rel:
            resolved = [d for d in find_dates(rel.group(), published) if d.relative]
            if resolved:
                clause = f"{clause} ({describe(resolved[0])})"
        if clause not in facts:
            facts.append(clause)
    return tuple(facts)


_CLAUSE_BREAK = re.compile(r"[;]\s|,\s(?=(?:which|while|but|and|as)\b)|\s[–—]\s|\s--\s")


def _clause(sentence: str, start: int, end: int) -> str:
    """The clause of a sentence around a match, without its final period."""
    text = sentence
    if len(sentence) > 160:
        lo, hi = 0, len(sentence)
        for b in _CLAUSE_BREAK.finditer(sentence):
            if b.end() <= start:
                lo = b.end()
            elif b.start() >= end:
                hi = b.start()
                break
        text = sentence[lo:hi]
    return text.strip().rstrip(".").strip()
