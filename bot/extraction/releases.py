"""Release dates: which DATE entities a release cue ties to a film, what kind of
release each is, where, and whether the film moved away from it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import re

from spacy.tokens import Span

from bot.extraction.dates import DateMention, find_dates
from bot.extraction.model import ReleaseFact

_STREAMERS = (
    r"Netflix|Prime Video|Amazon Prime|Disney\+|Hulu|HBO Max|Max|Apple TV\+|Peacock|MUBI|"
    r"Mubi|Shudder|Tubi|Crunchyroll|Starz|Showtime|Paramount\+"
)
RELEASE_CUE = re.compile(
    r"\b(?:releas\w*|debut\w*|premier\w*|theaters?|theatres?|cinemas?|theatrical\w*|"
    r"digital\w*|stream\w*|on demand|VOD|Blu-ray|DVD|opens?|opening|hits?|arrives?|slated|"
    r"dated|moved|pushed|delayed|shifted|bumped|bows?|lands?|out on|in time for|"
    r"release date|set (?:for|to open|to hit|to debut|to arrive)|scheduled|festival|"
    r"(?:new|original|previous|old) (?:\w+ )?date|slot\w*|target\w*|appear\w*|"
    rf"world premiere|screen(?:s|ing)?|{_STREAMERS})\b",
    re.IGNORECASE,
)
_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("festival", re.compile(r"\b(?:festival|fest|film market|TIFF|Sundance|Berlinale)\b", re.I)),
    ("premiere", re.compile(r"\bpremier\w*\b", re.IGNORECASE)),
    (
        "digital",
        re.compile(
            r"\b(?:digital\w*|stream\w*|on demand|VOD|PVOD|Blu-ray|DVD|home (?:release|"
            rf"entertainment|video)|{_STREAMERS})\b",
            re.IGNORECASE,
        ),
    ),
    (
        "theatrical",
        re.compile(
            r"\b(?:theaters?|theatres?|cinemas?|theatrical\w*|box office|big screen|IMAX)\b",
            re.IGNORECASE,
        ),
    ),
]
_STALE = re.compile(
    r"\b(?:from|originally|previously|initially|formerly|original|previous|had been|"
    r"was (?:set|slated|"
    r"scheduled|dated|due) (?:for|to)|instead of|rather than)\b[^.;]{0,40}$",
    re.IGNORECASE,
)
_NEW_DATE = re.compile(r"\b(?:to|until|for|on)\s+(?:the\s+)?$", re.IGNORECASE)
REGIONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bNorth Americ\w*|\bU\.S\.(?:A\.)?|\bUS\b|\bUSA\b|\bUnited States\b"
                r"|\bstateside\b|\bdomestic\w*"), "US"),
    (re.compile(r"\bU\.K\.|\bUK\b|\bUnited Kingdom\b|\bBritain\b|\bBritish\b|\bEngland\b"), "GB"),
    (re.compile(r"\bIreland\b"), "IE"),
    (re.compile(r"\bFrance\b|\bFrench cinemas\b"), "FR"),
    (re.compile(r"\bGermany\b"), "DE"),
    (re.compile(r"\bSpain\b|\bSpanish cinemas\b"), "ES"),
    (re.compile(r"\bItaly\b"), "IT"),
    (re.compile(r"\bJapan\b"), "JP"),
    (re.compile(r"\bChina\b"), "CN"),
    (re.compile(r"\bSouth Korea\b|\bKorea\b"), "KR"),
    (re.compile(r"\bIndia\b"), "IN"),
    (re.compile(r"\bAustralia\b"), "AU"),
    (re.compile(r"\bNew Zealand\b"), "NZ"),
    (re.compile(r"\bCanada\b"), "CA"),
    (re.compile(r"\bMexico\b"), "MX"),
    (re.compile(r"\bBrazil\b"), "BR"),
]  # fmt: skip


def region_of(text: str) -> str | None:
    best: tuple[int, str] | None = None
    for pattern, code in REGIONS:
        for m in pattern.finditer(text):
            if best is None or m.start() > best[0]:
                best = (m.start(), code)
    return best[1] if best else None


def kind_of(before: str, after: str) -> str:
    """The kind cue nearest the date: the last one before it, else the first after."""
    best: tuple[int, str] | None = None
    for kind, pattern in _KINDS:
        for m in pattern.finditer(before):
            if best is None or m.start() > best[0]:
                best = (m.start(), kind)
    if best:
        return best[1]
    for kind, pattern in _KINDS:
        m = pattern.search(after)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), kind)
    return best[1] if best else "theatrical"


def release_dates(sent: Span, published: dt.date) -> list[tuple[ReleaseFact, int]]:
    """Release facts a sentence states, each with the token index of its date (the film
    is decided by the caller)."""
    text = sent.text
    if not RELEASE_CUE.search(text):
        return []
    date_ents = [e for e in sent.ents if e.label_ == "DATE"]
    if not date_ents:
        return []
    facts: list[tuple[ReleaseFact, int]] = []
    relative: list[bool] = []
    base = sent.start_char
    for ent in date_ents:
        # A little left context lets "in 2026" and "this fall" read as dates.
        lo = max(sent.start_char, ent.start_char - 12)
        window = sent.doc.text[lo : ent.end_char]
        mentions = [m for m in find_dates(window, published) if lo + m.end > ent.start_char]
        past = _told_in_past(ent)
        for m in mentions:
            if past:
                m = _last_before(m, published)
            start = lo + m.start - base
            fact = _fact(text, start, m, published)
            if fact is not None:
                facts.append((fact, ent.start))
                relative.append(m.relative)
    facts = _moved_from_before(facts, relative)
    kept = dedupe_releases([f for f, _ in facts])
    return [(f, at) for f, at in facts if f in kept]


def _moved_from_before(
    facts: list[tuple[ReleaseFact, int]], relative: list[bool]
) -> list[tuple[ReleaseFact, int]]:
    """ "pushed back from May 11 to Nov. 6": the date moved from, written without a year,
    comes before the date moved to; read as the next May 11 after the article it would
    land after it, so it is the one a year earlier."""
    out = []
    for n, (fact, at) in enumerate(facts):
        later = [f for f, _ in facts[n + 1 :] if not f.superseded]
        if fact.superseded and relative[n] and later and later[0].date < fact.date:
            with contextlib.suppress(ValueError):  # February 29 stays as it is
                fact = dataclasses.replace(fact, date=fact.date.replace(year=fact.date.year - 1))
        out.append((fact, at))
    return out


def _told_in_past(ent: Span) -> bool:
    """The verb the date hangs on is in the past tense: "had its world premiere on
    March 8", "opened on May 2" (not "was supposed to open on", whose verb is "open")."""
    doc = ent.doc
    if any(t.lower_ == "since" for t in doc[max(ent.sent.start, ent.start - 5) : ent.start]):
        return True  # "4 million admissions since its release on July 26"
    verb, steps = ent.root, 0
    while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i and steps < 3:
        verb, steps = verb.head, steps + 1
    if verb.tag_ != "VBD":  # a verb further off tells another event ("after a push to ...")
        return False
    return not any(c.dep_ == "xcomp" for c in verb.children)


def _last_before(m: DateMention, published: dt.date) -> DateMention:
    """A day without a year told in the past tense: the last such day on or before the
    article, not the next one."""
    if not m.relative or m.precision != "day" or m.date <= published:
        return m
    try:
        earlier = m.date.replace(year=m.date.year - 1)
    except ValueError:  # February 29
        return m
    return dataclasses.replace(m, date=earlier)


def _fact(text: str, start: int, m: DateMention, published: dt.date) -> ReleaseFact | None:
    before = text[max(0, start - 60) : start]
    superseded = bool(_STALE.search(before)) and not _NEW_DATE.search(before[-12:])
    if not superseded and _history(m, published):
        return None  # "the franchise began in 1996": not this film's release
    clause_start, clause_end = _clause(text, start)
    before = text[clause_start:start]
    after = text[start + (m.end - m.start) : clause_end]
    return ReleaseFact(
        date=m.date,
        precision=m.precision,
        region=region_of(before[-50:]) or region_of(after[:25]),
        kind=kind_of(before, after[:40]),
        sentence=text.strip(),
        note=m.label,
        superseded=superseded,
    )


def _history(m: DateMention, published: dt.date) -> bool:
    if m.precision in {"year", "season"}:
        return m.date.year < published.year
    return (published - m.date).days > 180


_BREAK = re.compile(r";|, (?:while|and|but|with)\b|\band (?:in|on)\b")


def _clause(text: str, start: int) -> tuple[int, int]:
    """Bounds of the clause around `start`: "in Spain on June 12, and in the U.K. on ..."."""
    lo, hi = 0, len(text)
    for m in _BREAK.finditer(text):
        if m.end() <= start:
            lo = m.start()
        elif m.start() > start:
            hi = m.start()
            break
    return lo, hi


_RANK = {"day": 0, "month": 1, "season": 2, "year": 3}


def dedupe_releases(facts: list[ReleaseFact]) -> list[ReleaseFact]:
    """Drop repeats and vaguer restatements of a more precise date ("this October" beside
    "October 21"), whatever kind each is read as: the vaguer one adds nothing sure."""
    out: list[ReleaseFact] = []
    seen: set[tuple[dt.date, str, str | None, str, bool]] = set()
    for f in facts:
        key = (f.date, f.precision, f.region, f.kind, f.superseded)
        if key in seen:
            continue
        vaguer = any(
            _RANK[g.precision] < _RANK[f.precision]
            and g.superseded == f.superseded
            and g.date.year == f.date.year
            and (f.precision != "month" or g.date.month == f.date.month)
            for g in facts
        )
        if not vaguer:
            seen.add(key)
            out.append(f)
    return out
