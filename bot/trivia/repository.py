"""SQL for trivia: packs, questions, rounds asked, games in progress, answers and scores."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from bot.catalog.normalize import normalize_key
from bot.db.store import IntegrityError, Store
from bot.trivia.models import (
    AnswerResult,
    GameRecord,
    ImportResult,
    PackInfo,
    PlayerStats,
    ScoreRow,
)
from bot.trivia.packs import Pack, PackError, PackQuestion

_GAME_COLS = (
    "id, guild, channel, starter, source, mode, questions, seconds, asked, state, started_at, owner"
)


def _utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class CatalogSnapshot:
    """The part of the catalog questions are drawn from, loaded in a few queries."""

    titles: dict[int, tuple[str, int | None]]  # id -> (title, year as catalogued)
    complete: set[int]  # titles whose every credit, company and release is loaded
    people: dict[int, str]  # id -> name
    credits: list[tuple[int, int, str, str | None, int | None]]  # title, person, role, known_for
    companies: dict[int, set[str]]  # title id -> company names
    release_years: dict[int, set[int]]  # title id -> every year it has a release in
    aliases: dict[int, list[str]]  # title id -> alternative titles
    kinds: dict[int, str] = field(default_factory=dict)  # title id -> kind (IMDb titleType)
    company_keys: frozenset[str] = frozenset()  # every company's name key: never a person
    # "known for" texts that name something in the store: key -> (kind, year) of that title,
    # or ("company", None); texts naming nothing known are absent.
    known_for_kinds: dict[str, tuple[str, int | None]] = field(default_factory=dict)


class TriviaRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- packs ----------------------------------------------------------------

    async def import_pack(
        self, pack: Pack, *, source: str, digest: str, guild: int | None = None
    ) -> ImportResult:
        """Store a validated pack in one transaction, replacing an earlier import of it."""
        async with self.store.transaction() as conn:
            row = await conn.fetchone(
                "SELECT id, guild, digest FROM trivia_packs WHERE name = ?", (pack.name,)
            )
            if row is not None:
                if row["guild"] != guild:
                    raise PackError(
                        f"a pack named {pack.name!r} already exists; rename the file to import "
                        "it under another name"
                    )
                if row["digest"] == digest:
                    return ImportResult(
                        pack.name, len(pack.questions), True, unchanged=True, notes=pack.notes
                    )
                await conn.execute("DELETE FROM trivia_packs WHERE id = ?", (row["id"],))
            pack_id = await conn.insert(
                "INSERT INTO trivia_packs(name, author, description, source, imported_at, guild,"
                " format, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (pack.name, pack.author, pack.description, source, _utc_now(), guild, pack.fmt,
                 digest),
            )  # fmt: skip
            await conn.executemany(
                "INSERT INTO trivia_questions(pack_id, question, answers, choices, category,"
                " difficulty, source, question_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        pack_id,
                        q.question,
                        json.dumps(q.answers),
                        json.dumps(q.wrong) if q.wrong else None,
                        q.category,
                        q.difficulty,
                        source,
                        q.key,
                    )
                    for q in pack.questions
                ],
            )
        return ImportResult(
            pack.name, len(pack.questions), replaced=row is not None, notes=pack.notes
        )

    async def list_packs(self, guild: int | None) -> list[PackInfo]:
        """Packs this server can play: shared ones and its own imports."""
        rows = await self.store.fetchall(
            "SELECT p.name, p.author, p.description, count(q.id), p.guild, p.source "
            "FROM trivia_packs p LEFT JOIN trivia_questions q ON q.pack_id = p.id "
            "WHERE p.guild IS NULL OR p.guild = ? GROUP BY p.id ORDER BY p.name",
            (guild,),
        )
        return [PackInfo(*r) for r in rows]

    async def pack_questions(self, name: str, guild: int | None) -> list[PackQuestion] | None:
        """Questions of a pack this server can see, or None when there is no such pack."""
        pack_id = await self.store.fetchval(
            "SELECT id FROM trivia_packs WHERE name = ? AND (guild IS NULL OR guild = ?)",
            (name, guild),
        )
        if pack_id is None:
            return None
        rows = await self.store.fetchall(
            "SELECT question, answers, choices, category, difficulty FROM trivia_questions "
            "WHERE pack_id = ? ORDER BY id",
            (pack_id,),
        )
        return [
            PackQuestion(
                r[0],
                tuple(json.loads(r[1])),
                tuple(json.loads(r[2])) if r[2] else (),
                r[3],
                r[4],
            )
            for r in rows
        ]

    async def bundled_pack_names(self) -> list[str]:
        rows = await self.store.fetchall(
            "SELECT name FROM trivia_packs WHERE source LIKE 'bundled:%' ORDER BY name"
        )
        return [r[0] for r in rows]

    async def pack_digest(self, name: str) -> str | None:
        return await self.store.fetchval("SELECT digest FROM trivia_packs WHERE name = ?", (name,))

    async def guild_defaults(self, guild: int) -> tuple[int | None, int | None]:
        """(questions, seconds) a server set as its defaults, if any."""
        row = await self.store.fetchone(
            "SELECT trivia_questions, trivia_seconds FROM guild_settings WHERE guild = ?", (guild,)
        )
        return (row[0], row[1]) if row else (None, None)

    # -- rounds -----------------------------------------------------------------

    async def asked_keys(self, guild: int) -> dict[str, str]:
        """Question key -> when this server last saw it."""
        rows = await self.store.fetchall(
            "SELECT question_key, max(asked_at) FROM trivia_rounds WHERE guild = ? "
            "GROUP BY question_key",
            (guild,),
        )
        return {r[0]: r[1] for r in rows}

    # -- games ------------------------------------------------------------------

    async def start_game(
        self,
        *,
        guild: int,
        channel: int,
        starter: int,
        source: str,
        mode: str,
        questions: int,
        seconds: int,
        at: str,
        owner: int | None = None,
    ) -> int | None:
        """Record a game run by the process `owner` (its coordination token); None when
        the channel already has a running game."""
        try:
            return await self.store.insert(
                "INSERT INTO trivia_games(guild, channel, starter, source, mode, questions,"
                " seconds, started_at, owner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (guild, channel, starter, source, mode, questions, seconds, at, owner),
            )
        except IntegrityError:
            return None

    async def get_game(self, game_id: int) -> GameRecord | None:
        row = await self.store.fetchone(
            f"SELECT {_GAME_COLS} FROM trivia_games WHERE id = ?", (game_id,)
        )
        return GameRecord(*row) if row else None

    async def running_game_in(self, channel: int) -> GameRecord | None:
        """The game running in `channel`, whichever process runs it."""
        row = await self.store.fetchone(
            f"SELECT {_GAME_COLS} FROM trivia_games WHERE channel = ? AND state = 'running'",
            (channel,),
        )
        return GameRecord(*row) if row else None

    async def running_games(self) -> list[GameRecord]:
        rows = await self.store.fetchall(
            f"SELECT {_GAME_COLS} FROM trivia_games WHERE state = 'running' ORDER BY id"
        )
        return [GameRecord(*r) for r in rows]

    async def record_question(
        self,
        game: GameRecord,
        *,
        number: int,
        key: str,
        results: list[AnswerResult],
        at: str,
    ) -> None:
        """Save one question's outcome: the round, every answer, and the running totals."""
        async with self.store.transaction() as conn:
            await conn.execute(
                "INSERT INTO trivia_rounds(guild, channel, question_key, asked_at) "
                "VALUES (?, ?, ?, ?)",
                (game.guild, game.channel, key, at),
            )
            await conn.execute(
                "UPDATE trivia_games SET asked = ? WHERE id = ? AND asked < ?",
                (number, game.id, number),
            )
            for result in results:
                saved = await conn.execute(
                    'INSERT INTO trivia_answers(game_id, guild, "user", question_no,'
                    " question_key, correct, points, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT DO NOTHING",
                    (
                        game.id,
                        game.guild,
                        result.user,
                        number,
                        key,
                        int(result.correct),
                        result.points,
                        at,
                    ),
                )
                if not saved:
                    continue  # already saved: never count an answer twice
                await conn.execute(
                    'INSERT INTO trivia_scores(guild, "user") VALUES (?, ?) '
                    'ON CONFLICT(guild, "user") DO NOTHING',
                    (game.guild, result.user),
                )
                await conn.execute(
                    "UPDATE trivia_scores SET points = points + ?, correct = correct + ?,"
                    " streak = CASE WHEN ? = 1 THEN streak + 1 ELSE 0 END,"
                    " best_streak = CASE WHEN ? = 1 AND streak + 1 > best_streak"
                    " THEN streak + 1 ELSE best_streak END "
                    'WHERE guild = ? AND "user" = ?',
                    (
                        result.points,
                        int(result.correct),
                        int(result.correct),
                        int(result.correct),
                        game.guild,
                        result.user,
                    ),
                )

    async def finish_game(self, game_id: int, state: str, at: str) -> list[int]:
        """Close a running game once: count it for everyone who answered; winners get a win.

        Only a game played to its end has winners (the most points, above zero). Returns
        the winners; closing an already closed game does nothing.
        """
        return await self._close(game_id, state, at) or []

    async def interrupt_game(self, game_id: int, at: str) -> bool:
        """End a game no process runs any more (points so far stay); False when it was
        closed already, e.g. by another process finding it at the same moment."""
        return await self._close(game_id, "interrupted", at) is not None

    async def _close(self, game_id: int, state: str, at: str) -> list[int] | None:
        """`finish_game`'s work; None when the game was not running."""
        async with self.store.transaction() as conn:
            closed = await conn.execute(
                "UPDATE trivia_games SET state = ?, ended_at = ? "
                "WHERE id = ? AND state = 'running'",
                (state, at, game_id),
            )
            if not closed:
                return None
            guild = await self.store.fetchval(
                "SELECT guild FROM trivia_games WHERE id = ?", (game_id,)
            )
            totals = await self.store.fetchall(
                'SELECT "user", sum(points) FROM trivia_answers WHERE game_id = ? GROUP BY "user"',
                (game_id,),
            )
            best = max((t[1] for t in totals), default=0)
            winners = [t[0] for t in totals if best > 0 and t[1] == best and state == "finished"]
            for user, _points in totals:
                await conn.execute(
                    'INSERT INTO trivia_scores(guild, "user", games, wins) VALUES (?, ?, 1, ?) '
                    'ON CONFLICT(guild, "user") DO UPDATE SET games = trivia_scores.games + 1,'
                    " wins = trivia_scores.wins + excluded.wins",
                    (guild, user, int(user in winners)),
                )
        return winners

    async def game_totals(self, game_id: int) -> list[tuple[int, int, int]]:
        """(user, points, correct answers) in this game, best first."""
        rows = await self.store.fetchall(
            'SELECT "user", sum(points), sum(correct) FROM trivia_answers WHERE game_id = ? '
            'GROUP BY "user" ORDER BY sum(points) DESC, sum(correct) DESC, min(id)',
            (game_id,),
        )
        return [(r[0], r[1], r[2]) for r in rows]

    # -- scores -----------------------------------------------------------------

    async def leaderboard(
        self, guild: int, since: str | None = None, *, limit: int = 10
    ) -> list[ScoreRow]:
        """Best players of a server, all time or since an ISO timestamp; nobody without
        a point is placed."""
        if since is None:
            rows = await self.store.fetchall(
                'SELECT "user", points, correct, wins, games FROM trivia_scores '
                "WHERE guild = ? AND points > 0 "
                'ORDER BY points DESC, wins DESC, correct DESC, "user" LIMIT ?',
                (guild, limit),
            )
        else:
            rows = await self.store.fetchall(
                'SELECT a."user", sum(a.points), sum(a.correct), 0, count(DISTINCT a.game_id) '
                "FROM trivia_answers a WHERE a.guild = ? AND a.answered_at >= ? "
                'GROUP BY a."user" HAVING sum(a.points) > 0 '
                'ORDER BY sum(a.points) DESC, sum(a.correct) DESC, a."user" '
                "LIMIT ?",
                (guild, since, limit),
            )
        return [ScoreRow(*r) for r in rows]

    async def player_stats(self, guild: int, user: int) -> PlayerStats | None:
        row = await self.store.fetchone(
            "SELECT points, wins, games, correct, streak, best_streak FROM trivia_scores "
            'WHERE guild = ? AND "user" = ?',
            (guild, user),
        )
        if row is None:
            return None
        answered = await self.store.fetchval(
            'SELECT count(*) FROM trivia_answers WHERE guild = ? AND "user" = ?', (guild, user)
        )
        rank = await self.store.fetchval(
            "SELECT 1 + count(*) FROM trivia_scores WHERE guild = ? AND points > ?",
            (guild, row[0]),
        )
        players = await self.store.fetchval(  # placed players: those with points
            "SELECT count(*) FROM trivia_scores WHERE guild = ? AND points > 0", (guild,)
        )
        return PlayerStats(
            user, row[0], row[1], row[2], row[3], answered, row[4], row[5], rank, players
        )

    # -- the catalog, as question material ----------------------------------------

    async def catalog_snapshot(self, *, max_titles: int = 400) -> CatalogSnapshot:
        """Titles with credits (a random sample on a large catalog) and everything about them.

        Every credit, company and release of a sampled title is loaded, and every credit of
        a sampled person, so a wrong choice can be checked against the whole truth.
        """
        title_rows = await self.store.fetchall(
            "SELECT t.id, t.title, t.year, t.kind FROM titles t "
            "WHERE EXISTS (SELECT 1 FROM credits c WHERE c.title_id = t.id) "
            "OR EXISTS (SELECT 1 FROM releases r WHERE r.title_id = t.id AND r.superseded = 0) "
            "OR EXISTS (SELECT 1 FROM title_companies tc WHERE tc.title_id = t.id) "
            "ORDER BY random() LIMIT ?",
            (max_titles,),
        )
        titles = {r[0]: (r[1], r[2]) for r in title_rows}
        kinds = {r[0]: r[3] for r in title_rows}
        ids = list(titles)
        credits: list[tuple[int, int, str, str | None, int | None]] = []
        companies: dict[int, set[str]] = {}
        release_years: dict[int, set[int]] = {}
        aliases: dict[int, list[str]] = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            credits += [
                (r[0], r[1], r[2], r[3], r[4])
                for r in await self.store.fetchall(
                    "SELECT title_id, person_id, role, max(known_for), min(billing) FROM credits "
                    f"WHERE title_id IN ({marks}) GROUP BY title_id, person_id, role",
                    chunk,
                )
            ]
            for r in await self.store.fetchall(
                "SELECT tc.title_id, c.name FROM title_companies tc JOIN companies c"
                f" ON c.id = tc.company_id WHERE tc.title_id IN ({marks})",
                chunk,
            ):
                companies.setdefault(r[0], set()).add(r[1])
            for r in await self.store.fetchall(
                "SELECT title_id, date FROM releases WHERE superseded = 0"
                f" AND title_id IN ({marks})",
                chunk,
            ):
                if r[1][:4].isdigit():
                    release_years.setdefault(r[0], set()).add(int(r[1][:4]))
            for r in await self.store.fetchall(
                "SELECT entity_id, alias FROM aliases WHERE entity = 'title' "
                f"AND entity_id IN ({marks}) ORDER BY id",
                chunk,
            ):
                aliases.setdefault(r[0], []).append(r[1])
        # Every credit of the sampled people, so "known for" distractors can be checked.
        person_ids = sorted({c[1] for c in credits})
        seen = {(c[0], c[1], c[2]) for c in credits}
        extra_titles: set[int] = set()
        for chunk in _chunks(person_ids):
            marks = ",".join("?" * len(chunk))
            for r in await self.store.fetchall(
                "SELECT title_id, person_id, role, max(known_for), min(billing) FROM credits "
                f"WHERE person_id IN ({marks}) GROUP BY title_id, person_id, role",
                chunk,
            ):
                if (r[0], r[1], r[2]) not in seen:
                    credits.append((r[0], r[1], r[2], r[3], r[4]))
                    extra_titles.add(r[0])
        people: dict[int, str] = {}
        for chunk in _chunks(person_ids):
            marks = ",".join("?" * len(chunk))
            for r in await self.store.fetchall(
                f"SELECT id, name FROM people WHERE id IN ({marks})", chunk
            ):
                people[r[0]] = r[1]
        for chunk in _chunks(sorted(extra_titles - set(titles))):
            marks = ",".join("?" * len(chunk))
            for r in await self.store.fetchall(
                f"SELECT id, title, year, kind FROM titles WHERE id IN ({marks})", chunk
            ):
                titles[r[0]] = (r[1], r[2])
                kinds[r[0]] = r[3]
        company_keys = frozenset(
            r[0] for r in await self.store.fetchall("SELECT norm_name FROM companies")
        )
        known_for = sorted({normalize_key(c[3]) for c in credits if c[3] and c[3].strip()})
        return CatalogSnapshot(
            titles,
            set(ids),
            people,
            credits,
            companies,
            release_years,
            aliases,
            kinds,
            company_keys,
            await self._kinds_named(known_for, company_keys),
        )

    async def _kinds_named(
        self, keys: list[str], company_keys: frozenset[str]
    ) -> dict[str, tuple[str, int | None]]:
        """What each text names in the store: a title's (kind, year), else a company."""
        found: dict[str, tuple[str, int | None]] = {
            k: ("company", None) for k in keys if k in company_keys
        }
        for chunk in _chunks(keys):
            marks = ",".join("?" * len(chunk))
            kinds: dict[str, set[str]] = {}
            years: dict[str, int | None] = {}
            for r in await self.store.fetchall(
                f"SELECT norm_title, kind, min(year) FROM titles WHERE norm_title IN ({marks}) "
                "GROUP BY norm_title, kind",
                chunk,
            ):
                kinds.setdefault(r[0], set()).add(r[1])
                years[r[0]] = r[2]
            for key, named in kinds.items():
                if len(named) == 1 and key not in found:  # a film and a series of one name: unsure
                    found[key] = (next(iter(named)), years[key])
        return found


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]
