"""The emulator's state: users, guilds, roles, channels, members and messages.

Plain data with the payload shapes Discord's gateway and REST API use, plus the
permission arithmetic Discord applies (base role permissions, then channel
overwrites for @everyone, roles and the member), so a test can deny the bot
SEND_MESSAGES in one channel and see the 403 the real service would give.
"""

from __future__ import annotations

import itertools
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.sandbox.ids import DISCORD_EPOCH_MS, SandboxIds

log = logging.getLogger(__name__)


class Perm:
    """Permission bits (subset the bot and tests care about)."""

    CREATE_INSTANT_INVITE = 1 << 0
    KICK_MEMBERS = 1 << 1
    BAN_MEMBERS = 1 << 2
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_EXTERNAL_EMOJIS = 1 << 18
    USE_APPLICATION_COMMANDS = 1 << 31
    SEND_MESSAGES_IN_THREADS = 1 << 38
    ALL = (1 << 51) - 1

    DEFAULT = (
        CREATE_INSTANT_INVITE
        | ADD_REACTIONS
        | VIEW_CHANNEL
        | SEND_MESSAGES
        | EMBED_LINKS
        | ATTACH_FILES
        | READ_MESSAGE_HISTORY
        | USE_EXTERNAL_EMOJIS
        | USE_APPLICATION_COMMANDS
        | SEND_MESSAGES_IN_THREADS
    )


class Snowflakes:
    """Monotonic snowflake ids whose timestamps are real, as discord.py reads them."""

    def __init__(self) -> None:
        self._counter = itertools.count()

    def next(self) -> int:
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        return (ms << 22) | (next(self._counter) & 0x3FFFFF)


def iso_now() -> str:
    return datetime.now(UTC).isoformat()


@dataclass
class User:
    id: int
    username: str
    global_name: str | None = None
    bot: bool = False

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "username": self.username,
            "global_name": self.global_name or self.username,
            "discriminator": "0",
            "avatar": None,
            "public_flags": 0,
            "flags": 0,
        }
        if self.bot:
            data["bot"] = True
        return data


@dataclass
class Role:
    id: int
    name: str
    permissions: int
    position: int = 0
    managed: bool = False

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "managed": self.managed,
            "mentionable": False,
            "icon": None,
            "unicode_emoji": None,
            "flags": 0,
        }


@dataclass
class Overwrite:
    """A channel permission overwrite; ``type`` 0 is a role, 1 a member."""

    id: int
    type: int
    allow: int = 0
    deny: int = 0

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "type": self.type,
            "allow": str(self.allow),
            "deny": str(self.deny),
        }


@dataclass
class Channel:
    id: int
    name: str
    guild_id: int | None
    type: int = 0  # 0 guild text, 1 DM
    position: int = 0
    topic: str | None = None
    overwrites: list[Overwrite] = field(default_factory=list)
    recipients: list[User] = field(default_factory=list)
    deleted: bool = False

    def payload(self) -> dict[str, Any]:
        if self.type == 1:
            return {
                "id": str(self.id),
                "type": 1,
                "last_message_id": None,
                "flags": 0,
                "recipients": [u.payload() for u in self.recipients],
            }
        return {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [o.payload() for o in self.overwrites],
            "parent_id": None,
            "topic": self.topic,
            "nsfw": False,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
        }

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"


@dataclass
class Member:
    user: User
    guild_id: int
    roles: list[int] = field(default_factory=list)
    joined_at: str = field(default_factory=iso_now)
    nick: str | None = None

    def payload(self, *, permissions: int | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "user": self.user.payload(),
            "roles": [str(r) for r in self.roles],
            "joined_at": self.joined_at,
            "nick": self.nick,
            "avatar": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "premium_since": None,
            "communication_disabled_until": None,
        }
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def name(self) -> str:
        return self.user.username


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)

    @property
    def everyone(self) -> Role:
        return self.roles[self.id]

    def channel(self, name: str) -> Channel:
        """The live channel called ``name`` (with or without a leading #)."""
        name = name.lstrip("#")
        for ch in self.channels.values():
            if ch.name == name and not ch.deleted:
                return ch
        raise KeyError(f"no channel #{name} in guild {self.name!r}")

    def base_permissions(self, user_id: int) -> int:
        """Guild-level permissions: owner and ADMINISTRATOR get everything."""
        if user_id == self.owner_id:
            return Perm.ALL
        member = self.members.get(user_id)
        perms = self.everyone.permissions
        if member is not None:
            for role_id in member.roles:
                role = self.roles.get(role_id)
                if role is not None:
                    perms |= role.permissions
        if perms & Perm.ADMINISTRATOR:
            return Perm.ALL
        return perms

    def permissions_in(self, user_id: int, channel: Channel) -> int:
        """Discord's overwrite order: @everyone, then roles together, then the member."""
        perms = self.base_permissions(user_id)
        if perms == Perm.ALL:
            return perms
        member = self.members.get(user_id)
        role_ids = set(member.roles) if member else set()
        for ow in channel.overwrites:
            if ow.type == 0 and ow.id == self.id:
                perms = (perms & ~ow.deny) | ow.allow
        allow = deny = 0
        for ow in channel.overwrites:
            if ow.type == 0 and ow.id in role_ids:
                allow |= ow.allow
                deny |= ow.deny
        perms = (perms & ~deny) | allow
        for ow in channel.overwrites:
            if ow.type == 1 and ow.id == user_id:
                perms = (perms & ~ow.deny) | ow.allow
        return perms

    def payload(self, *, joined_at: str) -> dict[str, Any]:
        """The GUILD_CREATE body discord.py builds its cache from."""
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": [r.payload() for r in self.roles.values()],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": "en-US",
            "public_updates_channel_id": None,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "joined_at": joined_at,
            "large": False,
            "unavailable": False,
            "member_count": len(self.members),
            "voice_states": [],
            "members": [m.payload() for m in self.members.values()],
            "channels": [c.payload() for c in self.channels.values() if not c.deleted],
            "threads": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }


@dataclass
class World:
    """Everything the emulator knows; the bot user and application are fixed at birth.

    Users, servers, roles and channels take their ids from ``SandboxIds`` (stable
    across starts, never a real Discord id); messages, interactions and attachments
    from ``Snowflakes`` (their timestamps are read as the time they were sent).
    """

    ids: Snowflakes = field(default_factory=Snowflakes)
    entity_ids: SandboxIds = field(default_factory=SandboxIds)
    users: dict[int, User] = field(default_factory=dict)
    guilds: dict[int, Guild] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    bot_user: User = field(init=False)
    application_id: int = field(init=False)

    def __post_init__(self) -> None:
        self.application_id = self.entity_ids.next()
        self.bot_user = User(self.application_id, "Marquee", "Marquee", bot=True)
        self.users[self.bot_user.id] = self.bot_user
        self.bot_role_ids: dict[int, int] = {}

    def add_user(self, username: str, *, bot: bool = False) -> User:
        user = User(self.entity_ids.next(), username, username, bot=bot)
        self.users[user.id] = user
        return user

    def add_guild(self, name: str, *, owner: User | None = None) -> Guild:
        """A guild with @everyone, a bot role and the bot as a member."""
        gid = self.entity_ids.next()
        owner = owner or self.add_user(f"{name.lower().replace(' ', '-')}-owner")
        guild = Guild(gid, name, owner.id)
        guild.roles[gid] = Role(gid, "@everyone", Perm.DEFAULT, 0)
        bot_role = Role(
            self.entity_ids.next(), "Marquee", Perm.DEFAULT | Perm.MANAGE_MESSAGES, 1, True
        )
        guild.roles[bot_role.id] = bot_role
        self.bot_role_ids[gid] = bot_role.id
        guild.members[owner.id] = Member(owner, gid)
        guild.members[self.bot_user.id] = Member(self.bot_user, gid, [bot_role.id])
        self.guilds[gid] = guild
        return guild

    def add_role(self, guild: Guild, name: str, permissions: int) -> Role:
        role = Role(self.entity_ids.next(), name, permissions, len(guild.roles))
        guild.roles[role.id] = role
        return role

    def add_channel(self, guild: Guild, name: str, *, topic: str | None = None) -> Channel:
        ch = Channel(
            self.entity_ids.next(), name.lstrip("#"), guild.id, position=len(guild.channels)
        )
        ch.topic = topic
        guild.channels[ch.id] = ch
        self.channels[ch.id] = ch
        return ch

    def add_member(self, guild: Guild, username: str, *, roles: list[Role] | None = None) -> Member:
        user = self.add_user(username)
        member = Member(user, guild.id, [r.id for r in roles or []])
        guild.members[user.id] = member
        return member

    def dm_channel(self, user: User) -> Channel:
        """The DM channel with ``user``, created on first use like Discord does."""
        for ch in self.channels.values():
            if ch.type == 1 and ch.recipients and ch.recipients[0].id == user.id:
                return ch
        ch = Channel(self.entity_ids.next(), f"dm-{user.username}", None, type=1, recipients=[user])
        self.channels[ch.id] = ch
        return ch

    def guild_of(self, channel: Channel) -> Guild | None:
        return self.guilds.get(channel.guild_id) if channel.guild_id else None

    def bot_permissions(self, channel: Channel) -> int:
        guild = self.guild_of(channel)
        if guild is None:
            return Perm.DEFAULT
        return guild.permissions_in(self.bot_user.id, channel)

    def channel_messages(self, channel: Channel) -> list[dict[str, Any]]:
        """Visible (non-ephemeral, not deleted) messages in a channel, oldest first."""
        return [
            m
            for m in self.messages.values()
            if m["channel_id"] == str(channel.id)
            and not m.get("_deleted")
            and not (m.get("flags", 0) & 64)
        ]
