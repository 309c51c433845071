"""Release dates and production facts: which dated sentences are about a film,
what kind of release each date is (theatrical, digital, premiere) and where.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.news.dates import DateMention, describe, find_dates
from bot.news.focus import Focus
from bot.news.spans import Sentence
from bot.news.summarize import wordset


@dataclass(frozen=True)
class ReleaseFact:
    date: dt.date
    precision: str  # "day" | "month" | "year"
    region: str | None
    kind: str  # "theatrical" | "digital" | "premiere" | "announced"
    sentence: str
    note: str | None = None  # the stated period when vaguer than the date ("fall 2025")


# Streaming services: a release "on" one of them is a digital release.
_STREAMERS = (
    r"Netflix|Prime Video|Amazon Prime|Disney\+|Hulu|HBO Max|(?:on|to) Max|Apple TV\+|"
    r"Peacock|MUBI|Mubi|Shudder|Tubi|Crunchyroll|Starz|Showtime"
)
# A present or future verb before a date: "opens on the 4th of July" is the next one.
_FUTURE = re.compile(
    r"\b(?:opens|will|arrives|hits|debuts|premieres|lands|bows|is (?:set|slated|scheduled|due)|"
    r"comes|returns)\b",
    re.IGNORECASE,
)
_PAST = re.compile(r"\b(?:opened|premiered|debuted|arrived|was released|landed|bowed)\b", re.I)
_NEW_DATE = re.compile(r"\bto\s+(?:the\s+)?$")

RELEASE_CUE = re.compile(
    r"\b(?:releas\w*|debut\w*|premiere\w*|theaters?|theatres?|cinemas?|theatrical\w*|"
    r"digital\w*|stream\w*|on demand|VOD|Blu-ray|DVD|opens?|opening|hits?|arrives?|slated|"
    r"dated|moved|pushed|delayed|shifted|bows?|lands?|out on|in time for|release date|"
    r"(?:has|have) set|set (?:for|a)|"
    rf"{_STREAMERS})\b",
    re.IGNORECASE,
)
KIND_CUES: list[tuple[str, re.Pattern[str]]] = [
    (
        "digital",
        re.compile(
            r"\b(?:digital\w*|stream\w*|on demand|VOD|PVOD|Blu-ray|DVD|home (?:release|"
            rf"entertainment|video)|{_STREAMERS})\b",
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
STALE_DATE = re.compile(
    r"\b(?:from|originally|previously|initially|formerly|had been|was (?:set|slated|"
    r"scheduled|dated) (?:for|to)|instead of)\b[^.;]{0,40}$",
    re.IGNORECASE,
)
REGIONS: list[tuple[re.Pattern[str], str]] = [
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
REGION_WORDS = wordset(
    """north america american americans united states kingdom britain british england
    ireland irish france french germany german spain spanish italy italian japan japanese
    china chinese korea korean south india indian australia australian zealand canada
    canadian mexico mexican brazil brazilian netherlands dutch sweden swedish europe
    european asia asian"""
)
PRODUCTION = re.compile(
    r"\b(?:wrapped (?:production|filming|shooting|principal photography)|"
    r"(?:began|begins|started|starts|starting|resumed|halted|paused|completed|"
    r"finished) (?:production|filming|shooting|principal photography|reshoots)|"
    r"(?:production|filming|shooting|principal photography) (?:began|begins|started|starts|"
    r"wrapped|is underway|kicked off|resumed|halted|was halted|was paused|will begin|"
    r"is set to begin|is scheduled to begin|is expected to begin|will start|took place)|"
    r"(?:currently|now) (?:in production|filming|shooting)|in post-production|"
    r"reshoots|was (?:shot|filmed) (?:in|on|entirely|over)|(?:shot|filmed) on location|"
    r"cameras (?:roll|rolled|will roll|are set to roll|start rolling)|"
    r"budget of|runtime of|running time of)\b",
    re.IGNORECASE,
)
HABITUAL = re.compile(
    r"\b(?:tends? to|usually|typically|often|always|normally|generally)\b[^.,;]*$",
    re.IGNORECASE,
)
RELATIVE = re.compile(
    r"\b(?:(?:last|next|this) (?:year|spring|summer|fall|autumn|winter)|"
    r"the (?:following|previous) year|earlier this year|later this year)\b",
    re.IGNORECASE,
)


def region_of(text: str) -> str | None:
    best: tuple[int, str] | None = None
    for pattern, code in REGIONS:
        for m in pattern.finditer(text):
            if best is None or m.start() > best[0]:
                best = (m.start(), code)
    return best[1] if best else None


def kind_of(text: str, last: bool) -> str | None:
    best: tuple[int, str] | None = None
    for kind, pattern in KIND_CUES:
        for m in pattern.finditer(text):
            pos = m.start()
            if best is None or (pos > best[0] if last else pos < best[0]):
                best = (pos, kind)
    return best[1] if best else None


def releases_for(
    sentences: list[Sentence], published: dt.date, title: str, focus: Focus
) -> tuple[ReleaseFact, ...]:
    facts: list[ReleaseFact] = []
    for sent in sentences:
        text = sent.text
        if not RELEASE_CUE.search(text):
            continue
        dates = find_dates(text, published)
        kept: list[DateMention] = []
        for d in dates:
            if focus.at_char(sent.index, d.start) != title:
                continue
            before = text[max(0, d.start - 60) : d.start]
            if STALE_DATE.search(before) and not _NEW_DATE.search(before):
                continue  # "moved from A": A is stale; "from A to B": B is the news
            if d.start > 0 and text[d.start - 1] == "(" and d.precision == "year":
                continue
            kept.append(d)
        for n, d in enumerate(dates):
            if d not in kept:
                continue
            prev_end = dates[n - 1].end if n > 0 else 0
            next_start = dates[n + 1].start if n + 1 < len(dates) else len(text)
            before = text[prev_end : d.start]
            if PRODUCTION.search(before) and not RELEASE_CUE.search(before):
                continue  # "Production begins in Berlin in September, with a release ..."
            after = text[d.end : min(next_start, d.end + 50)]
            kind = kind_of(before, last=True) or kind_of(after, last=False)
            if kind is None:
                kinds = {k for k, p in KIND_CUES if p.search(text)}
                kind = kinds.pop() if len(kinds) == 1 else "announced"
            region = region_of(before) or region_of(after)
            date = d.date
            if d.relative and d.precision == "day" and date < published:
                clause = text[max(0, d.start - 80) : d.start]
                if _FUTURE.search(clause) and not _PAST.search(clause):
                    date = _next_year(date)
            facts.append(ReleaseFact(date, d.precision, region, kind, text, d.label))
    return tuple(dedupe_releases(facts))


def _next_year(date: dt.date) -> dt.date:
    try:
        return date.replace(year=date.year + 1)
    except ValueError:  # February 29
        return date.replace(year=date.year + 1, day=28)


RANK = {"day": 0, "month": 1, "year": 2}


def dedupe_releases(facts: list[ReleaseFact]) -> list[ReleaseFact]:
    """Drop repeats and vaguer restatements of a more precise date of the same kind."""
    out: list[ReleaseFact] = []
    seen: set[tuple[dt.date, str, str | None, str]] = set()
    for f in facts:
        key = (f.date, f.precision, f.region, f.kind)
        if key in seen:
            continue
        vaguer = False
        for g in facts:
            if g is f or RANK[g.precision] >= RANK[f.precision]:
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


def production_facts(
    sentences: list[Sentence], published: dt.date, title: str, focus: Focus
) -> tuple[str, ...]:
    facts: list[str] = []
    for sent in sentences:
        m = PRODUCTION.search(sent.text)
        if not m or focus.at_char(sent.index, m.start()) != title:
            continue
        if HABITUAL.search(sent.text[max(0, m.start() - 30) : m.start()]):
            continue  # "tends to start production with ..." is not an event
        clause = clause_around(sent.text, m.start(), m.end())
        rel = RELATIVE.search(clause)
        if rel:
            resolved = [d for d in find_dates(rel.group(), published) if d.relative]
            if resolved:
                clause = f"{clause} ({describe(resolved[0])})"
        if clause not in facts:
            facts.append(clause)
    return tuple(facts)


CLAUSE_BREAK = re.compile(r"[;]\s|,\s(?=(?:which|while|but|and|as)\b)|\s[–—]\s|\s--\s")


def clause_around(sentence: str, start: int, end: int) -> str:
    """The clause of a sentence around a match, without its final period."""
    text = sentence
    if len(sentence) > 160:
        lo, hi = 0, len(sentence)
        for b in CLAUSE_BREAK.finditer(sentence):
            if b.end() <= start:
                lo = b.end()
            elif b.start() >= end:
                hi = b.start()
                break
        text = sentence[lo:hi]
    return text.strip().rstrip(".").strip()
