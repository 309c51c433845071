"""Load article fixtures (`date YYYY-MM-DD` then the body) for the news tests."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = Path(__file__).resolve().parent / "fixtures" / "articles"
SEED = ROOT / "data" / "articles" / "000_f6da5a4759fc8f00.txt"

# The seed puts the body on the date line, so accept either layout.
_DATE = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\s*")


def load(path: Path) -> tuple[dt.date, str]:
    text = path.read_text(encoding="utf-8")
    m = _DATE.match(text)
    assert m, f"{path} has no date line"
    return dt.date.fromisoformat(m.group(1)), text[m.end() :]


def fixture(name: str) -> tuple[dt.date, str]:
    return load(ARTICLES / name)


def all_articles() -> list[Path]:
    return [SEED, *sorted(ARTICLES.glob("*.txt"))]
