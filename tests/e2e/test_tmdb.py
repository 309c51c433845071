"""TMDB end to end: the real bot against the Discord emulator and the local fake TMDB
(bot/sandbox/tmdb_fake.py, hand-written fixtures of films the seed does not know)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import aiohttp
import pytest

from bot.catalog.models import Provenance
from bot.catalog.repository import CatalogRepository
from bot.catalog.tmdb.service import UNREACHABLE
from bot.sandbox.harness import Reply, Sandbox
from bot.sandbox.interactions import CommandHidden
from bot.sandbox.tmdb_fake import FakeTmdb
from bot.settings import Settings, load_settings

FERRY = "The Lantern Ferry"  # only the fake TMDB knows it


@pytest.fixture
def fake(tmdb_fake: FakeTmdb) -> FakeTmdb:
    return tmdb_fake


@pytest.fixture
def settings(tmp_path: Path, fake: FakeTmdb) -> Settings:
    """The suite's settings with TMDB pointed at the fake (the `sandbox` fixture uses them)."""
    return load_settings(
        {
            "MARQUEE_DB": str(tmp_path / "marquee.sqlite3"),
            "TMDB_API_KEY": fake.api_key,
            "TMDB_API_BASE": fake.base,
        },
        env_file=None,
    )


@pytest.fixture
def quick(sandbox: Sandbox) -> Sandbox:
    """Short TMDB timeouts and back-offs, so failure tests run fast."""
    client = sandbox.bot.tmdb.client
    client.timeout = aiohttp.ClientTimeout(total=1.0)
    client.backoff = 0.01
    return sandbox


def fields(reply: Reply) -> dict[str, str]:
    return {f["name"]: f["value"] for f in reply.embed["fields"]}


async def test_info_and_where_for_a_film_only_tmdb_knows(sandbox: Sandbox, fake: FakeTmdb):
    choices = await sandbox.autocomplete("movie info", "title", "lantern ferry")
    assert choices[-1]["name"] == "Search TMDB for 'lantern ferry'"
    reply = await sandbox.slash("movie info", title=choices[-1]["value"])
    assert reply.deferred and not reply.ephemeral
    embed = reply.embed
    assert embed["title"] == f"{FERRY} (2024)"
    assert embed["thumbnail"]["url"] == "https://image.tmdb.org/t/p/w500/hArB0rL1gHtS.jpg"
    assert embed["description"].startswith("A lighthouse keeper's daughter runs the harbour")
    info = fields(reply)
    assert info["Runtime"] == "118 min"
    assert info["Genres"] == "Drama, Romance"
    assert info["TMDB rating"] == "7.4/10 (1,523 votes)"
    assert info["Certification"] == "PG\\-13 (US)"
    assert info["Director"] == "Lena Sorvik"
    assert info["Top-billed cast"].startswith("**Mara Quill** as Nell Haddon")
    assert "[Trailer](https://www.youtube.com/watch?v=hLtRaIlEr01)" in info["Links"]
    assert "[IMDb](https://www.imdb.com/title/tt9001011/)" in info["Links"]
    assert "TMDB" in embed["footer"]["text"]

    where = await sandbox.slash("movie where", title="the lantern ferry", region="France")
    offers = fields(where)
    assert offers == {"Stream": "Canal+", "Free": "Arte", "Free with ads": "Pluto TV"}
    assert where.embed["description"] == "In France (FR):"
    assert "JustWatch" in where.embed["footer"]["text"]
    assert where.embed["url"].endswith("watch?locale=FR")
    us = await sandbox.slash("movie where", title="the lantern ferry")  # no region: US
    assert fields(us) == {"Stream": "Netflix", "Rent": "Apple TV",
                          "Buy": "Apple TV\nGoogle Play Movies"}  # fmt: skip


async def test_typed_text_unknown_locally_is_looked_up_on_tmdb(sandbox: Sandbox, fake: FakeTmdb):
    reply = await sandbox.slash("movie releases", title="lantern ferry", region="FR")
    assert reply.embed["title"] == f"Releases of {FERRY} (2024)"
    fr = fields(reply)
    assert list(fr) == ["FR"]
    noon = int(dt.datetime(2024, 5, 22, 12, tzinfo=dt.UTC).timestamp())
    assert fr["FR"].splitlines()[0] == f"Theatrical: <t:{noon}:D> (<t:{noon}:R>) · TP"
    assert fr["FR"].splitlines()[1].endswith("· TP · Blu\\-ray")
    us = fields(await sandbox.slash("movie releases", title="lantern ferry", region="US"))
    assert us["US"].startswith("Premiere: ") and "Sundance Film Festival" in us["US"]
    assert "Digital: " in us["US"]


async def test_second_lookup_is_served_from_the_store(sandbox: Sandbox, fake: FakeTmdb):
    first = await sandbox.slash("movie info", title="the lantern ferry")
    assert first.deferred
    asked = fake.total()
    again = await sandbox.slash("movie info", title="the lantern ferry")
    assert fake.total() == asked  # no TMDB request at all
    assert not again.deferred
    assert again.embed["description"] == first.embed["description"]


async def test_tmdb_down_answers_from_the_store_with_a_note(quick: Sandbox, fake: FakeTmdb):
    sandbox = quick
    await sandbox.slash("movie info", title="the lantern ferry")
    await sandbox.store.execute("UPDATE tmdb_titles SET fetched_at = '2000-01-01T00:00:00+00:00'")
    fake.fail(None, "server_error", times=50)
    reply = await sandbox.slash("movie info", title="the lantern ferry")
    assert reply.content == f"⚠️ {UNREACHABLE}"
    assert reply.embed["description"].startswith("A lighthouse keeper's daughter")
    assert fake.counts["movie/{id}"] == 1 + 4  # the first fetch, then every retry


async def test_rate_limit_is_retried_after_retry_after(quick: Sandbox, fake: FakeTmdb):
    fake.fail("movie/{id}", "rate_limit", times=2, retry_after=0.2)
    reply = await quick.slash("movie info", title="lantern ferry")
    assert reply.content == "" and fields(reply)["Runtime"] == "118 min"
    assert fake.counts["movie/{id}"] == 3


@pytest.mark.parametrize("fault", ["timeout", "malformed", "server_error"])
async def test_failed_search_says_so_in_one_ephemeral_line(
    quick: Sandbox, fake: FakeTmdb, fault: str
):
    fake.fail("search/movie", fault, times=10, hang=3.0)
    reply = await quick.slash("movie info", title="the lantern ferry")
    assert reply.ephemeral
    assert reply.content == f"No film matches 'the lantern ferry'. {UNREACHABLE}"


@pytest.mark.parametrize("fault", ["empty", "not_found"])
async def test_nothing_found_anywhere(quick: Sandbox, fake: FakeTmdb, fault: str):
    fake.fail("search/movie", fault)
    reply = await quick.slash("movie cast", title="the lantern ferry")
    assert reply.ephemeral and reply.content == "No film matches 'the lantern ferry'."


async def test_a_film_tmdb_lost_keeps_the_stores_answer(quick: Sandbox, fake: FakeTmdb):
    await quick.slash("movie info", title="lantern ferry")
    await quick.store.execute("UPDATE tmdb_titles SET fetched_at = NULL")
    fake.fail("movie/{id}", "not_found")
    reply = await quick.slash("movie info", title="lantern ferry")
    assert reply.content == "" and fields(reply)["Runtime"] == "118 min"


async def test_imdb_title_gets_tmdb_data_linked_by_its_imdb_id(sandbox: Sandbox, fake: FakeTmdb):
    store = sandbox.store
    async with store.transaction() as conn:
        await conn.execute(
            "INSERT INTO titles(imdb_id, title, norm_title, year, rating, votes, source, as_of)"
            " VALUES ('tt9003033', 'The Varna Sleeper', 'varna sleeper', 2019, 6.9, 800,"
            " 'imdb', '2025-01-01')"
        )
    reply = await sandbox.slash("movie info", title="varna sleeper")
    assert fake.counts["find/{id}"] == 1 and fake.counts["search/movie"] == 0
    assert reply.embed["description"].startswith("A sleeper\\-car conductor")
    assert await store.fetchval("SELECT count(*) FROM titles WHERE imdb_id = 'tt9003033'") == 1
    assert await store.fetchval("SELECT count(*) FROM titles WHERE source = 'tmdb'") == 0
    where = await sandbox.slash("movie where", title="varna sleeper", region="us")
    assert fields(where) == {"Stream": "MUBI", "Rent": "Apple TV\nGoogle Play Movies"}


async def test_article_facts_stay_beside_tmdbs(sandbox: Sandbox, fake: FakeTmdb):
    article = Provenance("article:abc", "2023-11-02")
    repo = CatalogRepository(sandbox.store)
    async with sandbox.store.transaction():
        film = await repo.ensure_title(FERRY, article, year=2024)
        await repo.add_release(film, date="2024-06-01", precision="day", kind="theatrical",
                               region="DE", prov=article)  # fmt: skip
        mara = await repo.ensure_person("Mara Quill", article)
        await repo.add_credit(film, mara, "actor", article, status="new")
    reply = await sandbox.slash("movie releases", title="lantern ferry")
    got = fields(reply)
    assert got["DE"].endswith("— article 2023-11-02")  # the article's date, with its source
    assert "FR" in got and "US" in got  # TMDB's, on the same film
    rows = await sandbox.store.fetchall("SELECT id FROM titles WHERE title = ?", (FERRY,))
    assert [r[0] for r in rows] == [film]
    cast = (await sandbox.slash("movie cast", title="lantern ferry")).embed["description"]
    assert cast.splitlines()[:3] == [  # the article's Mara Quill is TMDB's: one line, billed
        "1. **Mara Quill** as Nell Haddon",
        "2. **Tobias Renn** as Captain Abel Morrow",
        "3. **June Okafor** as Ruth Calloway",
    ]


async def test_person_info_from_tmdb(sandbox: Sandbox, fake: FakeTmdb):
    reply = await sandbox.slash("person info", name="mara quill")
    embed = reply.embed
    assert embed["title"] == "Mara Quill"
    assert embed["thumbnail"]["url"].endswith("/w185/maraquill.jpg")
    assert "began on the stage in Portland" in embed["description"]
    assert "born in Portland, Maine, USA" in embed["description"]
    info = fields(reply)
    assert info["Known for"].splitlines()[0] == f"{FERRY} \\(2024\\)"


async def test_upcoming_merges_tmdb_with_the_store(sandbox: Sandbox, fake: FakeTmdb):
    reply = await sandbox.slash("upcoming", region="gb", days=60)
    text = reply.embed["description"]
    assert "**The Glass Orchard (" in text and "theatrical, GB" in text
    again = fake.counts["movie/upcoming"]
    await sandbox.slash("upcoming", region="gb", days=60)
    assert fake.counts["movie/upcoming"] == again  # once a day per region


async def test_server_region_fills_a_left_out_region(sandbox: Sandbox, fake: FakeTmdb):
    with pytest.raises(CommandHidden):  # members do not even see it
        await sandbox.slash("region set", user=sandbox.member, region="France")
    bad = await sandbox.slash("region set", user=sandbox.admin, region="XX")
    assert bad.ephemeral and "not a country" in bad.content
    ok = await sandbox.slash("region set", user=sandbox.admin, region="france")
    assert ok.ephemeral and "France (FR)" in ok.content
    where = await sandbox.slash("movie where", title="lantern ferry")
    assert fields(where)["Stream"] == "Canal+"
    releases = await sandbox.slash("movie releases", title="lantern ferry")
    assert list(fields(releases)) == ["FR"]
    info = fields(await sandbox.slash("movie info", title="lantern ferry"))
    assert info["Certification"] == "TP (FR)"
    assert info["Release dates"].startswith("Theatrical · FR: ")
    about = await sandbox.slash("about")
    assert fields(about)["Server region"] == "France (FR)"


async def test_reminder_follows_a_moved_tmdb_date(sandbox: Sandbox, fake: FakeTmdb):
    from tests.e2e.newskit import Clock, attach, real_now

    clock = Clock(real_now())
    scheduler = attach(sandbox, clock)
    reply = await sandbox.slash("remind release", title="glass orchard", region="US")
    assert "Reminder set for **The Glass Orchard**" in reply.content
    first = await scheduler.tick()  # the first daily refresh: nothing moved yet
    assert first["reminder_moved"] == 0
    old = clock.now.date() + dt.timedelta(days=20)
    new = old + dt.timedelta(days=9)
    fake.move_release(900202, "US", 3, new.isoformat())
    assert (await scheduler.tick())["tmdb_refreshed"] == 0  # once a day
    clock.advance(days=1)
    fetched = fake.counts["movie/{id}"]
    report = await scheduler.tick()
    assert report["tmdb_refreshed"] == 1 and report["reminder_moved"] == 1
    assert fake.counts["movie/changes"] == 1 and fake.counts["movie/{id}"] == fetched + 1
    clock.set(dt.datetime.combine(new, dt.time(9), dt.UTC))
    await scheduler.tick()
    posts = [m for m in await sandbox.messages(sandbox.general) if "🎬" in m.content]
    assert len(posts) == 1
    noon = int(dt.datetime.combine(old, dt.time(12), dt.UTC).timestamp())
    assert f"The date moved: it was <t:{noon}:D>." in posts[0].content


async def test_rejected_key_is_one_line_and_the_store_still_answers(
    tmp_path: Path, fake: FakeTmdb, caplog: pytest.LogCaptureFixture
):
    wrong = "0123456789abcdef0123456789abcdef"
    settings = load_settings(
        {"MARQUEE_DB": str(tmp_path / "m.sqlite3"), "TMDB_API_KEY": wrong,
         "TMDB_API_BASE": fake.base},
        env_file=None,
    )  # fmt: skip
    sb = Sandbox()
    await sb.start()
    try:
        await sb.start_bot(settings)
        refused = [r for r in caplog.records if "TMDB_API_KEY was refused" in r.getMessage()]
        assert len(refused) == 1
        assert all(wrong not in r.getMessage() for r in caplog.records)
        about = await sb.slash("about")
        assert "key was refused" in fields(about)["TMDB"]
        assert "not endorsed or certified by TMDB" in fields(about)["TMDB"]
        asked = fake.total()
        reply = await sb.slash("movie info", title="the lantern ferry")
        assert reply.ephemeral and reply.content == "No film matches 'the lantern ferry'."
        assert fake.total() == asked  # a refused key is not tried again
        seeded = await sb.slash("movie info", title="dead reckoning")
        assert not seeded.ephemeral and seeded.embed["title"].startswith("Mission: Impossible")
        assert await sb.autocomplete("movie info", "title", "zzz qqq") == []
    finally:
        await sb.stop()
    sb.assert_no_violations()


async def test_v4_token_is_sent_as_bearer(sandbox: Sandbox, fake: FakeTmdb, tmp_path: Path):
    from bot.catalog.tmdb.client import TmdbClient
    from bot.sandbox.tmdb_fake import FAKE_TOKEN

    client = TmdbClient(FAKE_TOKEN, fake.base)
    try:
        await client.check()
        assert "api_key" not in client._key_query and client._headers["Authorization"].startswith(
            "Bearer eyJ"
        )
    finally:
        await client.close()


def test_settings_never_show_the_key(settings: Settings) -> None:
    assert settings.tmdb_api_key and settings.tmdb_api_key not in repr(settings)
    assert dataclasses.replace(settings).tmdb_api_key == settings.tmdb_api_key


async def test_upcoming_and_person_with_tmdb_down(quick: Sandbox, fake: FakeTmdb):
    fake.fail(None, "timeout", times=20, hang=3.0)
    upcoming = await quick.slash("upcoming", region="FR")
    assert upcoming.content == f"⚠️ {UNREACHABLE}"
    assert upcoming.embed["title"] == "Releases in the next 30 days in FR"
    person = await quick.slash("person info", name="tom cruise")  # in the seed article
    assert person.embed["title"] == "Tom Cruise"
    assert person.content == f"⚠️ {UNREACHABLE}"
    about = await quick.slash("about")
    assert "not reachable lately" in fields(about)["TMDB"]


def test_marquee_sandbox_with_the_fake_tmdb(tmp_path: Path) -> None:
    import os
    import shutil
    import subprocess
    import sys

    from bot.settings import PROJECT_ROOT

    marquee = shutil.which("marquee", path=str(Path(sys.executable).parent))
    assert marquee is not None
    env = {**os.environ, "MARQUEE_DB": str(tmp_path / "m.sqlite3"),
           "MARQUEE_DATA_DIR": str(PROJECT_ROOT / "data")}  # fmt: skip
    for name in ("DISCORD_TOKEN", "TMDB_API_KEY", "TMDB_API_BASE"):
        env.pop(name, None)
    done = subprocess.run(
        [marquee, "sandbox", "--tmdb-fake"],
        input="/movie where title:the lantern ferry region:France\n",
        capture_output=True, text=True, timeout=60, cwd=tmp_path, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Fake TMDB at http://127.0.0.1:" in done.stdout
    assert "Stream: Canal+" in done.stdout and "JustWatch" in done.stdout


async def test_a_slow_tmdb_never_holds_the_interaction_past_its_deadline(
    sandbox: Sandbox, fake: FakeTmdb
):
    """The emulator fails the test if the first answer comes after the deadline: the
    lookup must defer before it waits on TMDB (here two requests of 0.6 s each)."""
    sandbox.emulator.interaction_deadline = 1.0
    fake.latency = 0.6
    reply = await sandbox.slash("movie info", title="the lantern ferry", timeout=15.0)
    assert reply.deferred and fields(reply)["Runtime"] == "118 min"
    assert not sandbox.emulator.violations
