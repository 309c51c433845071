"""Dataset rows -> table rows: the per-row hot loops of the IMDb import.

One RowParser holds what decides whether a row is kept (the wanted title types, the
sets of kept titles and credited people) and how IMDb numbers become row ids (the
exceptions an IdMap found). The importer's own process and its helper process
(imdb_stage.py) each use one, so every dataset is parsed by the same code wherever it
runs.

The loops are written for speed on purpose: bit tests, dict lookups and method
lookups are inlined, and malformed rows take the slow path only when they happen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from bot.catalog.imdb_files import NULL, IdSet, TsvReader, character_names, imdb_number
from bot.catalog.normalize import normalize_key

# IMDb principal categories kept as credits; the rest (composer, editor, self, ...)
# are crew the catalog does not model.
ROLE_OF_CATEGORY = {
    "actor": "actor",
    "actress": "actor",
    "director": "director",
    "writer": "writer",
    "producer": "producer",
}

Stream = Callable[[TsvReader], Iterator[list[str]]]


class RowParser:
    """Parses each dataset for one import; `stream` yields a reader's raw fields."""

    def __init__(
        self,
        *,
        types: frozenset[str] | None,
        include_adult: bool,
        as_of: str,
        title_remap: dict[int, int],
        person_remap: dict[int, int],
        stream: Stream,
    ) -> None:
        self.types = types
        self.include_adult = include_adult
        self.as_of = as_of
        self.title_remap = title_remap
        self.person_remap = person_remap
        self.stream = stream
        self.titles = IdSet()  # IMDb numbers of the titles kept
        self.people = IdSet()  # ... of the people the kept credits name
        self.present_people = IdSet()  # ... of the people name.basics holds (valid rows)

    def title_rows(self, reader: TsvReader) -> Iterator[tuple[object, ...]]:
        """titles rows: (id, imdb_id, title, original, norm, kind, year, minutes, genres,
        as_of); fills `titles`."""
        types = self.types
        adult_ok = self.include_adult
        kept = self.titles
        row_id = self.title_remap.get
        as_of = self.as_of
        bad = reader.bad
        kept_rows = 0
        for tconst, kind, primary, original, adult, start, _end, runtime, genres in self.stream(
            reader
        ):
            if types is not None and kind not in types:
                continue
            if adult != "0":
                if adult != "1":
                    bad(f"isAdult {adult!r}")
                if not adult_ok:
                    continue
            try:
                number = imdb_number(tconst, "tt")
                year = None if start == NULL else int(start)
                minutes = None if runtime == NULL else int(runtime)
            except ValueError:
                bad(which_bad(tconst=tconst, startYear=start, runtimeMinutes=runtime))
                continue
            if primary == NULL or not primary.strip():
                bad("no title")
                continue
            if number in kept:  # the first row of a title wins, on every backend
                bad(f"{tconst} repeats an earlier row")
                continue
            kept.add(number)
            kept_rows += 1
            yield (
                row_id(number, number),
                tconst,
                primary,
                None if original in (NULL, primary) else original,
                normalize_key(primary),
                kind,
                year,
                minutes,
                None if genres == NULL else genres,
                as_of,
            )
        reader.report.kept = kept_rows

    def rating_rows(self, reader: TsvReader) -> Iterator[tuple[object, ...]]:
        """(rating, votes, title id) for kept titles."""
        bits = self.titles.bits
        row_id = self.title_remap.get
        kept_rows = 0
        for tconst, rating, votes in self.stream(reader):
            try:
                number = int(tconst[2:])
                if number >> 3 >= len(bits) or not bits[number >> 3] >> (number & 7) & 1:
                    continue
                value = (float(rating), int(votes), row_id(number, number))
            except ValueError:
                reader.bad(which_bad(tconst=tconst, averageRating=rating, numVotes=votes))
                continue
            kept_rows += 1
            yield value
        reader.report.kept = kept_rows

    def aka_rows(self, reader: TsvReader) -> Iterator[tuple[object, ...]]:
        """(alias, norm, region, title id) for kept titles, each spelling once per title."""
        bits = self.titles.bits
        row_id = self.title_remap.get
        current = -1
        seen: set[str] = set()
        kept_rows = 0
        for title_id, _ordering, title, region, *_rest in self.stream(reader):
            try:
                number = int(title_id[2:])
            except ValueError:
                reader.bad(which_bad(titleId=title_id))
                continue
            if number >> 3 >= len(bits) or not bits[number >> 3] >> (number & 7) & 1:
                continue
            if title == NULL:
                continue
            norm = normalize_key(title)
            if number != current:
                current = number
                seen.clear()
            if not norm or norm in seen:
                continue
            seen.add(norm)
            kept_rows += 1
            yield (title, norm, None if region == NULL else region, row_id(number, number))
        reader.report.kept = kept_rows

    def principal_rows(self, reader: TsvReader) -> Iterator[tuple[object, ...]]:
        """credits rows (title, person, role, character, billing, as_of); fills `people`.

        The biggest file (5M rows in the benchmark, ~90M in IMDb's).
        """
        title_bits = self.titles.bits
        people = self.people
        person_bits = people.bits
        title_id = self.title_remap.get
        person_id = self.person_remap.get
        roles = ROLE_OF_CATEGORY
        as_of = self.as_of
        kept_rows = 0
        for tconst, ordering, nconst, category, _job, characters in self.stream(reader):
            role = roles.get(category)
            if role is None:
                continue
            try:
                number = int(tconst[2:])
                if (
                    number >> 3 >= len(title_bits)
                    or not title_bits[number >> 3] >> (number & 7) & 1
                ):
                    continue
                person = int(nconst[2:])
                billing = None if ordering == NULL else int(ordering)
            except ValueError:
                reader.bad(which_bad(tconst=tconst, nconst=nconst, ordering=ordering))
                continue
            byte = person >> 3
            if byte >= len(person_bits):
                people.grow(byte)
            person_bits[byte] |= 1 << (person & 7)
            kept_rows += 1
            yield (
                title_id(number, number),
                person_id(person, person),
                role,
                None if characters == NULL else character_names(characters),
                billing,
                as_of,
            )
        reader.report.kept = kept_rows

    def crew_rows(self, reader: TsvReader) -> Iterator[tuple[object, ...]]:
        """(title id, person id, role) for directors and writers; fills `people`."""
        title_bits = self.titles.bits
        people = self.people
        title_id = self.title_remap.get
        person_id = self.person_remap.get
        kept_rows = 0
        for tconst, directors, writers in self.stream(reader):
            try:
                number = int(tconst[2:])
                if (
                    number >> 3 >= len(title_bits)
                    or not title_bits[number >> 3] >> (number & 7) & 1
                ):
                    continue
                crew = [
                    (role, int(ident[2:]))
                    for role, names in (("director", directors), ("writer", writers))
                    if names != NULL
                    for ident in names.split(",")
                ]
            except ValueError:
                reader.bad(which_bad(tconst=tconst, directors=directors, writers=writers))
                continue
            row_id = title_id(number, number)
            for role, person in crew:
                people.add(person)
                kept_rows += 1
                yield (row_id, person_id(person, person), role)
        reader.report.kept = kept_rows

    def person_rows(self, reader: TsvReader, wanted: IdSet | None) -> Iterator[tuple[object, ...]]:
        """people rows (id, number, imdb_id, name, norm, born, died, professions) of the
        `wanted` people (None: every valid row); fills `present_people`."""
        wanted_bits = wanted.bits if wanted is not None else None
        present = self.present_people
        row_id = self.person_remap.get
        kept_rows = 0
        for nconst, name, birth, death, professions, _known in self.stream(reader):
            try:
                number = int(nconst[2:])
                if wanted_bits is not None and (
                    number >> 3 >= len(wanted_bits)
                    or not wanted_bits[number >> 3] >> (number & 7) & 1
                ):
                    continue
                if not nconst.startswith("nm"):
                    raise ValueError
                born = None if birth == NULL else int(birth)
                died = None if death == NULL else int(death)
            except ValueError:
                reader.bad(which_bad(nconst=nconst, birthYear=birth, deathYear=death))
                continue
            if name == NULL or not name.strip():
                reader.bad("no name")
                continue
            if number in present:  # the first row of a person wins, on every backend
                reader.bad(f"{nconst} repeats an earlier row")
                continue
            kept_rows += 1
            present.add(number)
            yield (
                row_id(number, number),
                number,
                nconst,
                name,
                normalize_key(name),
                born,
                died,
                None if professions == NULL else professions,
            )
        reader.report.kept = kept_rows


def which_bad(**fields: str) -> str:
    """Why a row was refused, for the report (slow path: malformed rows only)."""
    for column, value in fields.items():
        if value == NULL:
            continue
        is_id = column in ("tconst", "titleId", "nconst", "directors", "writers")
        try:
            if is_id:
                for ident in value.split(","):
                    imdb_number(
                        ident, "nm" if column in ("nconst", "directors", "writers") else "tt"
                    )
            elif column == "averageRating":
                float(value)
            else:
                int(value)
        except ValueError:
            return f"{column} {value!r} is not {'an IMDb id' if is_id else 'a number'}"
    return "bad value"
