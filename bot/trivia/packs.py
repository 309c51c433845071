"""Trivia packs: Red-DiscordBot trivia lists (YAML) and Open Trivia DB exports (JSON).

Every file is read completely before anything is stored. A file is refused only for what
makes it unusable (not UTF-8, not YAML or JSON, not a list of questions, too large, no
question left); anything less (a question written twice, an answer that is too long, an
entry that is not a question) becomes a note naming the line, so the author can fix it
while the rest of the pack plays.
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
    notes: tuple[str, ...] = ()  # what was merged or left out, for the person importing


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


# -- collecting questions ------------------------------------------------------


class _Collector:
    """Questions of one file in order, with the notes an author should read.

    Two entries whose wording differs only in case or punctuation are one question: the
    second's answers join the first's. A question that cannot be asked is left out with
    a note; only a file left with no question at all is refused.
    """

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.questions: list[PackQuestion] = []
        self.notes: list[str] = []
        self._first: dict[str, tuple[int, str]] = {}  # norm -> (index, where it was first)

    def note(self, text: str) -> None:
        self.notes.append(text)

    def add(self, question: PackQuestion, where: str) -> None:
        norm = normalize_key(question.question)
        if norm not in self._first:
            if len(self.questions) >= MAX_QUESTIONS:
                raise PackError(f"{self.filename}: more than {MAX_QUESTIONS} questions")
            self._first[norm] = (len(self.questions), where)
            self.questions.append(question)
            return
        index, first_where = self._first[norm]
        first = self.questions[index]
        answers = tuple(dict.fromkeys((*first.answers, *question.answers)))[:MAX_ANSWERS]
        accepted = {normalize_key(a) for a in answers}
        wrong = tuple(
            w
            for w in dict.fromkeys((*first.wrong, *question.wrong))
            if normalize_key(w) not in accepted
        )
        self.questions[index] = PackQuestion(
            first.question, answers, wrong, first.category, first.difficulty
        )
        same = first.question == question.question
        how = "repeats" if same else "differs only in case or punctuation from"
        self.note(
            f"{where}: {_quote(question.question)} {how} {first_where}; "
            "merged into one question, answers united"
        )

    def pack(self, name: str, fmt: str, **meta: Any) -> Pack:
        if not self.questions:
            why = f"; {self.notes[0].removesuffix('; left out')}" if self.notes else ""
            raise PackError(f"{self.filename}: no usable questions found{why}")
        return Pack(name, fmt, tuple(self.questions), notes=tuple(self.notes), **meta)


class _Skip(Exception):
    """This question cannot be asked; the message says why (it becomes a note)."""


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
    meta: dict[str, Any] = {"config": {}}
    found = _Collector(filename)
    for key_node, value_node in root.value:
        where = f"line {key_node.start_mark.line + 1}"
        # Scalars keep the text as written: `yes` stays "yes", `007` stays "007".
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key in RED_META_KEYS:
            _red_meta(loader, key, value_node, meta, found, where)
            continue
        try:
            question = _red_question(loader, key_node, key, value_node, found, where)
        except _Skip as why:
            found.note(f"{where}: {why}; left out")
            continue
        found.add(question, where)
    return found.pack(name, "red", **meta)


def _red_meta(loader, key: str, node: yaml.Node, meta: dict[str, Any], found: _Collector, where):
    value = loader.construct_object(node, deep=True)
    if key == "CONFIG":
        if isinstance(value, dict):
            meta["config"] = {str(k): v for k, v in value.items()}
        else:
            found.note(f"{where}: CONFIG is not a mapping of settings; ignored")
    elif not isinstance(value, str | int | float) or isinstance(value, bool):
        found.note(f"{where}: {key} is not text; ignored")
    elif key == "AUTHOR":
        meta["author"] = str(value).strip()[:200] or None
    else:
        meta["description"] = str(value).strip()[:1000] or None


def _red_question(loader, key_node, key: str | None, value_node, found: _Collector, where: str):
    if key is None or not key.strip():
        what = "nothing" if key is not None else _kind(loader.construct_object(key_node))
        raise _Skip(f"a question must be text, found {what}")
    question = key.strip()
    if len(question) > MAX_QUESTION_CHARS:
        raise _Skip(f"question {_quote(question)} is longer than {MAX_QUESTION_CHARS} characters")
    if isinstance(value_node, yaml.SequenceNode):
        values = [_scalar(loader, item) for item in value_node.value]
    else:  # `question: answer` on one line: one answer
        values = [_scalar(loader, value_node)]
    try:
        return PackQuestion(
            question, _answers(values, f"{where}: question {_quote(question)}", found)
        )
    except _Skip as why:
        raise _Skip(f"question {_quote(question)}: {why}") from None


def _scalar(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return None if node.tag.endswith(":null") else node.value
    return loader.construct_object(node, deep=True)  # a list or mapping: not an answer


def _answers(values: list[Any], label: str, found: _Collector) -> tuple[str, ...]:
    """The usable answers as written; unusable ones are dropped with a note, and a
    question left with none is skipped."""
    answers: list[str] = []
    dropped: list[str] = []
    for value in values:
        if value is None:
            continue
        if isinstance(value, bool):
            value = "True" if value else "False"  # YAML reads an unquoted yes/no as a boolean
        if not isinstance(value, str | int | float):
            dropped.append(f"an answer that is {_kind(value)}")
            continue
        text = str(value).strip()
        if len(text) > MAX_ANSWER_CHARS:
            dropped.append(f"an answer longer than {MAX_ANSWER_CHARS} characters")
        elif normalize_key(text) and text not in answers:
            answers.append(text)
    if not answers:
        raise _Skip("no usable answer" + (f" ({dropped[0]})" if dropped else ""))
    for what in dropped:
        found.note(f"{label}: {what} was left out")
    if len(answers) > MAX_ANSWERS:
        found.note(f"{label}: only the first {MAX_ANSWERS} answers are kept")
    return tuple(answers[:MAX_ANSWERS])


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
        # Marquee's own packs name their author and subject beside the results.
        meta = {k: _opt_text(data.get(k), 1000) for k in ("author", "description")}
    else:
        results, meta = data, {}
    if not isinstance(results, list):
        raise PackError(f"{filename}: expected Open Trivia DB JSON with a `results` list")
    if len(results) > MAX_QUESTIONS:
        raise PackError(f"{filename}: more than {MAX_QUESTIONS} questions")
    found = _Collector(filename)
    for number, item in enumerate(results, start=1):
        where = f"question {number}"
        try:
            question = _opentdb_question(item, where, found)
        except _Skip as why:
            found.note(f"{where}: {why}; left out")
            continue
        found.add(question, where)
    return found.pack(name, "opentdb", **meta)


def _opentdb_question(item: Any, where: str, found: _Collector) -> PackQuestion:
    if not isinstance(item, dict):
        raise _Skip(f"expected an object, found {_kind(item)}")
    raw = item.get("question")
    if not isinstance(raw, str) or not html.unescape(raw).strip():
        raise _Skip("`question` is missing or empty")
    question = html.unescape(raw).strip()
    label = f"{where} {_quote(question)}"
    if len(question) > MAX_QUESTION_CHARS:
        raise _Skip(f"{_quote(question)} is longer than {MAX_QUESTION_CHARS} characters")
    kind = item.get("type", "multiple")
    if kind not in ("multiple", "boolean"):
        raise _Skip(f"{_quote(question)}: unknown type {kind!r} (expected multiple or boolean)")
    correct = item.get("correct_answer")
    wrong = item.get("incorrect_answers")
    if not isinstance(correct, str | int | float) or isinstance(correct, bool):
        raise _Skip(f"{_quote(question)}: `correct_answer` is missing")
    # Marquee reads one field Open Trivia DB does not write: `accepted_answers`, other
    # spellings a typed answer may use ("McQuarrie" for "Christopher McQuarrie").
    also = item.get("accepted_answers")
    also = [html.unescape(str(a)) for a in also] if isinstance(also, list) else []
    try:
        answers = _answers([html.unescape(str(correct)), *also], label, found)
    except _Skip as why:
        raise _Skip(f"{_quote(question)}: {why}") from None
    right_keys = {normalize_key(a) for a in answers}
    wrong_texts: list[str] = []
    for w in wrong if isinstance(wrong, list) else []:
        text = html.unescape(str(w)).strip() if isinstance(w, str | int | float) else ""
        if normalize_key(text) in right_keys:
            found.note(f"{label}: the correct answer is also listed as incorrect; dropped there")
        elif normalize_key(text) and len(text) <= MAX_ANSWER_CHARS and text not in wrong_texts:
            wrong_texts.append(text)
    if kind == "boolean" and {normalize_key(answers[0]), *map(normalize_key, wrong_texts)} != {
        "true",
        "false",
    }:
        raise _Skip(f"{_quote(question)}: a boolean question needs the answers True and False")
    return PackQuestion(
        question,
        answers,
        tuple(wrong_texts),
        category=_opt_text(item.get("category")),
        difficulty=_opt_text(item.get("difficulty")),
    )


def _opt_text(value: Any, limit: int = 100) -> str | None:
    return html.unescape(value).strip()[:limit] or None if isinstance(value, str) else None


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
