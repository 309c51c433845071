"""Send discord.py to another Discord API base (a REST proxy or the local emulator).

discord.py has no option for this, so the few module attributes it reads are set in
one place, here, and nowhere else in the project.
"""

from __future__ import annotations

import logging

import aiohttp
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

log = logging.getLogger(__name__)

DISCORD_API_BASE = "https://discord.com/api/v10"


async def point_client_at(api_base: str, *, token: str | None = None) -> str:
    """Route REST to ``api_base`` and take the gateway URL from its ``GET /gateway/bot``.

    Touches exactly two discord.py attributes, process-wide:

    * ``discord.http.Route.BASE`` -- every REST route, including the interaction
      callback and webhook follow-up routes (``discord.webhook.async_`` builds its
      URLs from the same ``Route`` class);
    * ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`` -- where ``Client.connect``
      opens the websocket (discord.py 2.7 does not ask ``/gateway/bot`` for a plain
      ``Client``; ``AutoShardedClient`` asks ``/gateway/bot`` itself via ``Route.BASE``).

    The websocket still negotiates ``compress=zlib-stream`` (or zstd-stream when a zstd
    module is installed) exactly as against Discord. Returns the gateway URL.
    ``token`` authorises ``/gateway/bot`` as Discord requires; without it ``/gateway``
    (which needs no auth) is asked instead.
    """
    base = api_base.rstrip("/")
    Route.BASE = base
    path, headers = ("/gateway", {})
    if token:
        path, headers = ("/gateway/bot", {"Authorization": f"Bot {token}"})
    timeout = aiohttp.ClientTimeout(total=15)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.get(base + path, headers=headers) as resp,
    ):
        resp.raise_for_status()
        data = await resp.json()
    gateway = yarl.URL(data["url"])
    DiscordWebSocket.DEFAULT_GATEWAY = gateway
    log.info("Discord API base set to %s; gateway %s", base, gateway)
    return str(gateway)
