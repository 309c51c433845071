"""Red-DiscordBot's own trivia lists import whole, every question of every file.

The lists are third-party and not part of this repository: point RED_TRIVIA_LISTS at a
folder of them (redbot/cogs/trivia/data/lists in a Red-DiscordBot checkout) to run this.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from bot.trivia.judge import is_correct
from bot.trivia.library import import_pack_file
from bot.trivia.packs import (
    MAX_ANSWER_CHARS,
    RED_META_KEYS,
    load_pack_file,
    pack_name,
    question_key,
)
from bot.trivia.repository import TriviaRepository

_FOLDER = os.environ.get("RED_TRIVIA_LISTS", "")
LISTS = sorted(Path(_FOLDER).glob("*.yaml")) if _FOLDER else []

pytestmark = pytest.mark.skipif(
    not LISTS,
    reason="set RED_TRIVIA_LISTS to a folder of Red-DiscordBot trivia lists (*.yaml) to run",
)


def _entries(path: Path) -> list[tuple[str, list[str]]]:
    """Every question entry as the file spells it, duplicates included (yaml.safe_load
    would keep only the last of two equal keys)."""
    root = yaml.compose(path.read_text("utf-8-sig"), Loader=yaml.SafeLoader)
    entries = []
    for key, value in root.value:
        if key.value in RED_META_KEYS:
            continue
        answers = [a.value for a in value.value] if isinstance(value, yaml.SequenceNode) else []
        entries.append((key.value.strip(), [a.strip() for a in answers]))
    return entries


@pytest.mark.parametrize("path", LISTS, ids=lambda p: p.name)
def test_every_question_of_a_red_list_imports(path: Path):
    pack = load_pack_file(path)
    by_key = {q.key: q for q in pack.questions}
    entries = _entries(path)
    assert len(by_key) == len(pack.questions)
    for question, answers in entries:
        found = by_key.get(question_key(question))
        assert found is not None, f"{path.name}: {question!r} missing"
        for answer in answers:
            if len(answer) <= MAX_ANSWER_CHARS:
                assert is_correct(answer, found.answers), (path.name, question, answer)
    assert len(pack.questions) == len({question_key(q) for q, _ in entries})


async def test_all_red_lists_are_stored_and_listed(store):
    for path in LISTS:
        result = await import_pack_file(store, path)
        assert result.questions == len(load_pack_file(path).questions)
    packs = await TriviaRepository(store).list_packs(None)
    assert sorted(p.name for p in packs) == sorted(pack_name(p.stem) for p in LISTS)
    stored = await store.fetchval("SELECT count(*) FROM trivia_questions")
    assert stored == sum(p.questions for p in packs)
