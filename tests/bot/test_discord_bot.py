"""The real discord.py client, as StoryBot, against the loopback fake of Discord.

Every test also fails (in the ``fake`` fixture) if the bot sent anything Discord would reject:
a body outside Discord's OpenAPI description or message limits, a message whose
``allowed_mentions`` could ping someone, a second or late (> 3 s) interaction response.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time

import pytest

from knowledge.engine import Engine
from tests.bot.conftest import StartBot, stop_bot
from tests.bot.engines import BrokenEngine, SlowEngine
from tests.fakes import payloads
from tests.fakes.discord_server import TOKEN, FakeDiscord

pytestmark = pytest.mark.asyncio

CHILDREN = "How many children do the Baldwins have?"
NOT_IN_STORY = "What is the capital of France?"
MESSAGE_CONTENT, GUILD_MEMBERS, GUILD_PRESENCES = 1 << 15, 1 << 1, 1 << 8
GUILDS, GUILD_MESSAGES = 1 << 0, 1 << 9


async def test_login_and_deliberate_command_sync(fake: FakeDiscord, start_bot: StartBot) -> None:
    await start_bot(sync_on_start=True, guild_ids=(payloads.GUILD_ID,))
    identify = fake.identifies[0]
    assert identify["token"] == TOKEN
    intents = identify["intents"]
    assert intents & GUILDS and intents & GUILD_MESSAGES
    assert not intents & (MESSAGE_CONTENT | GUILD_MEMBERS | GUILD_PRESENCES)  # nothing privileged
    commands = {c["name"]: c for c in fake.commands[str(payloads.GUILD_ID)]}
    assert set(commands) == {"ask", "sources", "help", "reload"}
    question = commands["ask"]["options"][0]
    assert (question["name"], question["required"]) == ("question", True)
    assert (question["min_length"], question["max_length"]) == (1, 500)
    assert [o["name"] for o in commands["ask"]["options"][1:]] == ["private"]
    assert int(commands["reload"]["default_member_permissions"]) == payloads.MANAGE_GUILD
    assert commands["reload"]["contexts"] == [0]  # servers only
    assert "global" not in fake.commands


async def test_nothing_is_registered_on_a_normal_start(
    fake: FakeDiscord, start_bot: StartBot
) -> None:
    await start_bot()
    assert [c.path for c in fake.calls if c.method == "PUT"] == []


async def test_ask_answers_with_the_right_citation(fake: FakeDiscord, start_bot: StartBot) -> None:
    await start_bot()
    interaction = await fake.ask(CHILDREN)
    shown = await fake.reply(interaction)
    assert [c["type"] for c in interaction.callbacks] == [4]  # answered at once, no deferral
    assert not shown.private
    embed = shown.embeds[0]
    assert "seven children" in embed["description"] and "**" in embed["description"]
    first = embed["fields"][0]
    assert first["name"].startswith("[1] Alec Baldwin Mocked Over Plea for Instagram Followers")
    assert first["value"].startswith("Newsweek, by Ryan Smith, paragraph 18\n> The Baldwins")
    assert embed["footer"]["text"].startswith("Searched 3 articles")
    assert [re.sub(r"[0-9a-f]{16}", "ID", c) for c in shown.custom_ids] == [
        "storybot:vote:ID:up",
        "storybot:vote:ID:down",
    ]


async def test_private_answers_by_option_and_by_server_default(
    fake: FakeDiscord, start_bot: StartBot
) -> None:
    await start_bot(ephemeral_guild_ids=(payloads.GUILD_ID,))
    assert (await fake.reply(await fake.ask(CHILDREN))).private
    assert not (await fake.reply(await fake.ask(CHILDREN, user_id=2, private=False))).private


async def test_not_found_is_a_private_pointer_to_sources(
    fake: FakeDiscord, start_bot: StartBot
) -> None:
    await start_bot()
    shown = await fake.reply(await fake.ask(NOT_IN_STORY))
    assert shown.private and not shown.embeds and not shown.custom_ids
    assert "couldn't find an answer" in shown.content and "`/sources`" in shown.content


async def test_sources_and_help(fake: FakeDiscord, start_bot: StartBot) -> None:
    await start_bot()
    sources = await fake.reply(await fake.slash("sources"))
    assert not sources.private
    assert sources.embeds[0]["title"] == "3 articles in the knowledge base"
    assert sources.embeds[0]["description"].count("\n") == 2
    assert "Newsweek, by Ryan Smith" in sources.text
    shown = await fake.reply(await fake.slash("help"))
    assert shown.private and "3 news articles" in shown.text and "/sources" in shown.text


async def test_votes_are_stored_once_per_user_and_survive_a_restart(
    fake: FakeDiscord, start_bot: StartBot
) -> None:
    bot = await start_bot()
    answer = await fake.reply(await fake.ask(CHILDREN))
    up, down = answer.custom_ids
    thanks = await fake.reply(await fake.click(answer, up, user_id=77))
    assert thanks.private and thanks.content == "Thanks, your 👍 is recorded."
    again = await fake.reply(await fake.click(answer, up, user_id=77))
    assert again.content == "You already voted 👍 on this answer."
    await stop_bot(bot)

    restarted = await start_bot()  # a new process: same database, no view kept in memory
    changed = await fake.reply(await fake.click(answer, down, user_id=77))
    assert changed.content == "Changed your vote to 👎."
    await fake.reply(await fake.click(answer, up, user_id=78))
    summary = restarted.feedback.summary()
    assert (summary.votes, summary.up, summary.down, summary.voters) == (2, 1, 1, 2)
    assert summary.weakest[0].question == CHILDREN
    assert "seven children" in summary.weakest[0].answer


async def test_reload_is_refused_without_the_permission(
    fake: FakeDiscord, start_bot: StartBot
) -> None:
    await start_bot()
    refused = await fake.reply(await fake.slash("reload"))
    assert refused.private
    assert refused.content == (
        "Only members with the **Manage Server** permission can reload the articles."
    )
    outside = await fake.reply(await fake.slash("reload", in_guild=False))
    assert outside.private and "Manage Server" in outside.content


async def test_reload_with_the_permission_reindexes(fake: FakeDiscord, start_bot: StartBot) -> None:
    await start_bot()
    permissions = payloads.EVERYONE_PERMISSIONS | payloads.MANAGE_GUILD
    interaction = await fake.slash("reload", permissions=permissions)
    shown = await fake.reply(interaction)
    assert interaction.callbacks[0] == {"type": 5, "data": {"flags": 64}}  # private "thinking"
    assert shown.private and "The articles are unchanged (3 articles" in shown.content


async def test_mentions_are_answered_and_ping_nobody(
    fake: FakeDiscord, start_bot: StartBot
) -> None:
    await start_bot()
    message = await fake.mention(
        f"<@{payloads.BOT_ID}> {CHILDREN} @everyone @here <@&{payloads.GUILD_ID}> <@1234>"
    )
    shown = await fake.reply_to_message(message)
    assert "seven children" in shown.embeds[0]["description"]
    assert "@everyone @here" in shown.embeds[0]["author"]["name"]
    sent = [c.body for c in fake.calls if c.path.endswith("/messages")]
    assert len(sent) == 1
    assert sent[0]["allowed_mentions"] == {"parse": [], "replied_user": False}
    assert str(sent[0]["message_reference"]["message_id"]) == message["id"]


async def test_a_bare_mention_gets_a_hint_and_others_are_ignored(
    fake: FakeDiscord, start_bot: StartBot
) -> None:
    await start_bot()
    await fake.mention(f"{CHILDREN} (no mention)")
    hint = await fake.reply_to_message(await fake.mention(f"<@{payloads.BOT_ID}>"))
    assert "Ask me something after the mention" in hint.content
    assert len(fake.channel_messages) == 1


async def test_cooldown_tells_the_user_how_long_to_wait(
    fake: FakeDiscord, start_bot: StartBot
) -> None:
    await start_bot(cooldown_questions=2, cooldown_seconds=60)
    for _ in range(2):
        assert (await fake.reply(await fake.ask(CHILDREN))).embeds
    shown = await fake.reply(await fake.ask(CHILDREN))
    assert shown.private
    wait = re.fullmatch(
        r"You're asking quickly: please wait (\d+) seconds and ask again\.", shown.content
    )
    assert wait and 55 <= int(wait[1]) <= 60
    assert (await fake.reply(await fake.ask(CHILDREN, user_id=2))).embeds  # others still may


async def test_over_the_concurrency_bound_the_asker_is_told_when_to_retry(
    fake: FakeDiscord, start_bot: StartBot, default_engine: Engine
) -> None:
    await start_bot(
        engine=SlowEngine(default_engine, 0.8),
        max_concurrent_answers=1,
        queue_timeout_seconds=0.2,
        defer_after_seconds=2.0,
    )
    first, second = await asyncio.gather(fake.ask(CHILDREN, 1), fake.ask(CHILDREN, 2))
    answered, busy = await asyncio.gather(fake.reply(first), fake.reply(second))
    assert answered.embeds
    assert busy.private and re.fullmatch(
        r"I'm busy answering other questions right now; please ask again in about \d+ seconds?\. "
        r"Your question was not answered\.",
        busy.content,
    )


async def test_slow_answers_are_deferred_in_time_and_heartbeats_go_on(
    fake: FakeDiscord, start_bot: StartBot, default_engine: Engine
) -> None:
    fake.heartbeat_interval = 0.1
    await start_bot(engine=SlowEngine(default_engine, 0.8), defer_after_seconds=0.05)
    interaction = await fake.ask(CHILDREN)
    shown = await fake.reply(interaction)
    answered_at = time.monotonic()
    assert interaction.callbacks == [{"type": 5}]  # public "thinking" first
    assert interaction.callback_times[0] - interaction.dispatched < 3.0
    assert not shown.private and "seven children" in shown.embeds[0]["description"]
    beats = fake.session_for_guild().heartbeats
    during = [t for t in beats if interaction.callback_times[0] < t < answered_at]
    assert len(during) >= 3  # the 0.8 s answer ran off the event loop


async def test_a_private_reply_after_a_public_deferral_stays_private(
    fake: FakeDiscord, start_bot: StartBot, default_engine: Engine
) -> None:
    await start_bot(engine=SlowEngine(default_engine, 0.3), defer_after_seconds=0.05)
    interaction = await fake.ask(NOT_IN_STORY)
    shown = await fake.reply(interaction)
    assert interaction.callbacks[0]["type"] == 5 and interaction.deleted_original
    assert [s.private for s in interaction.shown] == [True]
    assert "`/sources`" in shown.content


async def test_unexpected_errors_show_a_reference_that_is_in_the_log(
    fake: FakeDiscord, start_bot: StartBot, default_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    await start_bot(engine=BrokenEngine(default_engine))
    with caplog.at_level(logging.ERROR, logger="bot.discord"):
        shown = await fake.reply(await fake.ask(CHILDREN))
    found = re.search(
        r"something went wrong on my side \(reference `([0-9A-F]{8})`\)", shown.content
    )
    assert shown.private and found
    record = next(r for r in caplog.records if getattr(r, "ctx_reference", None) == found[1])
    assert record.exc_info and "the index caught fire" in str(record.exc_info[1])
    assert record.ctx_where == "/ask"  # type: ignore[attr-defined]
    assert "the index caught fire" not in shown.content


async def test_known_errors_are_short_and_plain(fake: FakeDiscord, start_bot: StartBot) -> None:
    await start_bot()
    shown = await fake.reply_to_message(await fake.mention(f"<@{payloads.BOT_ID}> " + "why " * 200))
    assert shown.content == "That question is 799 characters long; the limit is 500"


async def test_the_client_resumes_after_the_gateway_drops(
    fake: FakeDiscord, start_bot: StartBot
) -> None:
    await start_bot()
    assert (await fake.reply(await fake.ask(CHILDREN))).embeds
    session = fake.session_for_guild()
    await fake.drop_gateway()
    interaction = await fake.ask(CHILDREN, user_id=2)  # sent while the bot is disconnected
    shown = await fake.reply(interaction, timeout=30)
    assert "seven children" in shown.embeds[0]["description"]
    assert [r["session_id"] for r in fake.resumes] == [session.session_id]
    assert len(fake.identifies) == 1  # resumed, not a new session


@pytest.mark.parametrize(("shard_count", "shard_ids"), [(2, (0,)), (3, (1,))])
async def test_a_replica_runs_only_its_shards(
    fake: FakeDiscord, start_bot: StartBot, shard_count: int, shard_ids: tuple[int, ...]
) -> None:
    await start_bot(shard_count=shard_count, shard_ids=shard_ids)
    assert sorted(i["shard"] for i in fake.identifies) == [[s, shard_count] for s in shard_ids]
    assert (await fake.reply(await fake.ask(CHILDREN))).embeds  # the shard holding the server
    assert not any(c.path == "/gateway/bot" for c in fake.calls)


@pytest.mark.usefixtures("no_identify_delay")
async def test_the_recommended_shard_count_still_uses_the_configured_gateway(
    fake: FakeDiscord, start_bot: StartBot
) -> None:
    fake.recommended_shards = 2
    fake.advertised_gateway = "ws://127.0.0.1:9/not-the-configured-gateway"
    await start_bot()
    assert any(c.path == "/gateway/bot" for c in fake.calls)
    assert sorted(i["shard"] for i in fake.identifies) == [[0, 2], [1, 2]]
