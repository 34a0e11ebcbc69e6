"""The ledger's counts against an independent tally, over random months of a person's history."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest

from bot.store.records_growth import LedgerCounts
from bot.vocab import STAGES
from tests.conftest import action, in_channel, in_dm, text_of

WORDS = {
    "replied": "replied",
    "referral": "referral",
    "interview": "interview",
    "noreply": "no_reply",
}


def _month(moment: datetime) -> tuple[int, int]:
    return moment.year, moment.month


def _bounds(year: int, month: int) -> tuple[datetime, datetime]:
    start = datetime(year, month, 1, tzinfo=UTC)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
    return start, end


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_the_ledger_counts_what_happened_each_month(core, store, clock, seed):
    rng = random.Random(seed)
    tally: dict[tuple[int, int], Counter[str]] = defaultdict(Counter)
    worked: dict[tuple[int, int], set[int]] = defaultdict(set)
    sent: list[int] = []
    gaps: list[int] = []
    made = 0
    ctx = in_channel()
    for n in range(70):
        month = _month(clock.now())
        kind = rng.choice(
            ["rejected", "applied", "followup", "outcome", "skill", "confident", "step"]
        )
        if kind == "rejected":
            await core.rejected(ctx, company=f"Co {n}", stage=rng.choice(STAGES))
            tally[month]["nos"] += 1
        elif kind == "applied":
            await core.applied(ctx, company=f"Co {n}")
            tally[month]["applications"] += 1
        elif kind == "followup":
            replies = await core.followup_add(ctx, contact=f"Person {n}")
            pressed = action(replies, "followup:sent")
            await core.press(ctx, pressed)
            sent.append(int(pressed.rsplit(":", 1)[1]))
            tally[month]["followups_sent"] += 1
        elif kind == "outcome" and sent:
            word = rng.choice(sorted(WORDS))
            await core.press(in_dm(), f"outcome:{word}:{sent.pop(rng.randrange(len(sent)))}")
            tally[month][WORDS[word]] += 1
        elif kind == "skill":
            await core.skills_add(ctx, name=f"skill number {n}")
            made += 1
            gap_id = made  # gaps are numbered in the order they are made
            gaps.append(gap_id)
            worked[month].add(gap_id)
        elif kind == "confident" and gaps:
            await core.skills_mark(ctx, id=gaps.pop(rng.randrange(len(gaps))))
            tally[month]["skills_closed"] += 1
        elif kind == "step" and gaps:
            gap_id = rng.choice(gaps)
            added = await core.skills_step(ctx, id=gap_id, text=f"step {n}", when_text="tomorrow")
            assert "Step added" in added[0].text.plain()
            me = await store.people.find("test", "alex")
            views = await store.skills.all(me.id)
            step_id = max(s.id for v in views for s in v.steps)
            worked[month].add(gap_id)
            if rng.random() < 0.5:
                await core.press(in_dm(), f"skill:done:{step_id}")
                tally[month]["steps_done"] += 1
        clock.advance(timedelta(hours=rng.randint(1, 120)))

    me = await store.people.find("test", "alex")
    assert len(tally) >= 3  # the history spans several months
    for month in sorted(set(tally) | set(worked)):
        expected = LedgerCounts(**tally[month], skills_worked=len(worked[month]))
        assert await store.ledger.counts(me.id, *_bounds(*month)) == expected, month


async def test_a_month_with_a_reflection_and_no_rejection_still_brings_its_review(
    core, clock, engine, messenger
):
    clock.set(datetime(2026, 12, 2, 12, 0, tzinfo=UTC))
    # A general reflection, written through: no rejection or application this month.
    await core.reflect(in_channel())
    for _ in range(4):
        await core.dm_text(in_dm(), "I keep coming back to how much I liked the mentoring part")
    clock.set(datetime(2027, 1, 4, 10, 0, tzinfo=UTC))  # the first Monday after December
    await engine.tick()
    assert "Your ledger for December 2026" in messenger.titles()
    review = next(r for _, r, _ in messenger.sent if r.title.plain().startswith("Your ledger"))
    # The review offers the five-day writing program, and its button opens the offer.
    offered = await core.press(in_dm(), action([review], "write:offer"))
    assert "five days" in text_of(offered).lower()
