"""Check REST bodies the way Discord does, so tests catch payloads Discord would refuse.

Two layers:

* the request-body schema of the matching path in Discord's own OpenAPI description
  (``openapi.json`` beside this file, vendored from discord/discord-api-spec, MIT);
* the limits that schema does not carry (``DISCORD-LIMITS.md``): 2000 characters of
  content, 6000 characters across a message's embeds, unique ``custom_id`` values,
  5 action rows of 5 buttons, 25 autocomplete choices.

A problem is reported in Discord's own error shape: code 50035 with a nested
``errors`` object whose leaves are ``{"_errors": [{"code", "message"}]}``.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from bot.sandbox import command_rules

log = logging.getLogger(__name__)

SPEC_URI = "urn:discord:openapi"

# Fields the spec types as integers that Discord (and discord.py) send as strings.
# Discord's parser accepts both; the spec was generated from the server's typed model.
_STRING_INTEGER_FIELDS = frozenset({"default_member_permissions", "permissions"})
# Snowflake lists the spec types as strings; Discord also accepts integers, and
# discord.py sends AllowedMentions(users=[...]) / roles as integers.
_SNOWFLAKE_LIST_FIELDS = frozenset({"users", "roles"})


@dataclass(frozen=True)
class Problem:
    """One reason a request body is refused, with the JSON path that caused it."""

    path: tuple[str | int, ...]
    code: str
    message: str
    # Set for refusals Discord answers with their own JSON code (50006 "Cannot send an
    # empty message") instead of a 50035 form-body error.
    json_code: int | None = None

    def describe(self) -> str:
        where = ".".join(str(p) for p in self.path) or "<body>"
        return f"{where}: {self.message} ({self.code})"


@dataclass
class Verdict:
    """The outcome of checking one body; empty ``problems`` means Discord would accept it."""

    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def error_body(self) -> dict[str, Any]:
        """The JSON Discord answers with: code 50035 and the nested ``errors`` tree
        (or, with no form error, the first problem that has its own JSON code)."""
        form = [p for p in self.problems if p.json_code is None]
        if not form:
            first = self.problems[0]
            return {"code": first.json_code, "message": first.message}
        errors: dict[str, Any] = {}
        for problem in form:
            node = errors
            for part in problem.path:
                node = node.setdefault(str(part), {})
            node.setdefault("_errors", []).append(
                {"code": problem.code, "message": problem.message}
            )
        return {"code": 50035, "message": "Invalid Form Body", "errors": errors}

    def describe(self) -> str:
        return "; ".join(p.describe() for p in self.problems)


@functools.cache
def load_spec() -> dict[str, Any]:
    """Read the vendored OpenAPI description once per process."""
    text = resources.files("bot.sandbox").joinpath("openapi.json").read_text("utf-8")
    return json.loads(text)


@functools.cache
def _registry() -> Registry:
    # Discord parses a snowflake sent as a JSON integer as well as a string (discord.py
    # sends an upload's attachment id as an int); the spec types snowflakes as strings.
    spec = json.loads(json.dumps(load_spec()))
    schemas = spec["components"]["schemas"]
    schemas["SnowflakeType"] = {
        "anyOf": [schemas["SnowflakeType"], {"type": "integer", "minimum": 0}]
    }
    resource = Resource.from_contents(spec, default_specification=DRAFT202012)
    return Registry().with_resource(SPEC_URI, resource)


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


@functools.cache
def _path_patterns() -> list[tuple[re.Pattern[str], str]]:
    """Spec path templates as regexes, literal-heavy ones first so ``@original`` wins."""
    out = []
    for template in load_spec()["paths"]:
        regex = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        out.append((re.compile(regex), template))
    out.sort(key=lambda item: item[1].count("{"))
    return out


def match_template(path: str) -> str | None:
    """The spec's path template for a concrete path (without the /api/v10 prefix)."""
    for regex, template in _path_patterns():
        if regex.match(path):
            return template
    return None


@functools.cache
def _validator(template: str, method: str) -> Draft202012Validator | None:
    """Build (once) the validator for one operation's JSON request body."""
    operation = load_spec()["paths"][template].get(method.lower())
    if not operation or "requestBody" not in operation:
        return None
    content = operation["requestBody"].get("content", {})
    if "application/json" not in content:
        return None
    pointer = "/".join(
        _escape(p)
        for p in ("paths", template, method.lower(), "requestBody", "content", "application/json")
    )
    schema = {"$ref": f"{SPEC_URI}#/{pointer}/schema"}
    return Draft202012Validator(schema, registry=_registry())


def _normalise(body: Any, key: str | None = None) -> Any:
    """Turn string-encoded integers Discord accepts into ints before schema checks."""
    if isinstance(body, dict):
        return {k: _normalise(v, k) for k, v in body.items()}
    if isinstance(body, list):
        if key in _SNOWFLAKE_LIST_FIELDS:
            return [str(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in body]
        return [_normalise(v) for v in body]
    if key in _STRING_INTEGER_FIELDS and isinstance(body, str) and body.isdigit():
        return int(body)
    return body


def _problem_from_error(error: ValidationError) -> Problem:
    path = tuple(error.absolute_path)
    validator = error.validator
    if validator == "maxLength":
        return Problem(
            path, "BASE_TYPE_MAX_LENGTH", f"Must be {error.validator_value} or fewer in length."
        )
    if validator == "minLength":
        return Problem(
            path, "BASE_TYPE_MIN_LENGTH", f"Must be {error.validator_value} or more in length."
        )
    if validator == "maxItems":
        return Problem(
            path, "BASE_TYPE_MAX_LENGTH", f"Must be {error.validator_value} or fewer in length."
        )
    if validator == "required":
        return Problem(path, "BASE_TYPE_REQUIRED", f"This field is required ({error.message}).")
    return Problem(path, "BASE_TYPE_INVALID", error.message[:300])


def validate_schema(method: str, path: str, body: Any) -> Verdict:
    """Validate ``body`` against the OpenAPI request schema of ``method path``."""
    template = match_template(path)
    if template is None or body is None or _validator(template, method) is None:
        return Verdict()
    encoded = json.dumps(_normalise(body), sort_keys=True, separators=(",", ":"))
    return Verdict(list(_schema_problems(template, method, encoded)))


@functools.lru_cache(maxsize=256)
def _schema_problems(template: str, method: str, encoded: str) -> tuple[Problem, ...]:
    """The schema's problems with one body, remembered: a bot sends the same large
    command list at every start, and checking it against the spec's nested oneOf
    schemas takes most of a second each time."""
    validator = _validator(template, method)
    assert validator is not None
    problems: list[Problem] = []
    for error in validator.iter_errors(json.loads(encoded)):
        problems.extend(_problem_from_error(e) for e in _explain(error))
        if len(problems) >= 5:
            break
    return tuple(problems)


def _wrong_branch(error: ValidationError) -> bool:
    """An error that says "this union member was not meant" rather than "this is wrong"."""
    if error.validator == "type" and not error.relative_path:
        return True
    last = error.relative_path[-1] if error.relative_path else None
    return error.validator in ("enum", "const") and last == "type"


def _explain(error: ValidationError) -> list[ValidationError]:
    """Descend through anyOf/oneOf to the errors of the branch the body was aiming at.

    jsonschema reports a failed union as one opaque error; Discord names the field.
    The intended branch is the one whose discriminator (``type``) matched.
    """
    if error.validator not in ("anyOf", "oneOf") or not error.context:
        return [error]
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    plausible = [errs for errs in branches.values() if not any(_wrong_branch(e) for e in errs)]
    if not plausible:
        return [best_match([error]) or error]
    # Rank branches by their explained leaves, not their top-level error count: a
    # string choice with a long name must not be reported as a bad integer choice too.
    explained = [[leaf for sub in errs for leaf in _explain(sub)] for errs in plausible]
    return min(explained, key=len)


# --- limits the schema does not carry -------------------------------------------------

EMBED_TOTAL_LIMIT = 6000
CONTENT_LIMIT = 2000
AUTOCOMPLETE_LIMIT = 25
ACTION_ROWS_LIMIT = 5
BUTTONS_PER_ROW_LIMIT = 5


def embed_text_length(embed: dict[str, Any]) -> int:
    """Characters Discord counts towards the 6000 total for one embed."""
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    total += len((embed.get("footer") or {}).get("text") or "")
    total += len((embed.get("author") or {}).get("name") or "")
    for fld in embed.get("fields") or []:
        total += len(fld.get("name") or "") + len(fld.get("value") or "")
    return total


# Component types (Discord's numbering).
ACTION_ROW, BUTTON, TEXT_INPUT, LABEL = 1, 2, 4, 18
SELECTS = frozenset({3, 5, 6, 7, 8})
LINK_STYLE, PREMIUM_STYLE = 5, 6
IS_COMPONENTS_V2 = 1 << 15
_MESSAGE_KEYS = ("content", "embeds", "components", "sticker_ids", "poll", "attachments")


def is_empty_message(body: dict[str, Any] | None, *, has_files: bool = False) -> bool:
    """Nothing Discord could show: no text (blank counts as none), embeds, components,
    stickers, poll or files."""
    if has_files:
        return False
    body = body or {}
    content = body.get("content")
    if isinstance(content, str) and content.strip():
        return False
    return not any(body.get(k) for k in _MESSAGE_KEYS if k != "content")


def _empty_problem() -> Problem:
    return Problem((), "50006", "Cannot send an empty message", json_code=50006)


def _walk_components(
    nodes: Any, path: tuple[str | int, ...]
) -> list[tuple[tuple[str | int, ...], dict[str, Any]]]:
    """Every component with its JSON path, through rows, labels, sections, containers."""
    out: list[tuple[tuple[str | int, ...], dict[str, Any]]] = []

    def visit(node: dict[str, Any], here: tuple[str | int, ...]) -> None:
        out.append((here, node))
        children = node.get("components")
        if isinstance(children, list):
            for i, child in enumerate(children):
                if isinstance(child, dict):
                    visit(child, (*here, "components", i))
        for key in ("component", "accessory"):  # a label's input, a section's accessory
            if isinstance(node.get(key), dict):
                visit(node[key], (*here, key))

    if isinstance(nodes, list):
        for i, node in enumerate(nodes):
            if isinstance(node, dict):
                visit(node, (*path, i))
    return out


def _button_problems(button: dict[str, Any], path: tuple[str | int, ...]) -> list[Problem]:
    """Link buttons carry a url and no custom_id; premium ones a sku_id; others a custom_id."""
    style = button.get("style")
    problems: list[Problem] = []

    def refuse(key: str, why: str) -> None:
        problems.append(Problem((*path, key), "BUTTON_COMPONENT_INVALID_FIELD", why))

    if style == LINK_STYLE:
        if not button.get("url"):
            problems.append(
                Problem((*path, "url"), "BASE_TYPE_REQUIRED", "A link button needs a url.")
            )
        if "custom_id" in button:
            refuse("custom_id", "A link button cannot have a custom_id.")
    elif style == PREMIUM_STYLE:
        for key in ("custom_id", "url", "label"):
            if key in button:
                refuse(key, f"A premium button cannot have a {key}.")
    else:
        if not button.get("custom_id"):
            problems.append(
                Problem(
                    (*path, "custom_id"),
                    "BASE_TYPE_REQUIRED",
                    "This field is required (every non-link button needs a custom_id).",
                )
            )
        if "url" in button:
            refuse("url", "Only link buttons (style 5) can have a url.")
    return problems


def _row_problems(row: dict[str, Any], path: tuple[str | int, ...]) -> list[Problem]:
    """A row holds up to 5 buttons, or exactly one select menu."""
    children = [c for c in row.get("components") or [] if isinstance(c, dict)]
    selects = [c for c in children if c.get("type") in SELECTS]
    buttons = [c for c in children if c.get("type") == BUTTON]
    if selects and len(children) > 1:
        return [
            Problem(
                (*path, "components"),
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "The specified component exceeds the maximum width (a select menu "
                "needs an action row of its own).",
            )
        ]
    if len(buttons) > BUTTONS_PER_ROW_LIMIT:
        return [
            Problem((*path, "components"), "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
        ]
    return []


def check_components(
    components: Any, prefix: tuple[str | int, ...], *, flags: int = 0
) -> list[Problem]:
    """Rows, button fields, row widths and custom_ids unique across the whole payload."""
    problems: list[Problem] = []
    if not isinstance(components, list):
        return problems
    path = (*prefix, "components")
    rows = [c for c in components if isinstance(c, dict) and c.get("type") == ACTION_ROW]
    if len(rows) > ACTION_ROWS_LIMIT and not flags & IS_COMPONENTS_V2:
        problems.append(
            Problem(
                path,
                "BASE_TYPE_MAX_LENGTH",
                f"Must be 5 or fewer in length ({len(rows)} action rows).",
            )
        )
    seen: set[str] = set()
    for where, comp in _walk_components(components, path):
        kind = comp.get("type")
        if kind == ACTION_ROW:
            problems.extend(_row_problems(comp, where))
        elif kind == BUTTON:
            problems.extend(_button_problems(comp, where))
        cid = comp.get("custom_id")
        if cid is None:
            continue
        if cid in seen:
            problems.append(
                Problem(
                    (*where, "custom_id"),
                    "COMPONENT_CUSTOM_ID_DUPLICATED",
                    f"Component custom id cannot be duplicated ({cid!r}).",
                )
            )
        seen.add(cid)
    return problems


def check_message_limits(
    message: dict[str, Any], prefix: tuple[str | int, ...] = ()
) -> list[Problem]:
    """Message-level limits: content, embed total, rows, buttons, unique custom_ids."""
    problems: list[Problem] = []
    content = message.get("content")
    if isinstance(content, str) and len(content) > CONTENT_LIMIT:
        problems.append(
            Problem(
                (*prefix, "content"), "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length."
            )
        )
    embeds = message.get("embeds") or []
    if isinstance(embeds, list):
        total = sum(embed_text_length(e) for e in embeds if isinstance(e, dict))
        if total > EMBED_TOTAL_LIMIT:
            problems.append(
                Problem(
                    (*prefix, "embeds"),
                    "MAX_EMBED_SIZE_EXCEEDED",
                    f"Embed size exceeds maximum size of 6000 (all embeds total {total}).",
                )
            )
    flags = message.get("flags")
    problems += check_components(
        message.get("components"), prefix, flags=flags if isinstance(flags, int) else 0
    )
    return problems


def check_modal(data: dict[str, Any]) -> list[Problem]:
    """A modal's inputs: at most 5 top-level components, custom_ids unique."""
    problems = check_components(data.get("components"), ("data",), flags=IS_COMPONENTS_V2)
    top = data.get("components")
    if isinstance(top, list) and len(top) > ACTION_ROWS_LIMIT:
        problems.append(
            Problem(("data", "components"), "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
        )
    return problems


def check_autocomplete(data: dict[str, Any]) -> list[Problem]:
    """At most 25 choices, string values up to 100 characters (the schema allows 6000)."""
    choices = data.get("choices") or []
    problems: list[Problem] = []
    if len(choices) > AUTOCOMPLETE_LIMIT:
        problems.append(
            Problem(
                ("data", "choices"),
                "BASE_TYPE_MAX_LENGTH",
                f"Must be 25 or fewer in length ({len(choices)} autocomplete choices).",
            )
        )
    for i, choice in enumerate(choices):
        value = choice.get("value") if isinstance(choice, dict) else None
        if isinstance(value, str) and len(value) > command_rules.CHOICE_VALUE_LIMIT:
            problems.append(
                Problem(
                    ("data", "choices", i, "value"),
                    "BASE_TYPE_MAX_LENGTH",
                    f"Must be {command_rules.CHOICE_VALUE_LIMIT} or fewer in length.",
                )
            )
    return problems


def _extra_problems(method: str, template: str, body: Any, has_files: bool) -> list[Problem]:
    """The rules of the operation ``method template`` that the schema does not carry."""
    if template.endswith("/commands") and method in ("PUT", "POST"):
        if method == "PUT" and isinstance(body, list):
            found = command_rules.check_bulk_overwrite(body)
        elif isinstance(body, dict):
            found = command_rules.check_command(body)
        else:
            return []
        return [Problem(path, code, message) for path, code, message in found]
    if template.endswith("/callback") and isinstance(body, dict):
        data = body.get("data")
        kind = body.get("type")
        empty_reply = kind == 4 and (data is None or isinstance(data, dict))
        if empty_reply and is_empty_message(data, has_files=has_files):
            return [_empty_problem()]
        if not isinstance(data, dict):
            return []
        if kind == 8:
            return check_autocomplete(data)
        if kind == 9:
            return check_modal(data)
        if kind in (4, 7):
            return check_message_limits(data, ("data",))
        return []
    creates = method == "POST" and template in (
        "/channels/{channel_id}/messages",
        "/webhooks/{webhook_id}/{webhook_token}",
    )
    empty = creates and (body is None or isinstance(body, dict))
    if empty and is_empty_message(body, has_files=has_files):
        return [_empty_problem()]
    is_message = "/messages" in template or template.startswith("/webhooks/")
    if is_message and isinstance(body, dict):
        return check_message_limits(body)
    return []


def validate_request(method: str, path: str, body: Any, *, has_files: bool = False) -> Verdict:
    """Schema plus the rules it does not carry, for one REST request; each problem once."""
    verdict = validate_schema(method, path, body)
    template = match_template(path)
    if template is None:
        return verdict
    known = {(p.path, p.code) for p in verdict.problems}
    for problem in _extra_problems(method, template, body, has_files):
        if (problem.path, problem.code) not in known:
            known.add((problem.path, problem.code))
            verdict.problems.append(problem)
    return verdict
