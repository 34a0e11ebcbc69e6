"""Numbers typed far too long are refused kindly, with the echo clipped, never a traceback."""

import pytest

from bot import commands
from tests.conftest import in_channel, text_of

HUGE = "9" * 5000


@pytest.mark.parametrize(
    ("name", "sub", "options"),
    [
        ("followup", "sent", {"id": HUGE}),
        ("followup", "sent", {"id": "12345678901234567890"}),
        ("checkin", None, {"mood": HUGE}),
        ("rejected", None, {"feeling": HUGE}),
    ],
)
async def test_a_huge_number_is_refused_with_a_short_echo(core, name, sub, options):
    replies = await commands.run(core, in_channel(), name, sub, options)
    text = text_of(replies)
    assert "reference" not in text.lower()  # not the unexpected-error reply
    assert "number" in text.lower() or "1 to 5" in text or "between" in text.lower()
    assert len(text) < 400


async def test_a_huge_number_in_a_button_is_an_unknown_button(core):
    replies = await core.press(in_channel(), f"followup:sent:{HUGE}")
    assert "reference" not in text_of(replies).lower()
    assert len(text_of(replies)) < 400


async def test_settings_check_in_days_with_a_huge_number_are_refused(core):
    replies = await core.settings(in_channel(), checkins=HUGE)
    assert "reference" not in text_of(replies).lower()
    assert len(text_of(replies)) < 400
