"""TMDB's JSON turned into plain records, tolerating what TMDB leaves out.

Any field may be missing, null or of an odd type; a record keeps what is usable and a
piece that is not (a cast entry without a name, a date that is not a date) is dropped,
never raised.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

# TMDB release types (developer.themoviedb.org, "release dates") -> the store's kinds.
RELEASE_KINDS = {1: "premiere", 2: "limited", 3: "theatrical", 4: "digital", 5: "physical", 6: "tv"}
PROVIDER_KINDS = ("flatrate", "free", "ads", "rent", "buy")
CREW_ROLES = {"Director": "director", "Screenplay": "writer", "Writer": "writer",
              "Story": "writer", "Producer": "producer"}  # fmt: skip
MAX_CAST = 60
_IMAGE_PATH = re.compile(r"/[A-Za-z0-9._-]{1,100}")  # what TMDB's poster/profile paths look like
_VIDEO_KEY = re.compile(r"[A-Za-z0-9_-]{1,40}")


@dataclass(frozen=True)
class ReleaseRecord:
    region: str
    date: str  # ISO day
    kind: str
    certification: str | None
    note: str | None


@dataclass(frozen=True)
class CreditRecord:
    tmdb_id: int
    name: str
    role: str  # actor | director | writer | producer
    character: str | None = None
    order: int | None = None


@dataclass(frozen=True)
class MovieSummary:
    """A film as search, upcoming and find list it."""

    tmdb_id: int
    title: str
    original_title: str | None
    release_date: str | None
    overview: str | None
    poster_path: str | None

    @property
    def year(self) -> int | None:
        return int(self.release_date[:4]) if self.release_date else None


@dataclass(frozen=True)
class MovieRecord:
    summary: MovieSummary
    imdb_id: str | None
    tagline: str | None
    runtime: int | None
    genres: list[str]
    vote_average: float | None
    vote_count: int | None
    status: str | None
    companies: list[str]
    credits: list[CreditRecord]
    releases: list[ReleaseRecord]
    trailer_url: str | None
    providers: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class PersonRecord:
    tmdb_id: int
    name: str
    imdb_id: str | None
    biography: str | None
    birthday: str | None
    deathday: str | None
    place_of_birth: str | None
    profile_path: str | None
    department: str | None
    known_for: list[str]  # "Title (year)", best known first


def _str(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _day(value: Any) -> str | None:
    text = _str(value)
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        return None


def _list(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _image_path(value: Any) -> str | None:
    """A path safe to put after the image base URL (an embed with a bad URL is refused)."""
    text = _str(value)
    return text if text and _IMAGE_PATH.fullmatch(text) else None


def _http_url(value: Any) -> str | None:
    text = _str(value)
    return text if text and text.startswith(("https://", "http://")) and " " not in text else None


def imdb_title_id(value: Any) -> str | None:
    text = _str(value)
    return text if text and text.startswith("tt") and text[2:].isdigit() else None


def movie_summary(data: dict[str, Any]) -> MovieSummary | None:
    tmdb_id, title = _int(data.get("id")), _str(data.get("title"))
    if tmdb_id is None or title is None:
        return None
    return MovieSummary(
        tmdb_id=tmdb_id,
        title=title,
        original_title=_str(data.get("original_title")),
        release_date=_day(data.get("release_date")),
        overview=_str(data.get("overview")),
        poster_path=_image_path(data.get("poster_path")),
    )


def movie_summaries(data: dict[str, Any], key: str = "results") -> list[MovieSummary]:
    return [s for s in map(movie_summary, _list(data.get(key))) if s is not None]


def movie_record(data: dict[str, Any]) -> MovieRecord | None:
    """A /movie/{id} answer with credits, release_dates, videos, watch/providers and
    external_ids appended."""
    summary = movie_summary(data)
    if summary is None:
        return None
    external = _dict(data.get("external_ids"))
    average = data.get("vote_average")
    return MovieRecord(
        summary=summary,
        imdb_id=imdb_title_id(data.get("imdb_id")) or imdb_title_id(external.get("imdb_id")),
        tagline=_str(data.get("tagline")),
        runtime=_int(data.get("runtime")) or None,
        genres=[g for g in (_str(x.get("name")) for x in _list(data.get("genres"))) if g],
        vote_average=float(average) if isinstance(average, int | float) else None,
        vote_count=_int(data.get("vote_count")),
        status=_str(data.get("status")),
        companies=[
            c for c in (_str(x.get("name")) for x in _list(data.get("production_companies"))) if c
        ],
        credits=_credits(_dict(data.get("credits"))),
        releases=_releases(_dict(data.get("release_dates"))),
        trailer_url=_trailer(_dict(data.get("videos"))),
        providers=_providers(_dict(data.get("watch/providers"))),
    )


def _credits(data: dict[str, Any]) -> list[CreditRecord]:
    out: list[CreditRecord] = []
    for entry in _list(data.get("cast"))[:MAX_CAST]:
        tmdb_id, name = _int(entry.get("id")), _str(entry.get("name"))
        if tmdb_id is not None and name is not None:
            order = _int(entry.get("order"))
            out.append(CreditRecord(tmdb_id, name, "actor", _str(entry.get("character")),
                                    None if order is None else order + 1))  # fmt: skip
    seen: set[tuple[int, str]] = set()
    for entry in _list(data.get("crew")):
        tmdb_id, name = _int(entry.get("id")), _str(entry.get("name"))
        role = CREW_ROLES.get(entry.get("job") or "")
        if tmdb_id is None or name is None or role is None or (tmdb_id, role) in seen:
            continue
        seen.add((tmdb_id, role))
        out.append(CreditRecord(tmdb_id, name, role))
    return out


def _releases(data: dict[str, Any]) -> list[ReleaseRecord]:
    """The earliest date per region and kind (the store keeps one per source)."""
    best: dict[tuple[str, str], ReleaseRecord] = {}
    for country in _list(data.get("results")):
        region = _str(country.get("iso_3166_1"))
        if region is None or len(region) != 2:
            continue
        for entry in _list(country.get("release_dates")):
            kind, date = RELEASE_KINDS.get(entry.get("type")), _day(entry.get("release_date"))
            if kind is None or date is None:
                continue
            cert, note = _str(entry.get("certification")), _str(entry.get("note"))
            record = ReleaseRecord(region.upper(), date, kind, cert, note)
            have = best.get((record.region, kind))
            if have is None or record.date < have.date:
                best[(record.region, kind)] = record
    return sorted(best.values(), key=lambda r: (r.region, r.date, r.kind))


def _trailer(data: dict[str, Any]) -> str | None:
    videos = [
        v for v in _list(data.get("results"))
        if v.get("site") == "YouTube" and v.get("type") == "Trailer"
        and isinstance(v.get("key"), str) and _VIDEO_KEY.fullmatch(v["key"])
    ]  # fmt: skip
    videos.sort(key=lambda v: (not v.get("official"), str(v.get("published_at") or "")))
    return f"https://www.youtube.com/watch?v={videos[0]['key']}" if videos else None


def _providers(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{region: {"link": url, "flatrate": [names], ...}}, names in TMDB's display order."""
    out: dict[str, dict[str, Any]] = {}
    for region, offer in _dict(data.get("results")).items():
        if not isinstance(region, str) or len(region) != 2 or not isinstance(offer, dict):
            continue
        entry: dict[str, Any] = {"link": _http_url(offer.get("link"))}
        for kind in PROVIDER_KINDS:
            listed = sorted(
                _list(offer.get(kind)), key=lambda p: _int(p.get("display_priority")) or 0
            )
            names = [n for n in (_str(p.get("provider_name")) for p in listed) if n]
            if names:
                entry[kind] = list(dict.fromkeys(names))
        out[region.upper()] = entry
    return out


def person_record(data: dict[str, Any]) -> PersonRecord | None:
    """A /person/{id} answer with movie_credits and external_ids appended."""
    tmdb_id, name = _int(data.get("id")), _str(data.get("name"))
    if tmdb_id is None or name is None:
        return None
    credits = _dict(data.get("movie_credits"))
    films = _list(credits.get("cast")) + _list(credits.get("crew"))
    films.sort(key=lambda f: -(_int(f.get("vote_count")) or 0))
    known: list[str] = []
    for film in films:
        title, year = _str(film.get("title")), (_day(film.get("release_date")) or "")[:4]
        if title:
            known.append(f"{title} ({year})" if year else title)
    imdb = _str(data.get("imdb_id")) or _str(_dict(data.get("external_ids")).get("imdb_id"))
    return PersonRecord(
        tmdb_id=tmdb_id,
        name=name,
        imdb_id=imdb if imdb and imdb.startswith("nm") else None,
        biography=_str(data.get("biography")),
        birthday=_day(data.get("birthday")),
        deathday=_day(data.get("deathday")),
        place_of_birth=_str(data.get("place_of_birth")),
        profile_path=_image_path(data.get("profile_path")),
        department=_str(data.get("known_for_department")),
        known_for=list(dict.fromkeys(known))[:6],
    )


def person_hits(data: dict[str, Any]) -> list[tuple[int, str]]:
    """(id, name) of the people a search or find lists."""
    out = []
    for key in ("results", "person_results"):
        for entry in _list(data.get(key)):
            tmdb_id, name = _int(entry.get("id")), _str(entry.get("name"))
            if tmdb_id is not None and name is not None:
                out.append((tmdb_id, name))
    return out


def changed_ids(data: dict[str, Any]) -> set[int]:
    return {i for i in (_int(e.get("id")) for e in _list(data.get("results"))) if i is not None}
