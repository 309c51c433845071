"""Build interaction payloads the way the Discord client does.

Options are typed per the synced command's option schema (the payload the bot
uploaded), users/channels/roles/attachments come with their ``resolved`` objects,
and the invoking member carries ``permissions`` and the bot's ``app_permissions``.
Used by the pytest harness, the console and the benchmark.
"""

from __future__ import annotations

import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.sandbox.world import Channel, Guild, Member, Role, User, World

log = logging.getLogger(__name__)

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = range(3, 12)


class CommandError(Exception):
    """The Discord client would not let a user send this (unknown command, bad option...)."""


class CommandHidden(CommandError):
    """The command exists but this user cannot see it (``default_member_permissions``)."""


@dataclass
class Upload:
    """A file to pass as an ATTACHMENT option."""

    filename: str
    data: bytes
    content_type: str | None = None


# What Discord lets a bot's user attach without Nitro (the payload says so too).
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


def _upload(option: str, value: Any) -> Upload:
    """An ATTACHMENT option's value: an ``Upload``, ``(filename, data[, type])``, or the
    path of a local file (what a person types at the console: ``file:/tmp/pack.yaml``)."""
    if isinstance(value, Upload):
        upload = value
    elif isinstance(value, tuple):
        upload = Upload(*value)
    else:
        path = Path(str(value).strip()).expanduser()
        if not str(value).strip():
            raise CommandError(f"{option}: give the path of a file to attach")
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise CommandError(f"{option}: there is no file {str(path)!r}") from None
        except IsADirectoryError:
            raise CommandError(f"{option}: {str(path)!r} is a folder, not a file") from None
        except OSError as exc:
            raise CommandError(f"{option}: cannot read {str(path)!r} ({exc.strerror})") from None
        upload = Upload(path.name, data)
    if len(upload.data) > ATTACHMENT_SIZE_LIMIT:
        raise CommandError(
            f"{option}: {upload.filename} is {len(upload.data) / 2**20:.1f} MiB; "
            f"Discord takes files up to {ATTACHMENT_SIZE_LIMIT // 2**20} MiB"
        )
    return upload


def _norm(name: str) -> str:
    return name.strip().lower()


def find_command(
    commands: list[dict[str, Any]], path: str
) -> tuple[dict[str, Any], list[str], list[dict[str, Any]]]:
    """Resolve ``"movie cast"`` to (top-level command, [sub names], leaf option schema)."""
    words = path.strip().lstrip("/").split()
    if not words:
        raise CommandError("empty command")
    top = next((c for c in commands if c.get("type", 1) == 1 and c["name"] == words[0]), None)
    if top is None:
        names = ", ".join(sorted(c["name"] for c in commands if c.get("type", 1) == 1))
        raise CommandError(f"unknown command /{words[0]} (synced: {names or 'none'})")
    options = top.get("options") or []
    subs: list[str] = []
    for word in words[1:]:
        nested = [o for o in options if o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)]
        match = next((o for o in nested if o["name"] == word), None)
        if match is None:
            choices = ", ".join(o["name"] for o in nested) or "none"
            raise CommandError(
                f"/{' '.join([words[0], *subs])} has no subcommand {word!r} ({choices})"
            )
        subs.append(word)
        options = match.get("options") or []
    if any(o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in options):
        choices = ", ".join(o["name"] for o in options)
        raise CommandError(f"/{' '.join(words)} needs a subcommand: {choices}")
    return top, subs, options


def option_schema(commands: list[dict[str, Any]], path: str) -> list[dict[str, Any]]:
    return find_command(commands, path)[2]


class PayloadBuilder:
    """Turns (user, channel, command, values) into INTERACTION_CREATE payloads."""

    def __init__(self, world: World, attachment_base: str, uploads: dict[int, bytes]) -> None:
        self.world = world
        self.attachment_base = attachment_base
        self.uploads = uploads  # served by the emulator at /attachments/{id}/{name}

    # -- context ---------------------------------------------------------------

    def _context(self, user: Member | User, channel: Channel) -> dict[str, Any]:
        world = self.world
        guild = world.guild_of(channel)
        payload: dict[str, Any] = {
            "application_id": str(world.application_id),
            "version": 1,
            "locale": "en-US",
            "entitlements": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
            "channel_id": str(channel.id),
            "channel": channel.payload(),
            "app_permissions": str(world.bot_permissions(channel)),
        }
        if guild is not None:
            member = user if isinstance(user, Member) else guild.members.get(user.id)
            if member is None:
                raise CommandError(
                    f"{user.username if isinstance(user, User) else user} is not in {guild.name}"
                )
            payload.update(
                guild_id=str(guild.id),
                guild={"id": str(guild.id), "locale": "en-US", "features": []},
                guild_locale="en-US",
                member=member.payload(permissions=guild.permissions_in(member.id, channel)),
                context=0,
                authorizing_integration_owners={"0": str(guild.id)},
            )
        else:
            u = user.user if isinstance(user, Member) else user
            payload.update(
                user=u.payload(), context=1, authorizing_integration_owners={"1": str(u.id)}
            )
        return payload

    def _check_visible(
        self, command: dict[str, Any], user: Member | User, channel: Channel
    ) -> None:
        guild = self.world.guild_of(channel)
        contexts = command.get("contexts")
        if guild is None and (
            (contexts is not None and 1 not in contexts) or command.get("dm_permission") is False
        ):
            raise CommandHidden(f"/{command['name']} is not available in DMs")
        if guild is not None and contexts is not None and 0 not in contexts:
            raise CommandHidden(f"/{command['name']} is not available in servers")
        needed = command.get("default_member_permissions")
        if guild is not None and needed is not None:
            perms = guild.permissions_in(user.id, channel)
            if int(needed) & perms != int(needed):
                raise CommandHidden(
                    f"/{command['name']} is hidden from {getattr(user, 'name', user)}: "
                    f"needs permissions {needed}"
                )

    # -- option values ----------------------------------------------------------

    def _guild(self, channel: Channel) -> Guild | None:
        return self.world.guild_of(channel)

    def _user(self, value: Any, channel: Channel) -> User:
        if isinstance(value, Member):
            return value.user
        if isinstance(value, User):
            return value
        text = str(value).strip().lstrip("@")
        if text.startswith("<@") and text.endswith(">"):
            text = text.strip("<@!>")
        if text.isdigit() and int(text) in self.world.users:
            return self.world.users[int(text)]
        for user in self.world.users.values():
            if user.username.lower() == text.lower():
                return user
        raise CommandError(f"no user {value!r}")

    def _channel(self, value: Any, channel: Channel) -> Channel:
        if isinstance(value, Channel):
            return value
        text = str(value).strip()
        if text.startswith("<#") and text.endswith(">"):
            text = text[2:-1]
        if text.isdigit() and int(text) in self.world.channels:
            return self.world.channels[int(text)]
        guild = self._guild(channel)
        if guild is not None:
            try:
                return guild.channel(text)
            except KeyError:
                pass
        raise CommandError(f"no channel {value!r}")

    def _role(self, value: Any, channel: Channel) -> Role:
        if isinstance(value, Role):
            return value
        guild = self._guild(channel)
        text = str(value).strip().lstrip("@")
        for role in guild.roles.values() if guild else []:
            if role.name.lstrip("@").lower() == text.lower() or str(role.id) == text:
                return role
        raise CommandError(f"no role {value!r}")

    def _convert(
        self,
        spec: dict[str, Any],
        value: Any,
        channel: Channel,
        resolved: dict[str, dict[str, Any]],
    ) -> Any:
        kind, name = spec["type"], spec["name"]
        guild = self._guild(channel)
        if kind == STRING:
            out: Any = str(value)
            lo, hi = spec.get("min_length"), spec.get("max_length", 6000)
            if (lo is not None and len(out) < lo) or len(out) > hi:
                raise CommandError(f"{name}: length must be {lo or 0}..{hi}")
        elif kind in (INTEGER, NUMBER):
            try:
                out = int(value) if kind == INTEGER else float(value)
            except (TypeError, ValueError) as exc:
                raise CommandError(
                    f"{name}: {value!r} is not a {'whole ' if kind == INTEGER else ''}number"
                ) from exc
            if isinstance(value, bool):
                raise CommandError(f"{name}: expected a number")
            lo, hi = spec.get("min_value"), spec.get("max_value")
            if (lo is not None and out < lo) or (hi is not None and out > hi):
                raise CommandError(f"{name}: must be between {lo} and {hi}")
        elif kind == BOOLEAN:
            if isinstance(value, bool):
                out = value
            elif str(value).lower() in ("true", "yes", "1", "on"):
                out = True
            elif str(value).lower() in ("false", "no", "0", "off"):
                out = False
            else:
                raise CommandError(f"{name}: {value!r} is not true/false")
        elif kind in (USER, MENTIONABLE) and not isinstance(value, Role):
            try:
                user = self._user(value, channel)
            except CommandError:
                if kind != MENTIONABLE:
                    raise
                return self._convert({**spec, "type": ROLE}, value, channel, resolved)
            resolved.setdefault("users", {})[str(user.id)] = user.payload()
            member = guild.members.get(user.id) if guild else None
            if member is not None:
                data = member.payload(permissions=guild.permissions_in(user.id, channel))  # type: ignore[union-attr]
                data.pop("user")
                resolved.setdefault("members", {})[str(user.id)] = data
            out = str(user.id)
        elif kind in (ROLE, MENTIONABLE):
            role = self._role(value, channel)
            resolved.setdefault("roles", {})[str(role.id)] = role.payload()
            out = str(role.id)
        elif kind == CHANNEL:
            ch = self._channel(value, channel)
            types = spec.get("channel_types")
            if types and ch.type not in types:
                raise CommandError(f"{name}: #{ch.name} is not an allowed channel type")
            data = ch.payload()
            if guild is not None:
                data["permissions"] = str(self.world.bot_permissions(ch))
            resolved.setdefault("channels", {})[str(ch.id)] = data
            out = str(ch.id)
        elif kind == ATTACHMENT:
            upload = _upload(name, value)
            aid = self.world.ids.next()
            self.uploads[aid] = upload.data
            ctype = upload.content_type or mimetypes.guess_type(upload.filename)[0]
            url = f"{self.attachment_base}/attachments/{aid}/{upload.filename}"
            resolved.setdefault("attachments", {})[str(aid)] = {
                "id": str(aid),
                "filename": upload.filename,
                "size": len(upload.data),
                "url": url,
                "proxy_url": url,
                "content_type": ctype,
                "ephemeral": True,
            }
            out = str(aid)
        else:
            raise CommandError(f"{name}: option type {kind} is not supported by the sandbox")
        choices = spec.get("choices")
        if choices:
            values = [c["value"] for c in choices]
            if out not in values:
                by_name = {c["name"].lower(): c["value"] for c in choices}
                if str(value).lower() in by_name:
                    return by_name[str(value).lower()]
                raise CommandError(f"{name}: {value!r} is not one of {values}")
        return out

    def _options(
        self,
        schema: list[dict[str, Any]],
        values: dict[str, Any],
        channel: Channel,
        resolved: dict[str, dict[str, Any]],
        *,
        focused: str | None = None,
    ) -> list[dict[str, Any]]:
        known = {o["name"]: o for o in schema}
        unknown = set(values) - set(known)
        if unknown:
            noun = "option" if len(unknown) == 1 else "options"
            raise CommandError(
                f"unknown {noun} {', '.join(sorted(unknown))}; "
                f"this command takes {', '.join(known) or 'none'}"
            )
        out = []
        for spec in schema:
            name = spec["name"]
            if name == focused:
                out.append(
                    {
                        "name": name,
                        "type": spec["type"],
                        "value": str(values.get(name, "")),
                        "focused": True,
                    }
                )
                continue
            if name not in values or values[name] is None:
                if spec.get("required") and focused is None:
                    raise CommandError(f"missing required option {name!r}")
                continue
            value = self._convert(spec, values[name], channel, resolved)
            out.append({"name": name, "type": spec["type"], "value": value})
        return out

    # -- payloads ----------------------------------------------------------------

    def command(
        self,
        commands: list[dict[str, Any]],
        path: str,
        values: dict[str, Any],
        *,
        user: Member | User,
        channel: Channel,
        focused: str | None = None,
    ) -> dict[str, Any]:
        """A CHAT_INPUT interaction (type 2), or an autocomplete (type 4) when ``focused``."""
        top, subs, schema = find_command(commands, path)
        self._check_visible(top, user, channel)
        if focused is not None and focused not in {o["name"] for o in schema}:
            raise CommandError(f"/{path} has no option {focused!r}")
        if focused is not None and not next(o for o in schema if o["name"] == focused).get(
            "autocomplete"
        ):
            raise CommandError(f"option {focused!r} of /{path} has no autocomplete")
        resolved: dict[str, dict[str, Any]] = {}
        options = self._options(schema, values, channel, resolved, focused=focused)
        for depth in range(len(subs), 0, -1):
            kind = SUB_COMMAND if depth == len(subs) else SUB_COMMAND_GROUP
            options = [{"name": subs[depth - 1], "type": kind, "options": options}]
        data: dict[str, Any] = {"id": top["id"], "name": top["name"], "type": 1, "options": options}
        if top.get("guild_id"):
            data["guild_id"] = top["guild_id"]
        if resolved:
            data["resolved"] = resolved
        return {**self._context(user, channel), "type": 4 if focused else 2, "data": data}

    def component(
        self,
        message: dict[str, Any],
        component: dict[str, Any],
        *,
        user: Member | User,
        channel: Channel,
        values: list[str] | None = None,
    ) -> dict[str, Any]:
        """A MESSAGE_COMPONENT interaction (type 3) for a button or a select menu."""
        data: dict[str, Any] = {
            "custom_id": component["custom_id"],
            "component_type": component["type"],
        }
        if component["type"] != 2:
            data["values"] = list(values or [])
        public = {k: v for k, v in message.items() if not k.startswith("_")}
        return {**self._context(user, channel), "type": 3, "data": data, "message": public}

    def modal_submit(
        self,
        modal: dict[str, Any],
        values: dict[str, str],
        *,
        user: Member | User,
        channel: Channel,
        message: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A MODAL_SUBMIT interaction (type 5) answering a modal the bot opened."""
        rows = []
        seen = set()
        for top in modal.get("components") or []:
            if top.get("type") == 18:  # label wrapping one input
                inner = top.get("component") or {}
                cid = inner.get("custom_id")
                seen.add(cid)
                rows.append(
                    {
                        "type": 18,
                        "component": {
                            "type": inner.get("type", 4),
                            "custom_id": cid,
                            "value": values.get(cid, ""),
                        },
                    }
                )
            else:
                children = []
                for inner in top.get("components") or []:
                    cid = inner.get("custom_id")
                    seen.add(cid)
                    children.append(
                        {
                            "type": inner.get("type", 4),
                            "custom_id": cid,
                            "value": values.get(cid, ""),
                        }
                    )
                rows.append({"type": 1, "components": children})
        unknown = set(values) - seen
        if unknown:
            raise CommandError(
                f"modal has no {'input' if len(unknown) == 1 else 'inputs'} "
                f"{', '.join(sorted(unknown))}; "
                f"it has {', '.join(sorted(map(str, seen)))}"
            )
        payload = {
            **self._context(user, channel),
            "type": 5,
            "data": {"custom_id": modal["custom_id"], "components": rows},
        }
        if message is not None:
            payload["message"] = {k: v for k, v in message.items() if not k.startswith("_")}
        return payload
