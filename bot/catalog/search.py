"""Forgiving search over titles, people and their aliases.

What people type is reduced to `search_words` (case, accents, punctuation, "&"/"and",
"Part One"/"Part 1"/"Part I", a leading "The" all fold away) and never reaches SQLite as
syntax: every FTS term is a quoted run of letters and digits. Matching runs in tiers,
cheapest first, and stops as soon as it has enough:

0. EXACT    the whole key equals a stored spelling          (B-tree equality)
1. PREFIX   a stored spelling starts with the key           (B-tree range, bounded)
2. WORDS    every word present, the last one as a prefix    (FTS5, bounded)
3. FUZZY    the same after fixing typos word by word        (symmetric-delete index)
4. PARTIAL  some words present: only offered as suggestions

Inside a tier, better-known entries (IMDb votes, credits in the store) come first.

Work per query is bounded whatever the catalog size: tiers 0-1 and the word counts are
one round trip on B-tree indexes; in tier 2 FTS5 evaluates only the rarest words (by the
vocabulary's counts, within FTS_BUDGET doclist entries) and the commoner ones are checked
on at most CANDIDATES rows; rebuilds number rows best-known first, so FTS's rowid order
already brings the best candidates. (On PostgreSQL the store's `match_words` keeps the
same bound over its GIN indexes: bot/db/postgres.py.) Typo correction only runs when a
word is unknown or nothing matched.

Maintenance
-----------
Triggers from migration 002 queue every changed title/person in `search_dirty`; the next
search re-indexes the queued entities (`refresh_search_index`). That keeps article ingest,
which writes one row at a time through CatalogRepository, correct at a trigger cost of one
tiny insert per row.

Bulk loaders (the IMDb importer) do not pay even that: they drop the triggers, load, and
rebuild the whole index once. The rebuild is the backend's (`Store.rebuild_search`, and
`CatalogLoad.rebuild_search` inside an import), given this module's spelling rules
(`search_rules()`): SQLite's runs in C over FTS5 (bot/db/sqlite_search.py), PostgreSQL's
is `_rebuild_through_store` below, written against the Store interface.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations
from operator import itemgetter
from typing import Any

from bot.catalog.normalize import (
    edit_distance,
    normalize_key,
    search_key,
    search_key_of_norm,
    search_words,
)
from bot.db.store import (
    IntegrityError,
    SearchRules,
    Store,
    StoreBusyError,
    WordQuery,
    placeholders,
)

log = logging.getLogger(__name__)

EXACT, PREFIX, WORDS, FUZZY, PARTIAL = range(5)

MAX_QUERY_CHARS = 200  # a 6000-character paste is cut, not refused
MAX_QUERY_WORDS = 8
CANDIDATES = 200  # rows looked at per tier: the cap on work per query
MIN_FUZZY_LEN = 4  # shorter words are not spell-corrected
# Nor longer ones: in scripts without spaces a "word" is a whole title, and indexing
# every one-letter deletion of those would swell the typo index for little use.
MAX_FUZZY_LEN = 24
CORRECTIONS_PER_WORD = 8
COMPLETION_SCAN = 200  # vocabulary words looked at to complete a typed prefix
COMPLETIONS = 12  # of which the commonest are searched
FTS_BUDGET = 150_000  # doclist entries FTS may walk per query (~1 ms); rarer words first
MAX_DRIVERS = 3
REFRESH_PER_CALL = 500  # queued entities re-indexed per search at most (~0.3 ms each)
_KEY_END = "\U0010ffff"  # sorts after every character a key can hold (the last code point)

_FTS = {"title": "search_title", "person": "search_person"}  # the store's word indexes


@dataclass(frozen=True)
class SearchHit:
    entity: str  # 'title' or 'person'
    entity_id: int
    matched: str  # the spelling that matched (title, name or alias)
    tier: int  # EXACT .. PARTIAL
    weight: int  # how much the store knows: votes + 100 per credit


# -- spelling helpers -----------------------------------------------------------------


def deletion_variants(word: str) -> set[str]:
    """`word` with one letter removed, every way (the symmetric-delete index keys)."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _allowed_typos(word: str) -> int:
    return 1 if len(word) < 7 else 2


def query_words(text: str) -> list[str]:
    """The words of a user query, bounded in size."""
    return search_words(text[:MAX_QUERY_CHARS])[:MAX_QUERY_WORDS]


# -- searching -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Group:
    """One query word as the index sees it: the terms that satisfy it and how common."""

    terms: tuple[str, ...]  # FTS terms, any of which will do (a prefix term ends in *)
    prefix: str | None  # for the word being typed: any key word starting with it counts
    freq: int  # estimated rows holding it; drives which groups FTS evaluates

    def satisfied_by(self, key_words: set[str]) -> bool:
        if not key_words.isdisjoint(self.terms):
            return True
        return self.prefix is not None and any(w.startswith(self.prefix) for w in key_words)

    def widened(self, other: _Group) -> _Group:
        """This group or `other` (the word being typed, or its corrections)."""
        return _Group(self.terms + other.terms, self.prefix, self.freq + other.freq)


_UNBOUNDED = 1 << 40  # frequency of a group FTS should never be asked to drive


async def search(
    store: Store, text: str, *, entity: str = "title", limit: int = 10
) -> list[SearchHit]:
    """Best matches for `text`, one hit per entity, best first (see module docstring)."""
    if entity not in _FTS:
        raise ValueError(f"unknown entity {entity!r}")
    words = query_words(text)
    if not words or limit <= 0:
        return []
    key = " ".join(words)
    prefix_rows, groups, dirty = await _first_pass(store, entity, words)
    if dirty and await refresh_search_index(store):
        prefix_rows, groups, _ = await _first_pass(store, entity, words)
    found: dict[int, SearchHit] = {}

    def add(hits: list[SearchHit]) -> None:
        for hit in sorted(hits, key=_order):
            if hit.entity_id not in found:
                found[hit.entity_id] = hit

    add(
        [SearchHit(entity, r[0], r[1], EXACT if r[2] == key else PREFIX, r[3]) for r in prefix_rows]
    )
    if len(found) >= limit:
        return sorted(found.values(), key=_order)[:limit]
    if all(g is not None for g in groups):
        words_hits = await _words_tier(store, entity, groups, WORDS)  # type: ignore[arg-type]
        add(words_hits)
        if words_hits or len(found) >= limit:
            return sorted(found.values(), key=_order)[:limit]
    # Typos: unknown words are replaced by their likely spellings. The last word may also
    # be a finished word whose typo happens to spell (the start of) another word.
    fixed: list[_Group | None] = list(groups)
    changed = False
    for i, (group, word) in enumerate(zip(groups, words, strict=True)):
        is_last = i == len(words) - 1
        if group is None or is_last:
            correction = await _corrected(store, word)
            if correction is not None:
                fixed[i] = correction if group is None else group.widened(correction)
                changed = True
    usable = [g for g in fixed if g is not None]
    if changed and len(usable) == len(words):
        add(await _words_tier(store, entity, usable, FUZZY))
    if not found and usable:
        add(await _partial_tier(store, entity, usable))
    return sorted(found.values(), key=_order)[:limit]


def _order(hit: SearchHit) -> tuple[int, int, int, int]:
    return (hit.tier, -hit.weight, len(hit.matched), hit.entity_id)


async def _first_pass(
    store: Store, entity: str, words: list[str]
) -> tuple[list[tuple[int, str, str, int]], list[_Group | None], bool]:
    """One round trip for the cheap parts: the exact/prefix tier (a B-tree range), each
    word's frequency, the completions of the word being typed, and whether writes are
    waiting to be indexed."""
    key = " ".join(words)
    *complete, last = words
    marks = placeholders(len(complete))
    rows = await store.fetchall(
        "SELECT * FROM (SELECT 0, entity_id, name, key, weight FROM search_names"
        " WHERE entity = ? AND key >= ? AND key < ? ORDER BY key LIMIT ?) AS p "
        f"UNION ALL SELECT 1, 0, word, '', n FROM search_vocab WHERE word IN ({marks}) "
        "UNION ALL SELECT * FROM (SELECT 2, 0, word, '', n FROM search_vocab"
        " WHERE word >= ? AND word < ? LIMIT ?) AS c "
        "UNION ALL SELECT * FROM (SELECT 3, 0, '', '', 0 FROM search_dirty LIMIT 1) AS d",
        (entity, key, key + _KEY_END, CANDIDATES, *complete, last, last + _KEY_END,
         COMPLETION_SCAN),
    )  # fmt: skip
    prefix_rows = [(r[1], r[2], r[3], r[4]) for r in rows if r[0] == 0]
    freq = {r[2]: r[4] for r in rows if r[0] == 1}
    completions = sorted(
        ((r[2], r[4]) for r in rows if r[0] == 2), key=lambda wn: (wn[0] != last, -wn[1])
    )
    dirty = any(r[0] == 3 for r in rows)
    groups: list[_Group | None] = [
        _Group((w,), None, freq[w]) if w in freq else None for w in complete
    ]
    groups.append(_typing_group(last, completions))
    return prefix_rows, groups, dirty


def _typing_group(last: str, completions: list[tuple[str, int]]) -> _Group | None:
    """The group for the word being typed, from its completions (commonest first)."""
    if not completions:
        return None
    freq = sum(n for _, n in completions)
    if last.isdigit() and completions[0][0] == last:
        # "part 2" (also typed as "Part Two" or "Part II"): a number is usually complete.
        return _Group((last,), last, completions[0][1])
    if len(completions) >= COMPLETION_SCAN or len(last) == 1:
        freq = _UNBOUNDED  # a very open prefix: checked on candidates, rarely a driver
    if len(last) == 1:
        return _Group((), last, freq)
    if len(last) <= 3:  # the FTS prefix index (prefix='2 3') answers these directly
        return _Group((last + "*",), last, freq)
    # FTS5 merges the doclists of a long prefix's terms eagerly; the commonest few
    # completions, OR-ed, are iterated lazily instead.
    return _Group(tuple(w for w, _ in completions[:COMPLETIONS]), last, freq)


@dataclass(frozen=True)
class TypoIndex:
    """A vocabulary for typo correction: `vocab(word, n)` holds each word and how many
    entries hold it, `deletes(variant, word)` each word's one-letter deletions.

    The catalog's is maintained here; the news keeps one over article words
    (bot/news/reading.py) and corrects with the same `corrections`."""

    vocab: str
    deletes: str


CATALOG_TYPOS = TypoIndex("search_vocab", "search_deletes")


def typo_index_rows(words: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(variant, word) rows for a TypoIndex's deletes table, for the words worth
    correcting (MIN_FUZZY_LEN to MAX_FUZZY_LEN letters)."""
    for word in words:
        if MIN_FUZZY_LEN <= len(word) <= MAX_FUZZY_LEN:
            for variant in deletion_variants(word):
                yield variant, word


async def corrections(
    store: Store, word: str, index: TypoIndex = CATALOG_TYPOS
) -> list[tuple[str, int]]:
    """The words of `index` that `word` is likely a slip for (1 typo under 7 letters, 2
    from 7; a plural's extra "s" is one), as (word, n), closest and commonest first."""
    if not MIN_FUZZY_LEN <= len(word) <= MAX_FUZZY_LEN or not word.isalpha():
        return []
    variants = sorted(deletion_variants(word))
    marks = ",".join("?" * len(variants))
    # A UNION of two keyed lookups: written as one WHERE with OR, PostgreSQL scanned the
    # whole vocabulary.
    rows = await store.fetchall(
        f"SELECT word, n FROM {index.vocab} WHERE word IN ({marks}) UNION "
        f"SELECT v.word, v.n FROM {index.deletes} d JOIN {index.vocab} v ON v.word = d.word"
        f" WHERE d.variant IN (?, {marks})",
        (*variants, word, *variants),
    )
    allowed = _allowed_typos(word)
    scored = []
    for candidate, n in rows:
        distance = edit_distance(word, candidate, allowed)
        if distance <= allowed:
            scored.append((distance, -n, candidate))
    scored.sort()
    return [(c, -n) for _, n, c in scored[:CORRECTIONS_PER_WORD]]


async def _corrected(store: Store, word: str) -> _Group | None:
    """The likely intended words for an unknown `word`, or None when nothing is close."""
    best = await corrections(store, word)
    if not best:
        return None
    return _Group(tuple(c for c, _ in best), None, sum(n for _, n in best))


def _drivers(groups: Sequence[_Group]) -> tuple[list[_Group], list[_Group]]:
    """Split groups into those FTS evaluates (rarest first, within a budget of doclist
    entries) and those checked on the candidates it returns."""
    ranked = sorted((g for g in groups if g.terms), key=lambda g: g.freq)
    drivers: list[_Group] = []
    budget = FTS_BUDGET
    for group in ranked:
        if drivers and (group.freq > budget or len(drivers) >= MAX_DRIVERS):
            break
        drivers.append(group)
        budget -= group.freq
    return drivers, [g for g in groups if g not in drivers]


async def _words_tier(
    store: Store, entity: str, groups: Sequence[_Group], tier: int
) -> list[SearchHit]:
    """Rows satisfying every group. FTS finds candidates from the rarest groups; the
    common ones are checked in Python, so one common word can't make a query slow."""
    drivers, checks = _drivers(groups)
    if not drivers:
        return []
    rows = await _fts_rows(store, entity, WordQuery.all_of(g.terms for g in drivers), CANDIDATES)
    hits = []
    for entity_id, name, key, weight in rows:
        if checks:
            key_words = set(key.split())
            if not all(g.satisfied_by(key_words) for g in checks):
                continue
        hits.append(SearchHit(entity, entity_id, name, tier, weight))
    return hits


async def _fts_rows(store: Store, entity: str, query: WordQuery, limit: int) -> list[Any]:
    """The first `limit` rows matching `query`, in id (= best-known-first) order."""
    return await store.match_words(
        _FTS[entity], query, limit, "s.entity_id, s.name, s.key, s.weight"
    )


async def _partial_tier(store: Store, entity: str, groups: Sequence[_Group]) -> list[SearchHit]:
    """Rows holding two of the rarer words, else any one; those holding more first.

    Only reached when nothing matched, e.g. a typo that spells another real word.
    """
    ranked = sorted((g for g in groups if g.terms), key=lambda g: g.freq)[:MAX_DRIVERS]
    if not ranked:
        return []
    rows: list[Any] = []
    if len(ranked) >= 2:
        pairs = [(a.terms, b.terms) for a, b in combinations(ranked, 2)]
        rows = await _fts_rows(store, entity, WordQuery.any_of(pairs), CANDIDATES)
    if not rows:
        anyone = WordQuery.any_of([(g.terms,) for g in ranked])
        rows = await _fts_rows(store, entity, anyone, CANDIDATES)
    scored = []
    for entity_id, name, key, weight in rows:
        key_words = set(key.split())
        covered = sum(1 for g in groups if g.satisfied_by(key_words))
        scored.append((covered, SearchHit(entity, entity_id, name, PARTIAL, weight)))
    scored.sort(key=lambda sh: (-sh[0], _order(sh[1])))
    return [hit for _, hit in scored]


# -- incremental maintenance -----------------------------------------------------------


# An entity's weight, given an SQL expression for its number of credits: a subquery for
# one entity, a precomputed count in a rebuild.
_TITLE_WEIGHT = "coalesce(t.votes, 0) + 100 * {credits}"
_PERSON_WEIGHT = "100 * {credits}"


async def refresh_search_index(store: Store, limit: int | None = None) -> int:
    """Re-index the entities queued by the triggers; returns how many were done.

    At most `limit` entities (default REFRESH_PER_CALL) per call, so a search after a
    large write that bypassed `bulk_search_update` stays quick; the rest wait for the next
    calls (or `rebuild_search_index`). Skipped inside a caller's open transaction (the
    store's write lock is not re-entrant).
    """
    limit = REFRESH_PER_CALL if limit is None else limit
    if store.in_transaction:
        return 0
    async with store.transaction():
        rows = await store.fetchall("SELECT entity, entity_id FROM search_dirty LIMIT ?", (limit,))
        for entity, entity_id in rows:
            await _reindex_entity(store, entity, entity_id)
            await store.execute(
                "DELETE FROM search_dirty WHERE entity = ? AND entity_id = ?",
                (entity, entity_id),
            )
    if len(rows) == limit:
        log.warning(
            "search index: more than %d entities waiting; a bulk write should use "
            "bulk_search_update (or run rebuild_search_index)",
            limit,
        )
    elif rows:
        log.debug("search index: re-indexed %d entities", len(rows))
    return len(rows)


async def _reindex_entity(store: Store, entity: str, entity_id: int) -> None:
    if entity not in _FTS:
        return
    if entity == "title":
        row = await store.fetchone(
            "SELECT t.title, t.original_title, "
            + _TITLE_WEIGHT.format(credits="(SELECT count(*) FROM credits WHERE title_id = t.id)")
            + " FROM titles t WHERE t.id = ?",
            (entity_id,),
        )
    else:
        row = await store.fetchone(
            "SELECT p.name, NULL, "
            + _PERSON_WEIGHT.format(credits="(SELECT count(*) FROM credits WHERE person_id = p.id)")
            + " FROM people p WHERE p.id = ?",
            (entity_id,),
        )
    wanted: dict[str, str] = {}
    weight = 0
    if row is not None:
        weight = int(row[2] or 0)
        aliases = await store.fetchall(
            "SELECT alias FROM aliases WHERE entity = ? AND entity_id = ? ORDER BY id",
            (entity, entity_id),
        )
        for name in [row[0], row[1], *(a[0] for a in aliases)]:
            key = search_key(name) if name else ""
            if key and key not in wanted:
                wanted[key] = name
    index = _FTS[entity]
    for sid, key in await store.fetchall(
        "SELECT id, key FROM search_names WHERE entity = ? AND entity_id = ?",
        (entity, entity_id),
    ):
        if key in wanted:
            await store.execute(
                "UPDATE search_names SET weight = ?, name = ? WHERE id = ?",
                (weight, wanted.pop(key), sid),
            )
        else:
            await store.unindex_words(index, [(sid, key)])
            await store.execute("DELETE FROM search_names WHERE id = ?", (sid,))
    for key, name in wanted.items():
        sid = await store.insert(
            "INSERT INTO search_names(entity, entity_id, name, key, weight) VALUES (?, ?, ?, ?, ?)",
            (entity, entity_id, name, key, weight),
        )
        await store.index_words(index, [(int(sid or 0), key)])
        for word in key.split():
            count = await store.fetchval(
                "INSERT INTO search_vocab(word, n) VALUES (?, 1) "
                "ON CONFLICT(word) DO UPDATE SET n = search_vocab.n + 1 RETURNING n",
                (word,),
            )
            if count == 1:
                await store.executemany(
                    "INSERT INTO search_deletes(variant, word) VALUES (?, ?)"
                    " ON CONFLICT DO NOTHING",
                    list(typo_index_rows([word])),
                )


# Spellings that exercise every rule of search_key; if their keys change (a new rule in
# normalize.py), keys stored under the old rules no longer match what people type.
_KEY_PROBES = (
    "The Fast & the Furious", "Amélie", "Mission: Impossible – Part One", "Rocky IV",
    "Part Two", "twenty one", "nineteen eighty four", "I, Robot", "O'Brien", "Æon Flux",
    "Øresund", "Москва слезам не верит", "千と千尋の神隠し", "Kill Bill™",
)  # fmt: skip
KEY_VERSION_META = "search_key_version"


def search_key_version() -> str:
    """A fingerprint of the current search_key rules."""
    joined = "\n".join(search_key(p) for p in _KEY_PROBES)
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


async def ensure_search_index_current(store: Store) -> bool:
    """Rebuild the index when it was built under other search_key rules (or never
    stamped); returns True if it rebuilt. Cheap when current: one meta read."""
    stamped = await store.get_meta(KEY_VERSION_META)
    if stamped == search_key_version():
        return False
    if not await store.fetchval(
        "SELECT EXISTS (SELECT 1 FROM titles UNION ALL SELECT 1 FROM people)"
    ):
        await store.set_meta(KEY_VERSION_META, search_key_version())
        return False
    if stamped is None:
        log.info("building the search index")
    else:
        log.warning("search index was built under other spelling rules: rebuilding it")
    try:
        await rebuild_search_index(store)
    except StoreBusyError as exc:  # e.g. an import holds the write lock
        log.warning("search index rebuild postponed (%s); run `marquee db reindex`", exc)
        return False
    except IntegrityError:  # processes of a cluster start together: one rebuild wins
        log.info("search index rebuilt by another process at the same time")
        return False
    return True


async def rebuild_search_index(store: Store) -> None:
    """Rebuild every search structure as one transaction: on SQLite in C over FTS5, on
    a short-lived connection in a worker thread, so the bot keeps answering from the old
    index meanwhile (bot/db/sqlite_search.py); elsewhere through the Store
    (`_rebuild_through_store`). Meant for the CLI and tests, when nothing else writes.
    """
    await store.rebuild_search(search_rules())


# -- rebuild through the Store (backends other than SQLite's bulk path) ----------------


async def _rebuild_through_store(store: Store) -> None:
    """The same index as SQLite's rebuild_search_tables builds, computed in Python and loaded
    with the store's `replace_rows`: rows numbered best-known first, the vocabulary and
    the typo index from the keys. Everything is computed before the tables are touched,
    so searches read the old index meanwhile (PostgreSQL's `replace_rows` then makes
    them wait for the load itself)."""
    async with store.transaction():
        stamp = await store.get_meta(KEY_VERSION_META)
        if stamp is not None and stamp != search_key_version():
            await _renormalize_through_store(store)
        weights: dict[tuple[str, int], int] = {}
        for entity, table, credit_column, weight in (
            ("title", "titles", "title_id", _TITLE_WEIGHT),
            ("person", "people", "person_id", _PERSON_WEIGHT),
        ):
            alias = table[0]
            for entity_id, value in await store.fetchall(
                f"SELECT {alias}.id, "
                + weight.format(credits="coalesce(c.n, 0)")
                + f" FROM {table} {alias} LEFT JOIN (SELECT {credit_column}, count(*) AS n"
                f" FROM credits GROUP BY {credit_column}) c ON c.{credit_column} = {alias}.id"
            ):
                weights[entity, entity_id] = int(value)
        spellings: dict[tuple[str, int, str], tuple[str, int]] = {}

        def add(entity: str, entity_id: int, key: str, name: str, pri: int) -> None:
            if key and (entity, entity_id) in weights:
                spellings.setdefault((entity, entity_id, key), (name, pri))

        for tid, norm, title, original in await store.fetchall(
            "SELECT id, norm_title, title, original_title FROM titles ORDER BY id"
        ):
            add("title", tid, search_key_of_norm(norm), title, 0)
            if original is not None:
                add("title", tid, search_key(original), original, 1)
        for pid, norm, name in await store.fetchall(
            "SELECT id, norm_name, name FROM people ORDER BY id"
        ):
            add("person", pid, search_key_of_norm(norm), name, 0)
        for aid, entity, entity_id, norm, alias in await store.fetchall(
            "SELECT id, entity, entity_id, norm, alias FROM aliases"
            " WHERE entity IN ('title', 'person') ORDER BY id"
        ):
            add(entity, entity_id, search_key_of_norm(norm), alias, 2 + aid)
        ordered = sorted(
            spellings.items(),
            key=lambda kv: (-weights[kv[0][0], kv[0][1]], kv[0][0], kv[0][1], kv[1][1]),
        )
        vocab: dict[str, int] = {}
        rows = []
        for number, ((entity, entity_id, key), (name, _pri)) in enumerate(ordered, start=1):
            rows.append((number, entity, entity_id, name, key, weights[entity, entity_id]))
            for word in set(key.split()):
                vocab[word] = vocab.get(word, 0) + 1
        # Stored entity by entity (each in id order): a title search walking titles best
        # known first then reads pages of titles only, not pages mostly of people.
        rows.sort(key=itemgetter(1))
        await store.replace_rows(
            "search_names", ["id", "entity", "entity_id", "name", "key", "weight"], rows
        )
        await store.replace_rows("search_vocab", ["word", "n"], list(vocab.items()))
        await store.replace_rows(
            "search_deletes", ["variant", "word"], sorted(set(typo_index_rows(vocab)))
        )
        await store.replace_rows("search_dirty", ["entity", "entity_id"], [])
        await store.set_meta(KEY_VERSION_META, search_key_version())
    await store.tidy(_SEARCH_TABLES)
    log.info("search index rebuilt: %d words", len(vocab))


_SEARCH_TABLES = ("search_names", "search_vocab", "search_deletes", "search_dirty")


async def _renormalize_through_store(store: Store) -> None:
    """_renormalize's work in Python: the normalize_key() columns under the current rules;
    an alias or company whose new key is taken keeps its old one (as UPDATE OR IGNORE)."""
    for table, column, source, unique in (
        ("titles", "norm_title", "title", None),
        ("people", "norm_name", "name", None),
        ("aliases", "norm", "alias", "entity, entity_id"),
        ("companies", "norm_name", "name", "''"),
        ("articles", "norm_headline", "headline", None),
    ):
        group = unique or "''"
        rows = await store.fetchall(
            f"SELECT id, {column}, {source}, {group} FROM {table} WHERE {source} IS NOT NULL"
        )
        taken = {(*r[3:], r[1]) for r in rows} if unique else set()
        for row in rows:
            new = normalize_key(row[2])
            if new == row[1]:
                continue
            if unique:
                slot = (*row[3:], new)
                if slot in taken:
                    continue
                taken.add(slot)
            await store.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", (new, row[0]))


def search_rules() -> SearchRules:
    """The catalog's spelling rules, for a backend's bulk rebuild of the index."""
    return SearchRules(
        search_key=search_key,
        search_key_of_norm=search_key_of_norm,
        normalize_key=normalize_key,
        typo_rows=typo_index_rows,
        fuzzy_lengths=(MIN_FUZZY_LEN, MAX_FUZZY_LEN),
        title_weight=_TITLE_WEIGHT,
        person_weight=_PERSON_WEIGHT,
        version_meta=KEY_VERSION_META,
        version=search_key_version(),
        through_store=_rebuild_through_store,
    )
