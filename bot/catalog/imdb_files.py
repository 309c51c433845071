"""IMDb dataset files: which ones exist, their headers, and a tolerant streaming reader.

IMDb's TSV files are not CSV: fields are separated by tabs, `\\N` means null, and
quote characters are ordinary text (a title may start with `"` and never close it).
So lines are split on tabs with no quoting at all, one line at a time, whether the
file is plain `.tsv` or `.tsv.gz`: memory stays flat however big the file is.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import subprocess
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

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
        if path.exists() and not path.is_dir():  # a named pipe streams as well as a file
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
        self.line_no = 1
        self.blank_lines = 0

    def bad(self, why: str) -> None:
        """Count the current row as malformed; fail once they pass the threshold."""
        report = self.report
        report.rows = self.line_no - 1 - self.blank_lines
        report.malformed += 1
        if len(report.bad_lines) < BAD_LINES_SHOWN:
            report.bad_lines.append((self.line_no, why))
        if report.malformed > max(BAD_ROWS_GRACE, report.rows * BAD_ROWS_RATIO):
            raise ImdbFormatError(
                f"{self.path.name}: too many malformed rows ({report.malformed} of "
                f"{report.rows} read; first: {report.describe_bad()})"
            )

    def rows(self, progress: ProgressCallback | None = None) -> Iterator[list[str]]:
        """The fields of every data line with the right number of them.

        The hot loop of the whole import: kept to the bare minimum per line. The
        current line number is `self.line_no` (for `bad`).
        """
        width = len(self.spec.columns)
        gunzip: subprocess.Popen[bytes] | None = None
        try:
            with self.path.open("rb") as raw:
                text, gunzip = self._open_text(raw)
                fd = raw.fileno()
                self._check_header(text.readline())
                mask = self.PROGRESS_EVERY - 1
                for line_no, line in enumerate(text, 2):
                    self.line_no = line_no
                    fields = line.rstrip("\r\n").split("\t")
                    if "\x00" in line:  # no database text holds one (PostgreSQL refuses it)
                        self.bad("a NUL character")
                        continue
                    if len(fields) != width:
                        if fields == [""]:
                            self.blank_lines += 1  # e.g. at the end: not a row
                        else:
                            self.bad(f"{len(fields)} fields, expected {width}")
                        continue
                    if not line_no & mask and progress is not None:
                        # gunzip shares raw's file offset, so this is its read position
                        progress(line_no - 1, os.lseek(fd, 0, os.SEEK_CUR))
                    yield fields
                self.report.rows = self.line_no - 1 - self.blank_lines
                if gunzip is not None and gunzip.wait() != 0:
                    assert gunzip.stderr is not None
                    why = gunzip.stderr.read().decode("utf-8", "replace").strip().splitlines()
                    raise ImdbFormatError(
                        f"{self.path.name}: damaged gzip data ({why[-1] if why else 'gzip failed'})"
                    )
                if progress is not None:
                    progress(self.report.rows, self.size)
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise ImdbFormatError(f"{self.path.name}: damaged gzip data ({exc})") from None
        except OSError as exc:
            reason = exc.strerror or exc
            raise ImdbFormatError(f"{self.path.name}: cannot read ({reason})") from None
        finally:
            if gunzip is not None:
                if gunzip.poll() is None:
                    gunzip.kill()
                gunzip.wait()
                for pipe in (gunzip.stdout, gunzip.stderr):
                    if pipe is not None:
                        pipe.close()

    def _open_text(
        self, raw: io.BufferedReader
    ) -> tuple[io.TextIOWrapper, subprocess.Popen[bytes] | None]:
        """Text lines of the file; `.gz` is inflated by a gzip process when there is one.

        A separate gzip process decompresses on the second core while this one parses,
        which takes about a third off the read time; Python's gzip is the fallback.
        """
        gunzip: subprocess.Popen[bytes] | None = None
        stream: IO[bytes] = raw
        if self.path.name.endswith(".gz"):
            program = shutil.which("gzip")
            if program:
                gunzip = subprocess.Popen(
                    [program, "-dc"], stdin=raw, stdout=subprocess.PIPE, stderr=subprocess.PIPE
                )
                assert gunzip.stdout is not None
                stream = gunzip.stdout
            else:
                stream = gzip.GzipFile(fileobj=raw, mode="rb")
        text = io.TextIOWrapper(stream, encoding="utf-8", errors="replace", newline="\n")
        return text, gunzip

    def _check_header(self, line: str) -> None:
        got = tuple(line.lstrip("\ufeff").rstrip("\n").rstrip("\r").split("\t"))
        if got != self.spec.columns:
            shown = "\t".join(got)[:120] if line else "(empty file)"
            raise ImdbFormatError(
                f"{self.path.name}: wrong header for {self.spec.name}: got {shown!r}, "
                f"expected {' '.join(self.spec.columns)!r}"
            )


def imdb_number(ident: str, prefix: str) -> int:
    """`tt0133093` -> 133093; ValueError for anything that is not such an id."""
    if not ident.startswith(prefix) or not ident[2:].isdigit():
        raise ValueError(f"{ident!r} is not an IMDb id")
    return int(ident[2:])


class IdSet:
    """A set of IMDb id numbers as a bitmap: 35M possible ids cost ~4 MB, not ~2 GB.

    Hot loops test and set bits on `bits` directly (see imdb.py); `add` and `in` are
    the readable versions for everything else.
    """

    __slots__ = ("bits",)

    def __init__(self) -> None:
        self.bits = bytearray(1 << 20)

    @classmethod
    def from_bytes(cls, bits: bytes) -> IdSet:
        ids = cls()
        ids.bits = bytearray(bits)
        return ids

    def grow(self, byte: int) -> None:
        """Make room for byte index `byte` (in place: references to `bits` stay valid)."""
        bits = self.bits
        if byte >= len(bits):
            bits.extend(bytes(max(byte + 1 - len(bits), len(bits))))

    def add(self, number: int) -> None:
        self.grow(number >> 3)
        self.bits[number >> 3] |= 1 << (number & 7)

    def __contains__(self, number: int) -> bool:
        byte = number >> 3
        return byte < len(self.bits) and bool(self.bits[byte] >> (number & 7) & 1)

    def update(self, other: IdSet) -> None:
        """Add every number in `other` (in place)."""
        if len(other.bits) > len(self.bits):
            self.grow(len(other.bits) - 1)
        size = len(other.bits)
        merged = int.from_bytes(self.bits[:size], "little") | int.from_bytes(other.bits, "little")
        self.bits[:size] = merged.to_bytes(size, "little")

    def intersection(self, other: IdSet) -> IdSet:
        size = min(len(self.bits), len(other.bits))
        both = int.from_bytes(self.bits[:size], "little") & int.from_bytes(
            other.bits[:size], "little"
        )
        return IdSet.from_bytes(both.to_bytes(size, "little"))

    def difference(self, other: IdSet) -> list[int]:
        """Numbers in this set and not in `other` (fast when there are none)."""
        size = len(self.bits)
        theirs = bytes(other.bits[:size]).ljust(size, b"\0")
        extra = int.from_bytes(self.bits, "little") & ~int.from_bytes(theirs, "little")
        if not extra:
            return []
        found = []
        for index, byte in enumerate(extra.to_bytes(size, "little")):
            if byte:
                found.extend(index * 8 + bit for bit in range(8) if byte >> bit & 1)
        return found


def character_names(raw: str) -> str:
    """IMDb's JSON list of characters as text: `["Yubaba","Zeniba"]` -> `Yubaba / Zeniba`."""
    if raw.startswith('["') and raw.endswith('"]'):
        inner = raw[2:-2]
        if '"' not in inner and "\\" not in inner:  # the usual case, without a JSON parse
            return inner
        try:
            names = json.loads(raw)
        except ValueError:
            return raw
        if isinstance(names, list) and all(isinstance(n, str) for n in names):
            return " / ".join(names)
    return raw
