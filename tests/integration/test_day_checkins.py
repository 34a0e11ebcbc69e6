"""Issue 14 item 12: one check-in a day however many rejections it followed; nudges name the day."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core import Rebound
from bot.ports import FixedClock
from bot.reminders import ReminderEngine
from tests.conftest import in_channel
from tests.integration.test_reminders import RecordingMessenger


async def test_several_rejections_on_one_day_bring_one_checkin_naming_them(
    core: Rebound, engine: ReminderEngine, clock: FixedClock, messenger: RecordingMessenger
) -> None:
    await core.settings(in_channel(), nudges="off")
    for company in ("Acme", "Initech", "Umbrella"):
        await core.rejected(in_channel(), company=company, stage="screen")
    clock.set(datetime(2026, 11, 28, 15, 0, tzinfo=UTC))  # Saturday, two days on
    await engine.tick()
    assert [t for t in messenger.titles() if t == "Checking in"] == ["Checking in"]
    text = messenger.sent[0][1].text.plain()
    assert "Acme" in text and "Initech" in text and "Umbrella" in text
    assert "Thursday" in text


async def test_a_snoozed_nudge_names_the_day_not_yesterday(
    core: Rebound, engine: ReminderEngine, clock: FixedClock, messenger: RecordingMessenger
) -> None:
    await core.rejected(in_channel(), company="Acme", stage="final")  # Thursday
    clock.set(datetime(2026, 11, 27, 10, 0, tzinfo=UTC))
    await engine.tick()
    [(_, nudge, _)] = messenger.sent
    assert nudge.text.plain().startswith("Yesterday you logged a no from Acme")
    tomorrow = next(b.action_id for b in nudge.buttons if b.action_id.endswith(":24"))
    await core.press(in_channel(), tomorrow)
    clock.set(datetime(2026, 11, 28, 10, 0, tzinfo=UTC))
    await engine.tick()
    again = messenger.sent[-1][1].text.plain()
    assert "Yesterday" not in again and again.startswith("On Thursday you logged a no from Acme")


async def test_the_check_in_and_nudge_after_a_declined_offer_never_call_it_a_no(
    core: Rebound, engine: ReminderEngine, clock: FixedClock, messenger: RecordingMessenger
) -> None:
    await core.declined(in_channel(), company="Acme")  # Thursday
    clock.set(datetime(2026, 11, 27, 10, 0, tzinfo=UTC))
    await engine.tick()
    [(_, nudge, _)] = messenger.sent
    assert nudge.text.plain().startswith("Yesterday you turned down an offer from Acme.")
    clock.set(datetime(2026, 11, 28, 15, 0, tzinfo=UTC))  # Saturday: the first check-in
    await engine.tick()
    checkin = messenger.sent[-1][1]
    assert checkin.title.plain() == "Checking in"
    assert checkin.text.plain().startswith("On Thursday you turned down an offer from Acme.")
    assert all("a no" not in r.text.plain() for _, r, _ in messenger.sent)
