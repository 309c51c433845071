"""The datasets beside title.principals, parsed into a scratch database by a helper process.

Why: parsing is Python, so one process uses one core, and the importer's own process is
busy for most of an import with title.basics and title.principals (the biggest file).
Meanwhile a helper process parses name.basics, title.ratings, title.akas and title.crew
into a scratch file (bot/db/scratch.py); the importer's catalog load then copies those
rows in with `INSERT ... SELECT` (SQLite attaches the file, which runs in C; PostgreSQL
streams it in with COPY). On a two-core machine that
takes about a third off the loading time (see benchmarks/imdb_import.py).

The helper writes only the scratch file. The store is written by the importer alone,
inside its single transaction, so an import stays all-or-nothing. The scratch file sits
beside the database (`<db>.import-stage-<pid>`); the importer removes it at the end,
and the next import removes one a killed import left behind.

Small inputs are staged in the importer's own process (a helper costs ~0.2 s to start),
through the same code.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from bot.catalog.imdb_files import (
    DATASETS,
    FileReport,
    IdSet,
    ImdbFormatError,
    ProgressCallback,
    TsvReader,
)
from bot.catalog.imdb_rows import RowParser
from bot.db.scratch import StageWriter
from bot.errors import UserFacingError

SIDE_DATASETS = ("name.basics", "title.ratings", "title.akas", "title.crew")
# Below this many bytes of side datasets, staging in-process beats starting a helper.
HELPER_MIN_BYTES = 8 << 20
HELPER_NICENESS = 5


@dataclass(frozen=True)
class StageJob:
    """Everything the helper needs (picklable: it crosses to a spawned process)."""

    paths: dict[str, Path | None]  # the side datasets only
    stage_path: Path
    types: frozenset[str] | None
    include_adult: bool
    as_of: str
    title_remap: dict[int, int]
    person_remap: dict[int, int]


@dataclass
class StageResult:
    files: list[FileReport] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # per dataset
    present_people: bytes = b""  # IdSet bits: people with a valid name.basics row
    crew_people: bytes = b""  # IdSet bits: people title.crew credits on kept titles
    peak_rss_kib: int = 0  # the helper's own peak (0 when staged in-process)


def needs_titles(job: StageJob) -> bool:
    """Whether staging waits for the kept titles (every dataset but name.basics does)."""
    return any(job.paths.get(name) for name in ("title.ratings", "title.akas", "title.crew"))


def stage_path_for(db_path: Path, pid: int | None = None) -> Path:
    """This import's scratch file: per process, so two imports never share one."""
    return db_path.with_name(f"{db_path.name}.import-stage-{os.getpid() if pid is None else pid}")


def remove_leftover_stages(db_path: Path) -> None:
    """Scratch files of imports that were killed (their process is gone)."""
    for path in db_path.parent.glob(f"{db_path.name}.import-stage-*"):
        try:
            pid = int(path.name.rsplit("-", 1)[1])
        except ValueError:
            continue
        if pid == os.getpid() or not _alive(pid):
            path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def run_stage(
    job: StageJob,
    kept_titles: Callable[[], IdSet],
    on_rows: ProgressCallback | None = None,
    on_file: Callable[[str, int], None] | None = None,
) -> StageResult:
    """Parse the side datasets into the scratch database.

    `kept_titles()` is called once, only when a dataset that needs the kept titles is
    reached (after name.basics), so the importer can still be loading title.basics.
    `on_file(name, bytes)` and `on_rows(rows, bytes read)` report progress.
    Raises ImdbFormatError (a UserFacingError) for a file that cannot be imported.
    """
    result = StageResult()
    parser = RowParser(
        types=job.types,
        include_adult=job.include_adult,
        as_of=job.as_of,
        title_remap=job.title_remap,
        person_remap=job.person_remap,
        stream=lambda reader: reader.rows(on_rows),
    )
    with StageWriter(job.stage_path) as writer:

        def load(name: str, table: str, rows: Callable[[TsvReader], Iterable[tuple]]) -> None:
            path = job.paths.get(name)
            if path is None:
                return
            started = time.monotonic()
            reader = TsvReader(DATASETS[name], path)
            if on_file is not None:
                on_file(name, reader.size)
            writer.write(table, rows(reader))
            result.files.append(reader.report)
            result.seconds[name] = time.monotonic() - started

        load("name.basics", "stage_people", lambda reader: parser.person_rows(reader, None))
        if needs_titles(job):
            parser.titles = kept_titles()
        load("title.ratings", "stage_ratings", parser.rating_rows)
        load("title.akas", "stage_akas", parser.aka_rows)
        load("title.crew", "stage_crew", parser.crew_rows)
        writer.commit()
    result.present_people = bytes(parser.present_people.bits)
    result.crew_people = bytes(parser.people.bits)
    return result


class StageHelper:
    """run_stage in a spawned helper process; the kept titles are sent when known."""

    def __init__(self, job: StageJob) -> None:
        context = multiprocessing.get_context("spawn")  # nothing inherited: no sqlite handles
        # One pipe each way: the titles go out from a thread while this process reads.
        titles_in, self._titles_out = context.Pipe(duplex=False)
        self._replies, reply_out = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_helper_main,
            args=(job, titles_in, reply_out, os.getpid()),
            name="marquee-imdb-stage",
            daemon=True,
        )
        with _sigint_ignored():  # inherited: a Ctrl-C while it starts is ours to handle
            self._process.start()
        titles_in.close()
        reply_out.close()
        self._reply: tuple[str, object] | None = None
        self._sender: threading.Thread | None = None
        self._job = job

    def send_titles(self, titles: IdSet) -> None:
        """Hand over the kept titles without waiting for the helper to read them.

        The helper reads them only after name.basics, and the bitmap is megabytes, more
        than a pipe holds: a blocking send would hold this process up until then.
        A helper that already failed says why now.
        """
        self.check()
        if not needs_titles(self._job):
            return
        self._sender = threading.Thread(
            target=self._send, args=(bytes(titles.bits),), name="imdb-titles", daemon=True
        )
        self._sender.start()

    def _send(self, bits: bytes) -> None:
        with contextlib.suppress(OSError):  # it stopped meanwhile: result() says why
            self._titles_out.send_bytes(bits)

    def check(self) -> None:
        """Raise the helper's error now if it has already failed (does not wait)."""
        if self._reply is None and self._replies.poll():
            self._reply = self._receive()
        if self._reply is not None and self._reply[0] != "done":
            self.result()

    def result(self) -> StageResult:
        """Wait for the helper; its error becomes this process's UserFacingError."""
        if self._reply is None:
            self._reply = self._receive()
        kind, payload = self._reply
        if kind == "format-error":
            raise ImdbFormatError(payload)
        if kind == "error":
            raise UserFacingError(payload)
        return payload  # type: ignore[return-value]

    def _receive(self) -> tuple[str, object]:
        try:
            return self._replies.recv()  # type: ignore[no-any-return]
        except (EOFError, OSError):
            self._process.join(5)
            return (
                "error",
                "import failed, the store is unchanged: the helper process stopped "
                f"(exit code {self._process.exitcode})",
            )

    def close(self) -> None:
        """Stop the helper if it is still running (an error or Ctrl-C in the importer)."""
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(5)
            if self._process.is_alive():
                self._process.kill()
        self._process.join()
        if self._sender is not None:  # a send still waiting fails now: no one reads
            self._sender.join(5)
        self._titles_out.close()
        self._replies.close()


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers belong to the main thread; nothing to protect there
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _helper_main(job: StageJob, titles: Connection, replies: Connection, parent: int) -> None:
    # Ctrl-C reaches the whole process group: the importer handles it and stops us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The importer's own work (title.principals) is the longer: when cores are short,
    # it gets them first and this process takes what is left.
    with contextlib.suppress(OSError):
        os.nice(HELPER_NICENESS)

    def orphaned() -> None:
        if os.getppid() != parent:  # the importer was killed: nobody wants this work
            os._exit(1)

    def kept_titles() -> IdSet:
        while not titles.poll(1.0):
            orphaned()
        return IdSet.from_bytes(titles.recv_bytes())

    try:
        result = run_stage(job, kept_titles, lambda _rows, _bytes: orphaned())
    except ImdbFormatError as exc:
        reply: tuple[str, object] = ("format-error", str(exc))
    except UserFacingError as exc:
        reply = ("error", str(exc))
    except Exception as exc:  # reported by the importer as one line, not a traceback
        reply = ("error", f"import failed, the store is unchanged: {exc}")
    else:
        result.peak_rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        reply = ("done", result)
    with contextlib.suppress(OSError):  # the importer is gone: nobody to tell
        replies.send(reply)
