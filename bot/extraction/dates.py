"""Dates in news prose: absolute ("July 14, 2023", "14 July 2023", "March 2026",
"summer 2024", "in 2026") and relative to the publication date ("next year",
"last year", "this fall"), plus ISO ("2025-10-17") and US numeric ("10/17/2025")
dates. A season is not a month: "fall 2025" is a season-precision date (dated the
first of its year) labelled "fall 2025", so nothing downstream invents a September.
The entity recogniser decides where a date is; this module reads what it says.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {name.lower(): num for num, name in enumerate(calendar.month_name) if name}

_MONTH_ALT = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
    r"Aug(?:ust|\.)?|Sep(?:tember|t\.|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_SEASON_ALT = r"(?:spring|summer|fall|autumn|winter)"

_DATE = re.compile(
    r"\b(?P<iso_y>(?:19|20)\d\d)-(?P<iso_m>[01]\d)-(?P<iso_d>[0-3]\d)\b"
    r"|\b(?P<us_m>1[0-2]|0?[1-9])/(?P<us_d>[0-3]?\d)/(?P<us_y>(?:19|20)\d\d)\b"
    rf"|\b(?P<md_m>{_MONTH_ALT})\s+(?P<md_d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<md_y>\d{{4}})\b)?"
    rf"|\b(?P<dm_d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dm_m>{_MONTH_ALT})\b(?:,?\s+(?P<dm_y>\d{{4}})\b)?"
    rf"|\b(?P<my_m>{_MONTH_ALT}),?\s+(?P<my_y>\d{{4}})\b"
    rf"|\b(?:in|this|next|until|by|from|to|for)\s+(?:early\s+|late\s+|mid-)?(?P<m_m>{_MONTH_ALT})\b(?!\.?,?\s*\d)"
    rf"|\b(?P<s_s>{_SEASON_ALT})\s+(?:of\s+)?(?P<s_y>\d{{4}})\b"
    rf"|\b(?P<rs_w>this|next|last)\s+(?P<rs_s>{_SEASON_ALT})\b"
    r"|\b(?P<ry_w>next|this|last|the\s+following|the\s+previous)\s+year\b(?!['’]s)"
    r"|\b(?:in|for|of|until|by|to|from|since|during|early|late|mid-|until)\s+(?P<y_y>(?:19|20)\d\d)\b"
    r"(?!['’]s)"
)


@dataclass(frozen=True)
class DateMention:
    date: dt.date
    precision: str  # "day" | "month" | "season" | "year"
    start: int
    end: int
    relative: bool
    label: str | None = None  # what the text said when it is vaguer than `precision`


def _month(text: str) -> int | None:
    key = text.lower().rstrip(".")
    for name, num in MONTHS.items():
        if name.startswith(key) and len(key) >= 3:
            return num
    return None


def _infer_year(month: int, day: int, published: dt.date) -> int:
    """A date without a year is the next such date on or after the publication."""
    try:
        candidate = dt.date(published.year, month, day)
    except ValueError:
        return published.year
    return published.year + (1 if candidate < published else 0)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str, published: dt.date) -> list[DateMention]:
    """Every date mention in `text`, resolved against `published`."""
    found: list[DateMention] = []
    for m in _DATE.finditer(text):
        g = m.groupdict()
        date: dt.date | None = None
        precision = "day"
        relative = False
        label = None
        if g["iso_y"] or g["us_y"]:
            y, mo, d = (
                (g["iso_y"], g["iso_m"], g["iso_d"])
                if g["iso_y"]
                else (g["us_y"], g["us_m"], g["us_d"])
            )
            date = _safe_date(int(y), int(mo), int(d))
        elif g["md_m"] or g["dm_m"]:
            month = _month(g["md_m"] or g["dm_m"])
            day = int(g["md_d"] or g["dm_d"])
            year_s = g["md_y"] or g["dm_y"]
            if month is None or not 1 <= day <= 31:
                continue
            year = int(year_s) if year_s else _infer_year(month, day, published)
            relative = not year_s
            date = _safe_date(year, month, day)
        elif g["my_m"]:
            month = _month(g["my_m"])
            if month is None:
                continue
            date, precision = _safe_date(int(g["my_y"]), month, 1), "month"
        elif g["m_m"]:
            month = _month(g["m_m"])
            if month is None or (g["m_m"] == "May" and not m.group().startswith(("in", "In"))):
                continue
            year = published.year + (1 if month < published.month else 0)
            date, precision, relative = _safe_date(year, month, 1), "month", True
        elif g["s_s"]:
            date, precision = _safe_date(int(g["s_y"]), 1, 1), "season"
            label = f"{_season(g['s_s'])} {g['s_y']}"
        elif g["rs_w"]:
            word = g["rs_w"].lower()
            year = published.year + {"this": 0, "next": 1, "last": -1}[word]
            date, precision, relative = _safe_date(year, 1, 1), "season", True
            label = f"{_season(g['rs_s'])} {year}"
        elif g["ry_w"]:
            word = g["ry_w"].lower().split()[-1]
            year = published.year + {"this": 0, "next": 1, "following": 1}.get(word, -1)
            date, precision, relative = _safe_date(year, 1, 1), "year", True
        elif g["y_y"]:
            date = _safe_date(int(g["y_y"]), 1, 1)
            if date is not None:
                found.append(DateMention(date, "year", m.start("y_y"), m.end(), False))
            continue
        if date is not None:
            found.append(DateMention(date, precision, m.start(), m.end(), relative, label))
    return found


def _season(word: str) -> str:
    low = word.lower()
    return "fall" if low == "autumn" else low


def describe(mention: DateMention) -> str:
    """A short resolved form for annotating relative phrases: "2021", "June 2023",
    "summer 2024"."""
    if mention.label:
        return mention.label
    if mention.precision in ("year", "season"):
        return str(mention.date.year)
    if mention.precision == "month":
        return mention.date.strftime("%B %Y")
    return f"{mention.date.strftime('%B')} {mention.date.day}, {mention.date.year}"
