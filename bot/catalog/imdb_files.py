"""IMDb dataset files: which ones exist, their headers, and a tolerant streaming reader.

IMDb's TSV files are not CSV: fields are separated by tabs, `\\N` means null, and
quote characters are ordinary text (a title may start with `"` and never close it).
So lines are split on tabs with no quoting at all, one line at a time, whether the
file is plain `.tsv` or `.tsv.gz`: memory stays flat however big the file is.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import UserFacingError

NULL = "\\N"

# Fatal-error rule: a file fails the import when its malformed rows exceed 1% of the
# rows read so far, with a grace of BAD_ROWS_GRACE rows (a few bad lines in a small
# file are reported, not fatal). Checked while reading, so garbage stops early.
BAD_ROWS_GRACE = 100
BAD_ROWS_RATIO = 0.01
BAD_LINES_SHOWN = 10


class ImdbFormatError(UserFacingError):
    """A dataset file that cannot be imported; the message names the file."""


@dataclass(frozen=True)
class DatasetSpec:
    name: str  # e.g. "title.basics"
    columns: tuple[str, ...]


DATASETS: dict[str, DatasetSpec] = {
    spec.name: spec
    for spec in (
        DatasetSpec(
            "title.basics",
            (
                "tconst",
                "titleType",
                "primaryTitle",
                "originalTitle",
                "isAdult",
                "startYear",
                "endYear",
                "runtimeMinutes",
                "genres",
            ),
        ),
        DatasetSpec(
            "title.akas",
            (
                "titleId",
                "ordering",
                "title",
                "region",
                "language",
                "types",
                "attributes",
                "isOriginalTitle",
            ),
        ),
        DatasetSpec("title.ratings", ("tconst", "averageRating", "numVotes")),
        DatasetSpec(
            "title.principals",
            ("tconst", "ordering", "nconst", "category", "job", "characters"),
        ),
        DatasetSpec("title.crew", ("tconst", "directors", "writers")),
        DatasetSpec(
            "name.basics",
            (
                "nconst",
                "primaryName",
                "birthYear",
                "deathYear",
                "primaryProfession",
                "knownForTitles",
            ),
        ),
    )
}


def find_datasets(directory: str | Path) -> dict[str, Path | None]:
    """Every dataset's file in `directory` (None when absent); refuses a useless DIR."""
    directory = Path(directory)
    if not directory.is_dir():
        raise UserFacingError(f"no such directory: {directory}")
    paths = {name: find_dataset(directory, name) for name in DATASETS}
    if not any(paths.values()):
        expected = ", ".join(f"{n}.tsv[.gz]" for n in DATASETS)
        raise UserFacingError(f"no IMDb dataset files in {directory} (expected {expected})")
    return paths


def find_dataset(directory: Path, name: str) -> Path | None:
    """`name.tsv.gz` or `name.tsv` in `directory` (the compressed one wins)."""
    for suffix in (".tsv.gz", ".tsv"):
        path = directory / f"{name}{suffix}"
        if path.is_file():
            return path
    return None


@dataclass
class FileReport:
    """What reading one file found: rows, skipped rows and where the bad ones are."""

    name: str
    path: Path
    rows: int = 0
    kept: int = 0
    malformed: int = 0
    bad_lines: list[tuple[int, str]] = field(default_factory=list)

    def describe_bad(self) -> str:
        shown = ", ".join(f"line {n} ({why})" for n, why in self.bad_lines)
        more = self.malformed - len(self.bad_lines)
        return shown + (f" and {more} more" if more > 0 else "")


ProgressCallback = Callable[[int, int], None]  # (rows read, bytes read)


class TsvReader:
    """Streams one dataset file as lists of fields, counting malformed lines."""

    PROGRESS_EVERY = 1 << 15

    def __init__(self, spec: DatasetSpec, path: Path) -> None:
        self.spec = spec
        self.path = path
        self.report = FileReport(spec.name, path)
        self.size = path.stat().st_size
        self.index: dict[str, int] = {}

    def bad(self, line_no: int, why: str) -> None:
        """Count a malformed row; fail the import once they pass the threshold."""
        report = self.report
        report.malformed += 1
        if len(report.bad_lines) < BAD_LINES_SHOWN:
            report.bad_lines.append((line_no, why))
        if report.malformed > max(BAD_ROWS_GRACE, report.rows * BAD_ROWS_RATIO):
            raise ImdbFormatError(
                f"{self.path.name}: too many malformed rows ({report.malformed} of "
                f"{report.rows} read; first: {report.describe_bad()})"
            )

    def rows(self, progress: ProgressCallback | None = None) -> Iterator[tuple[int, list[str]]]:
        """(line number, fields) for every well-formed data line."""
        width = len(self.spec.columns)
        report = self.report
        try:
            with self.path.open("rb") as raw:
                stream: io.BufferedIOBase = raw
                if self.path.name.endswith(".gz"):
                    stream = gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[assignment]
                text = io.TextIOWrapper(stream, encoding="utf-8", errors="replace", newline="\n")
                self._check_header(text.readline())
                line_no = 1
                every = self.PROGRESS_EVERY
                for line in text:
                    line_no += 1
                    fields = line.rstrip("\n").rstrip("\r").split("\t")
                    report.rows += 1
                    if len(fields) != width:
                        if fields == [""]:
                            report.rows -= 1  # a blank line (e.g. at the end): not a row
                            continue
                        self.bad(line_no, f"{len(fields)} fields, expected {width}")
                        continue
                    if progress is not None and not report.rows % every:
                        progress(report.rows, raw.tell())
                    yield line_no, fields
                if progress is not None:
                    progress(report.rows, self.size)
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise ImdbFormatError(f"{self.path.name}: damaged gzip data ({exc})") from None
        except OSError as exc:
            reason = exc.strerror or exc
            raise ImdbFormatError(f"{self.path.name}: cannot read ({reason})") from None

    def _check_header(self, line: str) -> None:
        got = tuple(line.lstrip("\ufeff").rstrip("\n").rstrip("\r").split("\t"))
        if got != self.spec.columns:
            shown = "\t".join(got)[:120] if line else "(empty file)"
            raise ImdbFormatError(
                f"{self.path.name}: wrong header for {self.spec.name}: got {shown!r}, "
                f"expected {' '.join(self.spec.columns)!r}"
            )


def parse_int(value: str) -> int | None:
    """`\\N` is None; anything else must be an integer (ValueError otherwise)."""
    if value == NULL:
        return None
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a number") from None


def nullable(value: str) -> str | None:
    return None if value == NULL or value == "" else value


def imdb_number(ident: str, prefix: str) -> int:
    """`tt0133093` -> 133093; ValueError for anything that is not such an id."""
    if not ident.startswith(prefix) or not ident[2:].isdigit():
        raise ValueError(f"{ident!r} is not an IMDb id")
    return int(ident[2:])


class IdSet:
    """A set of IMDb id numbers as a bitmap: 35M possible ids cost ~4 MB, not ~2 GB."""

    __slots__ = ("_bits", "count")

    def __init__(self) -> None:
        self._bits = bytearray(1 << 20)
        self.count = 0

    def add(self, number: int) -> None:
        byte = number >> 3
        bits = self._bits
        if byte >= len(bits):
            bits.extend(bytes(max(byte + 1 - len(bits), len(bits))))
        mask = 1 << (number & 7)
        if not bits[byte] & mask:
            bits[byte] |= mask
            self.count += 1

    def __contains__(self, number: int) -> bool:
        byte = number >> 3
        return byte < len(self._bits) and bool(self._bits[byte] & (1 << (number & 7)))

    def __len__(self) -> int:
        return self.count
