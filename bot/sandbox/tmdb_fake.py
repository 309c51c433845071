"""A local stand-in for TMDB's API v3: aiohttp on 127.0.0.1, hand-written fixtures.

Serves every endpoint the bot's client calls, in TMDB's documented shapes, from
`tmdb_fixtures.json` (invented films and people). Tests, the benchmark and
`marquee sandbox --tmdb-fake` start it; it counts requests per endpoint, keeps their
times, can add latency, and can be told to fail the next requests the ways TMDB does::

    fake = FakeTmdb(); await fake.start()
    settings = replace(settings, tmdb_api_key=fake.api_key, tmdb_api_base=fake.base)
    fake.fail("movie/{id}", "rate_limit", times=1)      # then 429 with Retry-After
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import json
import re
import time
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from typing import Any

from aiohttp import web

from bot.catalog.tmdb.client import endpoint_of

FAKE_KEY = "fake0tmdb0v3key0000000000000000a"  # 32 characters, like a v3 key
FAKE_TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJmYWtlIn0.fake-v4-read-access-token"
FAULTS = ("unauthorized", "not_found", "rate_limit", "server_error", "timeout", "malformed",
          "empty")  # fmt: skip
APPENDABLE = ("credits", "release_dates", "videos", "watch/providers", "external_ids")
UPCOMING_DAYS = 60
_TODAY_PLUS = re.compile(r"\{today\+(\d+)\}")


@dataclass
class Fault:
    endpoint: str | None  # None: every endpoint
    kind: str
    times: int
    retry_after: float = 0.05
    hang: float = 30.0


def load_fixtures(today: dt.date) -> dict[str, Any]:
    """The fixture document with '{today+N}' dates made real."""
    text = resources.files("bot.sandbox").joinpath("tmdb_fixtures.json").read_text("utf-8")
    text = _TODAY_PLUS.sub(lambda m: (today + dt.timedelta(int(m.group(1)))).isoformat(), text)
    return json.loads(text)


class FakeTmdb:
    """The fake server. `base` is what TMDB_API_BASE should be set to."""

    def __init__(self, *, today: dt.date | None = None, latency: float = 0.0) -> None:
        data = load_fixtures(today or dt.date.today())
        self.configuration: dict[str, Any] = data["configuration"]
        self.movies: dict[int, dict[str, Any]] = {m["id"]: m for m in data["movies"]}
        self.people: dict[int, dict[str, Any]] = {p["id"]: p for p in data["people"]}
        self.today = today or dt.date.today()
        self.latency = latency
        self.keys = {FAKE_KEY, FAKE_TOKEN}
        self.api_key = FAKE_KEY
        self.counts: Counter[str] = Counter()
        self.times: list[float] = []  # time.monotonic() of every request, in arrival order
        self.changed: set[int] = set()  # ids movie/changes reports
        self.changes_page_size = 100  # TMDB's page size for movie/changes
        self.faults: list[Fault] = []
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle -------------------------------------------------------------------

    async def start(self, port: int = 0) -> FakeTmdb:
        app = web.Application(middlewares=[self._middleware])
        app.router.add_get("/3/configuration", self._configuration)
        app.router.add_get("/3/search/movie", self._search_movie)
        app.router.add_get("/3/search/person", self._search_person)
        app.router.add_get("/3/search/multi", self._search_multi)
        app.router.add_get("/3/movie/upcoming", self._upcoming)
        app.router.add_get("/3/movie/changes", self._changes)
        app.router.add_get("/3/movie/{id:\\d+}", self._movie)
        app.router.add_get("/3/movie/{id:\\d+}/{part:.+}", self._movie_part)
        app.router.add_get("/3/person/{id:\\d+}", self._person)
        app.router.add_get("/3/find/{external_id}", self._find)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/3"

    # -- test controls -----------------------------------------------------------------

    def fail(self, endpoint: str | None, kind: str, *, times: int = 1, **options: Any) -> Fault:
        """The next `times` requests to `endpoint` ("movie/{id}", "search/movie"; None for
        any) fail as `kind` (one of FAULTS)."""
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}; one of {FAULTS}")
        fault = Fault(endpoint, kind, times, **options)
        self.faults.append(fault)
        return fault

    def move_release(self, movie_id: int, region: str, kind: int, date: str) -> None:
        """Change a film's date (as TMDB editors do) and list it in movie/changes."""
        for country in self.movies[movie_id]["release_dates"]["results"]:
            if country["iso_3166_1"] == region:
                for rel in country["release_dates"]:
                    if rel["type"] == kind:
                        rel["release_date"] = f"{date}T00:00:00.000Z"
        self.changed.add(movie_id)

    def total(self) -> int:
        return sum(self.counts.values())

    # -- plumbing ------------------------------------------------------------------------

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        endpoint = endpoint_of(request.path.removeprefix("/3"))
        self.counts[endpoint] += 1
        self.times.append(time.monotonic())
        if self.latency:
            await asyncio.sleep(self.latency)
        if not self._authorised(request):
            return _error(401, 7, "Invalid API key: You must be granted a valid key.")
        fault = self._take_fault(endpoint)
        if fault is not None:
            if fault.kind == "empty":  # a search (or list) that finds nothing
                return web.json_response(_page([]))
            if fault.kind == "unauthorized":
                return _error(401, 7, "Invalid API key: You must be granted a valid key.")
            if fault.kind == "not_found":
                return _error(404, 34, "The resource you requested could not be found.")
            if fault.kind == "rate_limit":
                response = _error(429, 25, "Your request count (41) is over the allowed limit "
                                  "of (40).")  # fmt: skip
                response.headers["Retry-After"] = f"{fault.retry_after:g}"
                return response
            if fault.kind == "server_error":
                return _error(500, 11, "Internal error: Something went wrong, contact TMDb.")
            if fault.kind == "timeout":
                await asyncio.sleep(fault.hang)
            if fault.kind == "malformed":
                return web.Response(
                    text='{"id": 1, "title": "Harb', content_type="application/json"
                )
        return await handler(request)

    def _authorised(self, request: web.Request) -> bool:
        bearer = request.headers.get("Authorization", "")
        return request.query.get("api_key") in self.keys or bearer.removeprefix("Bearer ") in (
            self.keys
        )

    def _take_fault(self, endpoint: str) -> Fault | None:
        for fault in self.faults:
            if fault.times > 0 and fault.endpoint in (None, endpoint):
                fault.times -= 1
                if fault.times == 0:
                    self.faults.remove(fault)
                return fault
        return None

    # -- endpoints -------------------------------------------------------------------------

    async def _configuration(self, request: web.Request) -> web.Response:
        return web.json_response(self.configuration)

    async def _search_movie(self, request: web.Request) -> web.Response:
        found = []
        year = request.query.get("year") or request.query.get("primary_release_year")
        for movie in self.movies.values():
            names = (movie["title"], movie["original_title"])
            if _matches(request.query.get("query", ""), *names) and (
                not year or movie["release_date"][:4] == year
            ):
                found.append(_movie_summary(movie))
        return web.json_response(_page(found))

    async def _search_person(self, request: web.Request) -> web.Response:
        found = [
            self._person_summary(person)
            for person in self.people.values()
            if _matches(request.query.get("query", ""), person["name"])
        ]
        return web.json_response(_page(found))

    async def _search_multi(self, request: web.Request) -> web.Response:
        found: list[dict[str, Any]] = []
        query = request.query.get("query", "")
        for movie in self.movies.values():
            if _matches(query, movie["title"], movie["original_title"]):
                found.append({**_movie_summary(movie), "media_type": "movie"})
        for person in self.people.values():
            if _matches(query, person["name"]):
                found.append({**self._person_summary(person), "media_type": "person"})
        return web.json_response(_page(found))

    async def _movie(self, request: web.Request) -> web.Response:
        movie = self.movies.get(int(request.match_info["id"]))
        if movie is None:
            return _error(404, 34, "The resource you requested could not be found.")
        body = {k: copy.deepcopy(v) for k, v in movie.items() if k not in APPENDABLE}
        for part in request.query.get("append_to_response", "").split(","):
            if part in APPENDABLE:
                body[part] = _with_id(movie[part], movie["id"])
        return web.json_response(body)

    async def _movie_part(self, request: web.Request) -> web.Response:
        movie = self.movies.get(int(request.match_info["id"]))
        part = request.match_info["part"]
        if movie is None or part not in APPENDABLE:
            return _error(404, 34, "The resource you requested could not be found.")
        return web.json_response(_with_id(movie[part], movie["id"]))

    async def _person(self, request: web.Request) -> web.Response:
        person = self.people.get(int(request.match_info["id"]))
        if person is None:
            return _error(404, 34, "The resource you requested could not be found.")
        parts = request.query.get("append_to_response", "").split(",")
        body = {k: copy.deepcopy(v) for k, v in person.items()
                if k not in ("movie_credits", "external_ids") or k in parts}  # fmt: skip
        return web.json_response(body)

    async def _upcoming(self, request: web.Request) -> web.Response:
        region = request.query.get("region")
        end = self.today + dt.timedelta(UPCOMING_DAYS)
        found = []
        for movie in self.movies.values():
            dates = [
                rel["release_date"][:10]
                for country in movie["release_dates"]["results"]
                if region is None or country["iso_3166_1"] == region
                for rel in country["release_dates"]
                if rel["type"] in (2, 3)
            ]
            coming = sorted(d for d in dates if self.today.isoformat() <= d <= end.isoformat())
            if coming:
                found.append({**_movie_summary(movie), "release_date": coming[0]})
        body = _page(found)
        body["dates"] = {"maximum": end.isoformat(), "minimum": self.today.isoformat()}
        return web.json_response(body)

    async def _changes(self, request: web.Request) -> web.Response:
        ids = sorted(self.changed)
        size = self.changes_page_size
        pages = -(-len(ids) // size)
        asked = request.query.get("page", "1")
        page = int(asked) if asked.isdigit() and int(asked) > 0 else 1
        results = [{"id": i, "adult": False} for i in ids[(page - 1) * size : page * size]]
        return web.json_response({"page": page, "results": results, "total_pages": pages,
                                  "total_results": len(ids)})  # fmt: skip

    async def _find(self, request: web.Request) -> web.Response:
        external = request.match_info["external_id"]
        if request.query.get("external_source") != "imdb_id":
            return _error(400, 22, "Invalid parameters: external_source is required.")
        body: dict[str, Any] = {"movie_results": [], "person_results": [], "tv_results": [],
                                "tv_episode_results": [], "tv_season_results": []}  # fmt: skip
        body["movie_results"] = [
            _movie_summary(m) for m in self.movies.values() if m.get("imdb_id") == external
        ]
        body["person_results"] = [
            self._person_summary(p) for p in self.people.values() if p.get("imdb_id") == external
        ]
        return web.json_response(body)

    def _person_summary(self, person: dict[str, Any]) -> dict[str, Any]:
        credits = sorted(person["movie_credits"]["cast"] + person["movie_credits"]["crew"],
                         key=lambda c: -c.get("vote_count", 0))  # fmt: skip
        known = []
        for credit in credits[:3]:
            movie = self.movies.get(credit["id"])
            known.append({**(_movie_summary(movie) if movie else credit), "media_type": "movie"})
        return {"adult": False, "gender": person["gender"], "id": person["id"],
                "known_for_department": person["known_for_department"], "name": person["name"],
                "original_name": person["name"], "popularity": person["popularity"],
                "profile_path": person["profile_path"], "known_for": known}  # fmt: skip


def _movie_summary(movie: dict[str, Any]) -> dict[str, Any]:
    """A film as search, upcoming and find list it."""
    keys = ("adult", "backdrop_path", "id", "original_language", "original_title", "overview",
            "popularity", "poster_path", "release_date", "title", "video", "vote_average",
            "vote_count")  # fmt: skip
    summary = {k: movie.get(k) for k in keys}
    summary["genre_ids"] = [g["id"] for g in movie.get("genres", [])]
    return summary


def _with_id(part: dict[str, Any], movie_id: int) -> dict[str, Any]:
    return {"id": movie_id, **copy.deepcopy(part)}


def _matches(query: str, *names: str) -> bool:
    words = re.findall(r"\w+", query.casefold())
    return bool(words) and any(all(w in name.casefold() for w in words) for name in names)


def _page(results: list[dict[str, Any]]) -> dict[str, Any]:
    return {"page": 1, "results": results, "total_pages": 1 if results else 0,
            "total_results": len(results)}  # fmt: skip


def _error(status: int, code: int, message: str) -> web.Response:
    return web.json_response(
        {"success": False, "status_code": code, "status_message": message}, status=status
    )
