"""The layer rule of DESIGN.md, checked on the source: domain code never reaches up."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = ("db", "catalog", "extraction", "news", "trivia")
# Discord, its presentation, and the bot's start-up live above the domain.
ABOVE = ("discord", "bot.app", "bot.runtime", "bot.cli", "bot.ui", "bot.sandbox", "cogs")
MODULES = sorted(p for d in DOMAIN for p in (ROOT / "bot" / d).rglob("*.py"))


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
    return names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_code_imports_nothing_above_it(path: Path):
    above = [n for n in _imports(path) if any(n == a or n.startswith(a + ".") for a in ABOVE)]
    assert not above, f"{path.relative_to(ROOT)} imports {above}"


# Only bot/db holds a connection or a driver error: no exceptions.
ALL_CODE = sorted(p for d in ("bot", "cogs") for p in (ROOT / d).rglob("*.py"))


@pytest.mark.parametrize("path", ALL_CODE, ids=lambda p: str(p.relative_to(ROOT)))
def test_database_drivers_only_in_bot_db(path: Path):
    relative = str(path.relative_to(ROOT))
    if relative.startswith("bot/db/"):
        return
    drivers = {"aiosqlite", "asyncpg", "sqlite3"}
    used = [n for n in _imports(path) if n.split(".")[0] in drivers]
    assert not used, f"{relative} imports {used}"
