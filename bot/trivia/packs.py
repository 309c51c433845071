"""Trivia packs: Red-DiscordBot trivia lists (YAML) and Open Trivia DB exports (JSON).

Every file is validated completely before anything is stored; an error names the line
(YAML syntax, a bad entry) or the question, so the author can fix the file.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.catalog.normalize import normalize_key
from bot.errors import UserFacingError

MAX_BYTES = 2_000_000
MAX_QUESTIONS = 10_000
MAX_QUESTION_CHARS = 1_000
MAX_ANSWER_CHARS = 200
MAX_ANSWERS = 50
RED_META_KEYS = ("AUTHOR", "DESCRIPTION", "CONFIG")
_NAME_CHARS = re.compile(r"[^a-z0-9]+")


class PackError(UserFacingError):
    """A pack file that cannot be imported; nothing was stored."""


@dataclass(frozen=True)
class PackQuestion:
    question: str
    answers: tuple[str, ...]  # accepted answers; the first is the one revealed
    wrong: tuple[str, ...] = ()  # wrong choices, when the pack provides them
    category: str | None = None
    difficulty: str | None = None

    @property
    def key(self) -> str:
        return question_key(self.question)


@dataclass(frozen=True)
class Pack:
    name: str
    fmt: str  # "red" or "opentdb"
    questions: tuple[PackQuestion, ...]
    author: str | None = None
    description: str | None = None
    config: dict[str, Any] = field(default_factory=dict)


def question_key(question: str) -> str:
    """Stable key of a question's wording: the same question in two packs is one question."""
    digest = hashlib.sha1(normalize_key(question).encode(), usedforsecurity=False)
    return "q:" + digest.hexdigest()[:16]


def pack_name(stem: str) -> str:
    """A file name made into a pack name fit for a command option ("Movie Quiz" -> movie-quiz)."""
    name = _NAME_CHARS.sub("-", normalize_key(stem)).strip("-")[:32].strip("-")
    if not name:
        raise PackError(f"{stem!r} is not usable as a pack name; use letters or digits")
    return name


def load_pack_bytes(data: bytes, filename: str, *, name: str | None = None) -> Pack:
    """Parse a pack from file contents; the extension (or the first character) picks the format."""
    if len(data) > MAX_BYTES:
        raise PackError(f"{filename}: the file is larger than {MAX_BYTES // 1_000_000} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PackError(f"{filename}: not UTF-8 text (byte {exc.start})") from None
    stem, _, ext = filename.rpartition(".")
    ext = ext.lower() if stem else ""
    final_name = pack_name(name or stem or filename)
    if ext in ("yaml", "yml"):
        return load_red_yaml(text, final_name, filename=filename)
    if ext == "json" or (not ext and text.lstrip()[:1] in ("{", "[")):
        return load_opentdb_json(text, final_name, filename=filename)
    if not ext:
        return load_red_yaml(text, final_name, filename=filename)
    raise PackError(f"{filename}: unknown pack type .{ext}; use a Red .yaml list or OpenTDB .json")


def load_pack_file(path: str | Path, *, name: str | None = None) -> Pack:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PackError(f"cannot read {path}: {exc.strerror}") from None
    return load_pack_bytes(data, path.name, name=name)


# -- Red-DiscordBot YAML -------------------------------------------------------


def load_red_yaml(text: str, name: str, *, filename: str = "pack") -> Pack:
    """A Red trivia list: `question: [answer, ...]` plus optional AUTHOR, DESCRIPTION, CONFIG."""
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise PackError(f"{filename}: the file is empty")
        if not isinstance(root, yaml.MappingNode):
            raise PackError(
                f"{filename}: line {root.start_mark.line + 1}: expected `question: [answers]` "
                "entries, found a single value or a list"
            )
        return _red_from_node(loader, root, name, filename)
    except yaml.YAMLError as exc:
        raise PackError(f"{filename}: {_yaml_problem(exc)}") from None
    finally:
        loader.dispose()


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or getattr(exc, "context", None) or "invalid YAML"
    if mark is None:
        return f"not valid YAML: {problem}"
    return f"line {mark.line + 1}, column {mark.column + 1}: not valid YAML: {problem}"


def _red_from_node(loader: yaml.SafeLoader, root: yaml.MappingNode, name: str, filename: str):
    author = description = None
    config: dict[str, Any] = {}
    questions: list[PackQuestion] = []
    seen: dict[str, int] = {}
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1
        where = f"{filename}: line {line}"
        # Scalars keep the text as written: `yes` stays "yes", `007` stays "007".
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key in RED_META_KEYS:
            value = loader.construct_object(value_node, deep=True)
            if key == "CONFIG":
                if not isinstance(value, dict):
                    raise PackError(f"{where}: CONFIG must be a mapping of settings")
                config = {str(k): v for k, v in value.items()}
            elif not isinstance(value, str | int | float) or isinstance(value, bool):
                raise PackError(f"{where}: {key} must be text")
            elif key == "AUTHOR":
                author = str(value).strip()[:200] or None
            else:
                description = str(value).strip()[:1000] or None
            continue
        if key is None or not key.strip():
            found = "nothing" if key is not None else _kind(loader.construct_object(key_node))
            raise PackError(f"{where}: a question must be text, found {found}")
        question = key.strip()
        label = f"{where}: question {_quote(question)}"
        if len(question) > MAX_QUESTION_CHARS:
            raise PackError(f"{label} is longer than {MAX_QUESTION_CHARS} characters")
        norm = normalize_key(question)
        if norm in seen:
            raise PackError(f"{label} appears twice (first at line {seen[norm]})")
        seen[norm] = line
        if not isinstance(value_node, yaml.SequenceNode):
            raise PackError(f"{label}: the answers must be a list (`- answer` lines)")
        answers = _answers([_scalar(loader, item) for item in value_node.value], label)
        questions.append(PackQuestion(question, answers))
        if len(questions) > MAX_QUESTIONS:
            raise PackError(f"{filename}: more than {MAX_QUESTIONS} questions")
    if not questions:
        raise PackError(f"{filename}: no questions found")
    return Pack(name, "red", tuple(questions), author, description, config)


def _scalar(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return node.value
    return loader.construct_object(node, deep=True)  # a list or mapping: refused by _answers


def _answers(values: list[Any], label: str) -> tuple[str, ...]:
    answers: list[str] = []
    for value in values:
        if isinstance(value, bool):
            value = "True" if value else "False"  # YAML reads an unquoted yes/no as a boolean
        if not isinstance(value, str | int | float):
            raise PackError(f"{label}: an answer must be text, found {_kind(value)}")
        text = str(value).strip()
        if not text:
            raise PackError(f"{label}: an answer is empty")
        if len(text) > MAX_ANSWER_CHARS:
            raise PackError(f"{label}: an answer is longer than {MAX_ANSWER_CHARS} characters")
        if text not in answers:
            answers.append(text)
    if not answers:
        raise PackError(f"{label}: no answers given")
    if len(answers) > MAX_ANSWERS:
        raise PackError(f"{label}: more than {MAX_ANSWERS} answers")
    if not any(normalize_key(a) for a in answers):
        raise PackError(f"{label}: every answer is punctuation only")
    return tuple(answers)


# -- Open Trivia DB JSON ---------------------------------------------------------


def load_opentdb_json(text: str, name: str, *, filename: str = "pack") -> Pack:
    """An Open Trivia DB API response (or its `results` list); HTML entities are decoded."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PackError(
            f"{filename}: line {exc.lineno}, column {exc.colno}: not valid JSON: {exc.msg}"
        ) from None
    if isinstance(data, dict):
        code = data.get("response_code", 0)
        if code not in (0, None):
            raise PackError(f"{filename}: Open Trivia DB response_code {code} (no questions)")
        results = data.get("results")
    else:
        results = data
    if not isinstance(results, list):
        raise PackError(f"{filename}: expected Open Trivia DB JSON with a `results` list")
    if not results:
        raise PackError(f"{filename}: no questions found")
    if len(results) > MAX_QUESTIONS:
        raise PackError(f"{filename}: more than {MAX_QUESTIONS} questions")
    questions: list[PackQuestion] = []
    seen: dict[str, int] = {}
    for number, item in enumerate(results, start=1):
        question = _opentdb_question(item, f"{filename}: question {number}")
        norm = normalize_key(question.question)
        if norm in seen:
            raise PackError(
                f"{filename}: question {number} {_quote(question.question)} appears twice "
                f"(first as question {seen[norm]})"
            )
        seen[norm] = number
        questions.append(question)
    return Pack(name, "opentdb", tuple(questions))


def _opentdb_question(item: Any, where: str) -> PackQuestion:
    if not isinstance(item, dict):
        raise PackError(f"{where}: expected an object, found {_kind(item)}")
    raw = item.get("question")
    if not isinstance(raw, str) or not html.unescape(raw).strip():
        raise PackError(f"{where}: `question` is missing or empty")
    question = html.unescape(raw).strip()
    label = f"{where} {_quote(question)}"
    if len(question) > MAX_QUESTION_CHARS:
        raise PackError(f"{label} is longer than {MAX_QUESTION_CHARS} characters")
    kind = item.get("type", "multiple")
    if kind not in ("multiple", "boolean"):
        raise PackError(f"{label}: unknown type {kind!r} (expected multiple or boolean)")
    correct = item.get("correct_answer")
    wrong = item.get("incorrect_answers")
    if not isinstance(correct, str | int | float) or isinstance(correct, bool):
        raise PackError(f"{label}: `correct_answer` is missing")
    if not isinstance(wrong, list) or not wrong:
        raise PackError(f"{label}: `incorrect_answers` must be a non-empty list")
    answers = _answers([html.unescape(str(correct))], label)
    wrong_texts = _answers([html.unescape(str(w)) for w in wrong], label + " (wrong answers)")
    right_keys = {normalize_key(a) for a in answers}
    if any(normalize_key(w) in right_keys for w in wrong_texts):
        raise PackError(f"{label}: the correct answer is also listed as incorrect")
    if kind == "boolean" and {normalize_key(answers[0]), *map(normalize_key, wrong_texts)} != {
        "true",
        "false",
    }:
        raise PackError(f"{label}: a boolean question needs the answers True and False")
    return PackQuestion(
        question,
        answers,
        wrong_texts,
        category=_opt_text(item.get("category")),
        difficulty=_opt_text(item.get("difficulty")),
    )


def _opt_text(value: Any) -> str | None:
    return html.unescape(value).strip()[:100] or None if isinstance(value, str) else None


def _quote(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:59] + "…")


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r}"[:60]
