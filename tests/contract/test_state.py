"""The bot's own values: a claim is won once, whoever asks, and old claims can be forgotten."""

from __future__ import annotations


async def test_a_key_is_claimed_once_and_forgotten_only_when_old(store):
    assert await store.state.claim("slack.event:Ev1", "2026-11-26T15:00:00Z")
    assert not await store.state.claim("slack.event:Ev1", "2026-11-26T15:00:05Z")
    assert await store.state.get("slack.event:Ev1") == "2026-11-26T15:00:00Z"
    assert await store.state.claim("slack.event:Ev2", "2026-11-26T16:30:00Z")
    await store.state.set("slack.eventually", "0")  # shares the first letters, not the prefix
    assert await store.state.forget_older("slack.event:", "2026-11-26T16:00:00Z") == 1
    assert await store.state.get("slack.event:Ev1") is None
    assert await store.state.get("slack.event:Ev2") == "2026-11-26T16:30:00Z"
    assert await store.state.get("slack.eventually") == "0"
    assert await store.state.claim("slack.event:Ev1", "2026-11-26T16:31:00Z")
