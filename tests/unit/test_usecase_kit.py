"""The use cases' shared kit: variety without repeats, and care and notices as plain values."""

from __future__ import annotations

import random

from bot.models import Reply, Text
from bot.usecases.care import CRISIS_CARE, GENTLE_CHECK, Care
from bot.usecases.kit import Kit, Missed, choose
from bot.usecases.outcome import Outcome, deliver, run
from bot.vocab import UserError
from tests.conftest import in_channel

ITEMS = ["a", "b", "c", "d"]


def same(item: str) -> str:
    return item


def test_choose_takes_only_unseen_items_until_the_pool_is_used_up():
    for draw in (0.0, 0.5, 0.999999):
        item, restart = choose(ITEMS, same, ["b", "a"], draw)
        assert item in ("c", "d") and not restart


def test_choose_starts_over_but_never_with_the_item_seen_last():
    for draw in (0.0, 0.5, 0.999999):
        item, restart = choose(ITEMS, same, ["c", "a", "b", "d"], draw)
        assert restart and item != "c"


def test_choose_ignores_keys_no_longer_in_the_pool():
    item, restart = choose(ITEMS, same, ["gone", "a", "b", "c"], 0.0)
    assert (item, restart) == ("d", False)


def kit(store, content, clock) -> Kit:
    return Kit(store, content, clock, "UTC", random.Random(1))


def hello() -> Reply:
    return Reply(text=Text.of("hello"))


async def test_a_crisis_reply_is_support_alone_and_the_notice_waits(store, content, clock):
    person = await store.people.ensure(in_channel().person, clock.now())
    outcome = Outcome([hello()], Care(CRISIS_CARE, "call someone"), Missed(person.id, 2))
    replies = await deliver(kit(store, content, clock), outcome)
    assert len(replies) == 1 and "call someone" in replies[0].text.plain()
    assert (await store.people.get(person.id)).dm_failed_count == 2


async def test_a_gentle_check_comes_first_then_the_notice_then_the_reply(store, content, clock):
    outcome = Outcome([hello()], Care(GENTLE_CHECK, "call someone"), Missed(1, 3))
    replies = await deliver(kit(store, content, clock), outcome)
    assert len(replies) == 3
    assert "call someone" in replies[0].text.plain()
    assert "3" in replies[1].text.plain()
    assert replies[2].text.plain() == "hello"


async def test_run_turns_a_refusal_into_a_kind_private_reply(store, content, clock):
    async def refuses(kit: Kit) -> Outcome:
        raise UserError("error.not_yours")

    replies = await run(kit(store, content, clock), refuses)
    assert replies == [Reply(text=content.msg("error.not_yours"))]
