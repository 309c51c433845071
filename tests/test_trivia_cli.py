"""`marquee trivia import FILE`: both formats, and a malformed file refused in one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import SEED_DIR

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "trivia"


def run_cli(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MARQUEE_DB": str(db), "MARQUEE_DATA_DIR": str(SEED_DIR)}
    env.pop("DISCORD_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_import_red_and_opentdb_then_list(tmp_path):
    db = tmp_path / "cli.sqlite3"
    red = run_cli("trivia", "import", str(FIXTURES / "red-sample.yaml"), db=db)
    assert red.returncode == 0, red.stderr
    assert "imported pack 'red-sample': 5 questions" in red.stdout
    tdb = run_cli(
        "trivia", "import", str(FIXTURES / "opentdb-sample.json"), "--name", "films", db=db
    )
    assert tdb.returncode == 0, tdb.stderr
    assert "imported pack 'films': 4 questions" in tdb.stdout
    again = run_cli("trivia", "import", str(FIXTURES / "red-sample.yaml"), db=db)
    assert "already up to date" in again.stdout
    listing = run_cli("trivia", "packs", db=db)
    names = [line.split()[0] for line in listing.stdout.splitlines()]
    assert names == ["dead-reckoning", "films", "red-sample"]  # the bundled pack is there too


def test_malformed_pack_is_refused_in_one_line(tmp_path):
    db = tmp_path / "cli.sqlite3"
    bad = tmp_path / "broken.yaml"
    bad.write_text("Who directed Jaws?:\n- Steven Spielberg\nWhat year?: [1975\n", "utf-8")
    done = run_cli("trivia", "import", str(bad), db=db)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert "broken.yaml: line 4, column 1: not valid YAML" in lines[0]
    missing = run_cli("trivia", "import", str(tmp_path / "nope.json"), db=db)
    assert missing.returncode == 1 and "cannot read" in missing.stderr


def test_merged_and_left_out_questions_are_listed_after_an_import(tmp_path):
    db = tmp_path / "cli.sqlite3"
    done = run_cli("trivia", "import", str(FIXTURES / "near-duplicates-punctuation.yaml"), db=db)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0] == "imported pack 'near-duplicates-punctuation': 3 questions; 2 notes:"
    assert lines[1].startswith("  line 4: ") and "answers united" in lines[1]
    assert lines[2].startswith("  line 8: ")
