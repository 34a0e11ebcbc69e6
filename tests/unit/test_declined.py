"""Issue 14 item 14: an offer the person turned down is logged with its own words, never as a no."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from bot import commands
from bot.content import Content
from bot.core import Rebound
from bot.ports import FixedClock
from bot.store import Store
from tests.conftest import START, action, in_channel, in_dm, text_of


async def latest(store: Store):
    me = await store.people.find("test", "alex")
    return await store.rejections.latest(me.id)


@pytest.mark.parametrize(
    "log",
    [
        lambda core: core.declined(in_channel(), company="Acme", role="Analyst", feeling=3),
        lambda core: core.rejected(
            in_channel(), company="Acme", role="Analyst", stage="offer", outcome="declined"
        ),
        lambda core: core.rejected(in_channel(), company="Acme", outcome="Declined"),
    ],
    ids=["/declined", "/rejected stage:offer outcome:declined", "outcome alone"],
)
async def test_a_declined_offer_is_logged_and_never_called_a_no(core, store, log):
    replies = await log(core)
    text = text_of(replies)
    assert replies[0].title.plain() == "Logged: you declined an offer from Acme"
    assert "a no" not in text.lower() and "rejection" not in text.lower()
    stored = await latest(store)
    assert (stored.company, stored.stage, stored.outcome) == ("Acme", "offer", "declined")


async def test_a_declined_offer_has_its_own_words_and_no_reframe(
    store: Store, content: Content, clock: FixedClock
):
    own = {
        t.render({"name": "Alex"}).plain() for t in content.encouragement[("declined", "middling")]
    }
    offer_no = {
        t.render({"name": "Alex"}).plain() for t in content.encouragement[("offer", "middling")]
    }
    seen = set()
    for seed in range(6):
        core = Rebound(store, content, clock, default_timezone="UTC", rng=random.Random(seed))
        replies = await core.declined(in_channel())
        body = replies[0].text.plain()
        first = body.split("\n\n")[0]
        assert first in own and first not in offer_no
        # Encouragement, then the hint: reframes speak of a no, so there is none.
        assert len(body.split("\n\n")) == 2
        seen.add(first)
    assert len(seen) > 1  # a pool, not one fixed line


async def test_a_plain_rejection_is_still_a_no(core, store):
    replies = await core.rejected(in_channel(), company="Acme", stage="offer")
    assert replies[0].title.plain() == "Logged: a no from Acme at the offer stage"
    assert (await latest(store)).outcome == "rejected"


async def test_declined_at_another_stage_is_refused_kindly_and_nothing_is_logged(core, store):
    replies = await core.rejected(in_channel(), company="Acme", stage="final", outcome="declined")
    text = text_of(replies)
    assert "offer stage" in text and "final" in text and "/declined" in text
    assert await store.people.find("test", "alex") is None or await latest(store) is None


async def test_an_unknown_outcome_lists_the_ones_there_are(core, store):
    replies = await core.rejected(in_channel(), company="Acme", outcome="ghosted")
    text = text_of(replies)
    assert '"ghosted"' in text and "rejected, declined" in text
    assert await store.people.find("test", "alex") is None or await latest(store) is None


async def test_sharing_a_declined_offer_never_says_no(core):
    replies = await core.declined(in_channel(), company="Acme", feeling=4)
    ask = await core.press(in_channel(), action(replies, "share:ask"))
    posted = await core.press(in_channel(), action(ask, "share:named"))
    post = next(r for r in posted if not r.private).text.plain()
    assert post.startswith("Alex turned down an offer")
    assert "no" not in post.lower().split() and "Acme" not in post


async def test_the_follow_up_after_declining_is_a_thank_you_for_the_offer(core):
    replies = await core.declined(in_channel(), company="Acme", role="Analyst")
    draft = text_of(await core.press(in_channel(), action(replies, "followup:new")))
    assert "Thank-you after declining an offer" in draft
    assert "offer" in draft and "won't be moving forward" not in draft


async def test_a_reflection_on_a_declined_offer_names_it_and_asks_nothing_of_a_rejection(
    core, content
):
    replies = await core.declined(in_channel())
    first = await core.press(in_channel(), action(replies, "reflect:start"))
    header = [r for r in first if r.title is not None][-1].title.plain()
    assert header.startswith("Reflection on the offer you turned down · 1 of ")
    assumes = {
        p.ask.render({}).plain(): p.assumes
        for theme in content.themes.values()
        for p in theme.prompts
    }
    asked = []
    for _ in range(4):
        shown = [r for r in first if r.title and r.title.plain().startswith("Reflection on")]
        if not shown:
            break
        asked.append(shown[-1].text.plain())
        first = await core.dm_text(in_dm(), "I wanted a team that ships every week, not every year")
    assert asked
    for text in asked:
        question = next((q for q in assumes if q and q in text), None)
        assert question is not None, text
        assert assumes[question] is None, question


def test_declined_is_a_command_with_the_options_of_a_rejection_but_stage():
    declined = commands.COMMANDS["declined"]
    assert declined.option_names() == ["company", "role", "feeling", "note"]
    assert commands.parse_invocation("/declined company:Acme feeling:4") == (
        "declined",
        None,
        {"company": "Acme", "feeling": "4"},
    )


async def test_a_bare_declined_needs_nothing_more_while_a_bare_rejected_asks_the_stage(core, store):
    replies = await core.declined(in_channel())
    assert replies[0].title.plain() == "Logged: you declined an offer"
    assert (await latest(store)).outcome == "declined"
    asked = text_of(await core.rejected(in_channel()))
    assert "Logged" not in asked


async def test_a_declined_offer_is_not_counted_as_a_no_in_insights_or_the_ledger(core, store):
    await core.declined(in_channel(), company="Acme")
    await core.rejected(in_channel(), company="Initech", stage="screen")
    me = await store.people.find("test", "alex")
    window = (START - timedelta(days=1), START + timedelta(days=1))
    counts = await store.ledger.counts(me.id, *window)
    assert counts.nos == 1
    tally = await store.community_stages.stages(1, *window)
    assert tally.by_stage == (("screen", 1),)
    for company in ("Globex", "Hooli"):
        await core.applied(in_channel(), company=company)
    shown = text_of(await core.insights(in_channel()))
    assert "1 no (1 screening)" in shown and "2 no's" not in shown
