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

log = logging.getLogger(__name__)

SPEC_URI = "urn:discord:openapi"

# Fields the spec types as integers that Discord (and discord.py) send as strings.
# Discord's parser accepts both; the spec was generated from the server's typed model.
_STRING_INTEGER_FIELDS = frozenset({"default_member_permissions", "permissions"})
# Snowflake lists the spec types as strings; Discord also accepts integers, and
# discord.py sends AllowedMentions(users=[...]) / roles as integers.
_SNOWFLAKE_LIST_FIELDS = frozenset({"users", "roles"})


@dataclass
class Problem:
    """One reason a request body is refused, with the JSON path that caused it."""

    path: tuple[str | int, ...]
    code: str
    message: str

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
        """The JSON Discord answers with: code 50035 and the nested ``errors`` tree."""
        errors: dict[str, Any] = {}
        for problem in self.problems:
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
    resource = Resource.from_contents(load_spec(), default_specification=DRAFT202012)
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
    verdict = Verdict()
    if template is None or body is None:
        return verdict
    validator = _validator(template, method)
    if validator is None:
        return verdict
    for error in validator.iter_errors(_normalise(body)):
        verdict.problems.extend(_problem_from_error(e) for e in _explain(error))
        if len(verdict.problems) >= 5:
            break
    return verdict


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
    chosen = min(plausible, key=len)
    out: list[ValidationError] = []
    for sub in chosen:
        out.extend(_explain(sub))
    return out


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
    components = message.get("components") or []
    if isinstance(components, list):
        rows = [c for c in components if isinstance(c, dict) and c.get("type") == 1]
        if len(rows) > ACTION_ROWS_LIMIT:
            problems.append(
                Problem(
                    (*prefix, "components"),
                    "BASE_TYPE_MAX_LENGTH",
                    f"Must be 5 or fewer in length ({len(rows)} action rows).",
                )
            )
        seen: set[str] = set()
        for r, row in enumerate(components):
            if not isinstance(row, dict):
                continue
            children = row.get("components") or []
            buttons = [c for c in children if isinstance(c, dict) and c.get("type") == 2]
            if len(buttons) > BUTTONS_PER_ROW_LIMIT:
                problems.append(
                    Problem(
                        (*prefix, "components", r, "components"),
                        "BASE_TYPE_MAX_LENGTH",
                        "Must be 5 or fewer in length.",
                    )
                )
            for c, child in enumerate(children):
                cid = child.get("custom_id") if isinstance(child, dict) else None
                if cid is None:
                    continue
                if cid in seen:
                    problems.append(
                        Problem(
                            (*prefix, "components", r, "components", c, "custom_id"),
                            "COMPONENT_CUSTOM_ID_DUPLICATED",
                            f"Component custom id cannot be duplicated ({cid!r}).",
                        )
                    )
                seen.add(cid)
    return problems


def check_autocomplete(data: dict[str, Any]) -> list[Problem]:
    """At most 25 choices; the schema says so too, this names the reason plainly."""
    choices = data.get("choices") or []
    if len(choices) > AUTOCOMPLETE_LIMIT:
        return [
            Problem(
                ("data", "choices"),
                "BASE_TYPE_MAX_LENGTH",
                f"Must be 25 or fewer in length ({len(choices)} autocomplete choices).",
            )
        ]
    return []


def validate_request(method: str, path: str, body: Any) -> Verdict:
    """Schema plus the extra limits, for one REST request."""
    verdict = validate_schema(method, path, body)
    if not isinstance(body, dict):
        return verdict
    template = match_template(path) or ""
    if template.endswith("/callback"):
        data = body.get("data")
        if isinstance(data, dict):
            if body.get("type") == 8:
                if not any(p.path[:2] == ("data", "choices") for p in verdict.problems):
                    verdict.problems.extend(check_autocomplete(data))
            elif body.get("type") in (4, 7):
                verdict.problems.extend(check_message_limits(data, ("data",)))
    elif "/messages" in template or template.startswith("/webhooks/"):
        verdict.problems.extend(check_message_limits(body))
    return verdict
