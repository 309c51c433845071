"""Pack loading: both formats, errors that name the line or question, all-or-nothing imports."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT
from bot.trivia.deck import pack_question
from bot.trivia.judge import answer_key, is_correct
from bot.trivia.library import (
    PACK_SUFFIXES,
    import_pack_bytes,
    import_pack_file,
    install_bundled_packs,
)
from bot.trivia.packs import (
    MAX_ANSWER_CHARS,
    PackError,
    load_pack_bytes,
    load_pack_file,
    pack_name,
    question_key,
)
from bot.trivia.repository import TriviaRepository

FIXTURES = Path(__file__).parent / "fixtures" / "trivia"
BUNDLED = sorted(
    p for p in (PROJECT_ROOT / "data" / "trivia").iterdir() if p.suffix in PACK_SUFFIXES
)


def test_red_yaml_keeps_answers_as_written():
    pack = load_pack_file(FIXTURES / "red-sample.yaml")
    assert pack.name == "red-sample" and pack.fmt == "red"
    assert pack.author == "Test Author" and pack.config == {"delay": 20}
    by_question = {q.question: q.answers for q in pack.questions}
    assert by_question["How many legs does a spider have?"] == ("8", "eight")
    assert by_question["Is the Pacific the largest ocean?"] == ("yes", "true")  # not True


def test_opentdb_json_decodes_html_and_keeps_wrong_answers():
    pack = load_pack_file(FIXTURES / "opentdb-sample.json")
    assert pack.fmt == "opentdb" and len(pack.questions) == 4
    first, boolean, _, amelie = pack.questions
    assert first.question == 'Who directed "Jurassic Park" (1993)?'
    assert first.wrong == ("James Cameron", "George Lucas", "Ridley Scott")
    assert boolean.answers == ("True",) and boolean.wrong == ("False",)
    assert amelie.question == "In 'Amélie', what city is the film set in?"
    assert first.category == "Entertainment: Film" and first.difficulty == "easy"


# Only what makes a file unusable refuses it: it cannot be read, it is not a list of
# questions, or no question in it can be asked.
BAD_FILES = [
    ("bad.yaml", b"Q one?:\n- a\nQ two?: [unclosed\n", "line 4"),
    ("bad.yaml", b"- just\n- a list\n", "line 1"),
    ("bad.yaml", b"", "empty"),
    ("bad.yaml", b"AUTHOR: me\n", "no usable questions"),
    ("bad.yaml", b"Empty?: []\nNull?:\n", "no usable questions found; line 1: question 'Empty?'"),
    ("bad.yaml", b"\xff\xfe\x00garbage", "not UTF-8"),
    ("bad.json", b'{"results": [\n{"question": "x?",\n "correct_answer": "a"\n', "line 4"),
    (
        "bad.json",
        b'{"results": [{"question": "Q?", "incorrect_answers": ["b"]}]}',
        "no usable questions found; question 1: 'Q?': `correct_answer` is missing",
    ),
    ("bad.json", b'{"response_code": 1, "results": []}', "response_code 1"),
    ("bad.json", b'{"questions": []}', "results"),
    ("bad.txt", b"Q?:\n- a\n", "unknown pack type .txt"),
]


@pytest.mark.parametrize(("filename", "data", "expected"), BAD_FILES)
def test_only_an_unusable_file_is_refused(filename: str, data: bytes, expected: str):
    with pytest.raises(PackError) as caught:
        load_pack_bytes(data, filename)
    assert expected in str(caught.value), str(caught.value)
    assert filename in str(caught.value) or "empty" in expected


def _accepts(pack, question: str, guess: str) -> bool:
    """Whether the pack's question worded `question` takes `guess` as a right answer."""
    (found,) = [q for q in pack.questions if q.key == question_key(question)]
    return is_correct(guess, found.answers)


def test_case_only_duplicates_merge_with_their_answers_united():
    pack = load_pack_file(FIXTURES / "near-duplicates-case.yaml")
    assert len(pack.questions) == 2
    first = pack.questions[0]
    assert first.question.startswith("Which studio")  # the first wording is kept
    assert first.answers == ("Disney", "Walt Disney Productions", "Walt Disney")
    (note,) = pack.notes
    assert note.startswith("line 6: ") and "differs only in case or punctuation from line 3" in note


def test_punctuation_only_duplicates_merge_with_their_answers_united():
    pack = load_pack_file(FIXTURES / "near-duplicates-punctuation.yaml")
    assert len(pack.questions) == 3
    assert _accepts(pack, "What's the name of the ship in Alien?", "The Nostromo")
    assert _accepts(pack, "Who plays the lead in Run Lola Run?", "Potente")
    assert [n.split(":")[0] for n in pack.notes] == ["line 4", "line 8"]


def test_the_same_question_twice_keeps_both_answers():
    pack = load_pack_file(FIXTURES / "repeated-question.yaml")
    assert len(pack.questions) == 2
    assert pack.questions[0].answers == ("Bong Joon-ho", "Parasite")
    assert pack.notes == (
        'line 5: "Who won the Palme d\'Or in 2019?" repeats line 1; '
        "merged into one question, answers united",
    )


def test_an_answer_too_long_to_play_is_left_out_not_the_pack():
    pack = load_pack_file(FIXTURES / "long-answer.yaml")
    assert [q.answers for q in pack.questions] == [("2", "two"), ("40 minutes", "40")]
    (note,) = pack.notes
    assert note.startswith("line 1: ") and f"longer than {MAX_ANSWER_CHARS} characters" in note


def test_entries_that_cannot_be_asked_are_left_out_with_a_note():
    pack = load_pack_file(FIXTURES / "unusable-entries.yaml")
    assert {q.question: q.answers for q in pack.questions} == {
        "Who directed Metropolis?": ("Fritz Lang",),
        "Who composed the score of Psycho?": ("Bernard Herrmann",),  # one answer on one line
    }
    assert pack.author is None
    assert pack.notes == (
        "line 1: AUTHOR is not text; ignored",
        "line 2: a question must be text, found a list; left out",
        "line 6: question 'Nothing to answer?': no usable answer; left out",
        "line 7: question 'Only a mapping?': no usable answer (an answer that is a mapping); "
        "left out",
    )


def test_opentdb_duplicates_merge_and_a_broken_question_is_left_out():
    pack = load_pack_file(FIXTURES / "opentdb-duplicates.json")
    assert len(pack.questions) == 2
    rick, vertigo = pack.questions
    assert rick.answers == ("Humphrey Bogart", "Bogart")
    assert rick.wrong == ("Cary Grant", "James Stewart", "Clark Gable", "Gary Cooper")
    assert vertigo.answers == ("True",)
    assert len(pack.notes) == 3
    assert "also listed as incorrect" in pack.notes[0]
    assert pack.notes[1].startswith("question 2: ") and "question 1" in pack.notes[1]
    assert "needs the answers True and False; left out" in pack.notes[2]


def test_pack_names_fit_a_command_option():
    assert pack_name("My Movie Quiz!") == "my-movie-quiz"
    assert len(pack_name("x" * 200)) == 32
    with pytest.raises(PackError):
        pack_name("!!!")


async def test_a_broken_reimport_leaves_the_old_pack_whole(store):
    first = await import_pack_file(store, FIXTURES / "red-sample.yaml")
    assert first.questions == 5 and not first.replaced
    before = await store.table_counts()
    with pytest.raises(PackError):
        await import_pack_bytes(
            store, b"New?:\n- a\nBroken?: [nope\n", "red-sample.yaml", source="test"
        )
    assert await store.table_counts() == before
    questions = await TriviaRepository(store).pack_questions("red-sample", None)
    assert questions is not None and len(questions) == 5


async def test_reimport_replaces_and_identical_file_is_a_no_op(store):
    await import_pack_file(store, FIXTURES / "opentdb-sample.json")
    again = await import_pack_file(store, FIXTURES / "opentdb-sample.json")
    assert again.unchanged
    data = (FIXTURES / "opentdb-sample.json").read_bytes().replace(b"Titanic", b"Titanic (1997)")
    changed = await import_pack_bytes(store, data, "opentdb-sample.json", source="test")
    assert changed.replaced and not changed.unchanged
    assert await store.fetchval("SELECT count(*) FROM trivia_questions") == 4


async def test_a_server_cannot_overwrite_another_servers_pack(store):
    data = (FIXTURES / "red-sample.yaml").read_bytes()
    await import_pack_bytes(store, data, "quiz.yaml", source="attachment", guild=1)
    with pytest.raises(PackError, match="already exists"):
        await import_pack_bytes(store, data + b"\nMore?:\n- x\n", "quiz.yaml", source="a", guild=2)
    repo = TriviaRepository(store)
    assert [p.name for p in await repo.list_packs(1)] == ["quiz"]
    assert await repo.list_packs(2) == []
    assert await repo.pack_questions("quiz", 2) is None


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_bundled_pack_is_valid_and_playable_with_buttons(path: Path):
    pack = load_pack_file(path)
    assert len(pack.questions) >= 10 and pack.author and pack.description
    for seed in range(5):
        for q in pack.questions:
            asked = pack_question(
                q, pack.questions, random.Random(seed), typed=False, pack=pack.name
            )
            assert asked is not None, q.question
            assert len({answer_key(c) for c in asked.choices}) == len(asked.choices) >= 4
            accepted = {answer_key(a) for a in q.answers}
            wrong = [c for i, c in enumerate(asked.choices) if i != asked.correct_index]
            assert not {answer_key(w) for w in wrong} & accepted, (q.question, wrong)
            assert asked.choices[asked.correct_index] == q.answers[0]


async def test_bundled_packs_install_once(store):
    assert BUNDLED, "data/trivia holds the curated pack"
    first = await install_bundled_packs(store, PROJECT_ROOT / "data")
    assert [r.unchanged for r in first] == [False] * len(BUNDLED)
    again = await install_bundled_packs(store, PROJECT_ROOT / "data")
    assert all(r.unchanged for r in again)
    assert await TriviaRepository(store).bundled_pack_names() == [p.stem for p in BUNDLED]


def test_boolean_questions_show_two_buttons():
    pack = load_pack_file(FIXTURES / "opentdb-sample.json")
    boolean = pack.questions[1]
    asked = pack_question(boolean, [], random.Random(0), typed=False, pack="x")
    assert asked is not None and asked.choices == ("True", "False") and asked.correct_index == 0
