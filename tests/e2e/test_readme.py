"""The README's quick start, run as written, and its links kept inside the clone."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from bot.settings import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"


def quick_start_sandbox_lines() -> list[str]:
    """The lines of the Quick start's sandbox session (its fenced block with no language)."""
    section = README.read_text(encoding="utf-8").split("## Quick start", 1)[1].split("\n## ")[0]
    blocks = re.findall(r"^```(\w*)\n(.*?)^```", section, flags=re.S | re.M)
    sessions = [body for language, body in blocks if not language]
    assert len(sessions) == 1, "the quick start has one sandbox session"
    return [line for line in sessions[0].splitlines() if line.strip()]


def test_the_quick_start_session_works_as_written(tmp_path: Path) -> None:
    lines = quick_start_sandbox_lines()
    assert lines[-1] == "quit" and any(line.startswith("click ") for line in lines)
    env = {**os.environ, "MARQUEE_DB": str(tmp_path / "marquee.sqlite3")}
    for name in ("DISCORD_TOKEN", "MARQUEE_DATA_DIR", "LOG_LEVEL"):
        env.pop(name, None)
    done = subprocess.run(  # what `make run` runs, from the clone's root, with no token
        [sys.executable, "-m", "bot.cli", "run"],
        input="".join(line + "\n" for line in lines),
        capture_output=True, text=True, timeout=120, cwd=PROJECT_ROOT, env=env,
    )  # fmt: skip
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    refused = [line for line in out.splitlines() if line.startswith("! ")]
    assert not refused, out
    for line in lines[:-1]:
        assert f"> {line}" in out
    assert "Tom Cruise" in out and "Posted in #news." in out and "red-sample" in out


_LINK = re.compile(r"\]\(([^)\s]+)\)|`([^`\s]*/[^`\s]*)`")


def test_the_readme_points_only_inside_the_clone() -> None:
    text = README.read_text(encoding="utf-8")
    outside = []
    for match in _LINK.finditer(text):
        target = match.group(1) or match.group(2)
        if re.match(r"[a-z]+://", target) or target.startswith(("~", "/", ".venv")):
            continue  # web addresses, a reader's own folders, what `make` creates
        path = (PROJECT_ROOT / target.split("#")[0]).resolve()
        if not path.is_relative_to(PROJECT_ROOT):
            outside.append(target)
    assert not outside, outside
    assert (PROJECT_ROOT / "docs" / "ARCHITECTURE.md").exists()
    assert "docs/ARCHITECTURE.md" in text
