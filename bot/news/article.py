"""Article files: a first line `date YYYY-MM-DD`, an optional headline line followed by
an empty line, then the body.

The body may also follow the date on the same line (the seed article does), and
leading white space or a byte-order mark is tolerated. A file without a date line is
an undated article (`marquee ingest --date` gives it one). A date line that is there
but wrong is refused with an ArticleError that says what is wrong in one line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from bot.errors import ArticleError

MAX_ARTICLE_BYTES = 2 * 1024 * 1024
# "date" then the value on the same line; an optional time of day is accepted and dropped.
_DATE_LINE = re.compile(
    r"\A\s*date(?:[ \t]*:)?[ \t]+(\S+?)"
    r"(?:[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
    r"(?:[ \t]+|[ \t]*\r?\n|\Z)",
    re.IGNORECASE,
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A first line that tries to be a date line ("date", "dated 2024-05-01", "Date:")
_DATE_WORD = re.compile(r"\A\s*dated?\b\s*:?", re.IGNORECASE)
# A headline: one short line without a final full stop, then an empty line.
_HEADLINE = re.compile(r"\A([^\n]{3,200}?)[ \t]*\r?\n[ \t]*\r?\n")
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class ArticleText:
    published: dt.date | None  # None: the text gives no date
    body: str  # everything after the date line, the headline line included
    headline: str | None = None

    @property
    def story(self) -> str:
        """The body without its headline line."""
        if self.headline and self.body.startswith(self.headline):
            rest = self.body[len(self.headline) :].strip()
            if rest:  # a feed item whose text is only its title keeps it
                return rest
        return self.body

    @property
    def article_id(self) -> str:
        """Content hash: the same text on the same date is the same article."""
        date = self.published.isoformat() if self.published else "undated"
        canonical = f"{date}\n{_WS.sub(' ', self.body).strip()}"
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def parse_article(data: bytes | str, *, name: str = "article") -> ArticleText:
    """Parse an article file's bytes; raises ArticleError naming `name`."""
    if isinstance(data, bytes):
        _check_size(len(data), name)
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise ArticleError(f"{name}: UTF-16 text; save it as UTF-8")
        if b"\x00" in data:
            raise ArticleError(f"{name}: not a text file (binary data)")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ArticleError(f"{name}: not UTF-8 text") from None
    else:
        text = data.lstrip("\ufeff")
    if not text.strip():
        raise ArticleError(f"{name}: empty file")
    match = _DATE_LINE.match(text)
    published: dt.date | None = None
    if match:
        raw_date = match.group(1)
        try:
            if not _ISO_DATE.match(raw_date):
                raise ValueError
            published = dt.date.fromisoformat(raw_date)
        except ValueError:
            raise ArticleError(
                f"{name}: {raw_date!r} is not a date (expected YYYY-MM-DD)"
            ) from None
        rest = text[match.end() :]
    elif _DATE_WORD.match(text):
        raise ArticleError(f"{name}: first line must be 'date YYYY-MM-DD'")
    else:
        rest = text
    body = rest.strip()
    headline = None
    head = _HEADLINE.match(body)
    if head and not head.group(1).rstrip().endswith((".", ",", ";")):
        headline = head.group(1).strip()
    if len(body.split()) < 3:
        where = "after the date line" if match else "in the file"
        raise ArticleError(f"{name}: the article has no body {where}")
    return ArticleText(published=published, body=body, headline=headline)


def read_article_file(path: str | Path) -> ArticleText:
    """Read and parse one file, turning I/O problems into ArticleError."""
    path = Path(path)
    try:
        _check_size(path.stat().st_size, str(path))
        data = path.read_bytes()
    except FileNotFoundError:
        raise ArticleError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ArticleError(f"{path}: is a directory") from None
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read ({exc.strerror})") from None
    return parse_article(data, name=str(path))


def _check_size(size: int, name: str) -> None:
    if size > MAX_ARTICLE_BYTES:
        raise ArticleError(
            f"{name}: too large ({size / 1_048_576:.1f} MiB; "
            f"the limit is {MAX_ARTICLE_BYTES // 1_048_576} MiB)"
        )
