"""Issue 14, Words: the wording after a follow-up, in drafts and on steady days."""

from __future__ import annotations

from bot.content import Content
from bot.core import Rebound
from tests.conftest import action, in_channel, text_of


async def test_the_line_after_a_sent_followup_varies_and_has_no_buzzword(core: Rebound) -> None:
    lines = []
    for contact in ("Dana", "Sam", "Priya"):
        planned = await core.followup_add(in_channel(), contact=contact, company="Acme")
        sent = await core.press(in_channel(), action(planned, "followup:sent"))
        lines.append(text_of(sent).split("\n")[0])
    assert all("superpower" not in line for line in lines)
    assert lines[0] != lines[1] and lines[1] != lines[2]


def test_stay_in_touch_drafts_greet_by_first_name_and_leave_room_for_an_update(
    content: Content,
) -> None:
    for draft in content.drafts["stay_in_touch"].texts:
        text = draft.render(name="Alex", contact="Priya Raman", first_name="Priya").plain()
        assert text.startswith("Hi Priya,"), text
        assert "[" in text and "]" in text, "no slot for the person's own update"


async def test_a_draft_greets_the_contact_by_first_name(core: Rebound) -> None:
    replies = await core.followup_add(
        in_channel(), contact="Priya Raman", company="Initech", kind="stay_in_touch"
    )
    assert "Hi Priya," in text_of(replies)


def test_screening_drafts_assume_nothing_about_the_call(content: Content) -> None:
    assumptions = ("enjoyed", "clearly you explained", "what the team needs", "valued")
    for draft in content.drafts["thank_you_screen"].texts:
        text = draft.render(name="Alex").plain().lower()
        assert not any(a in text for a in assumptions), text


def test_good_days_are_not_earned_and_steadiness_is_not_a_duty(content: Content) -> None:
    everything = [t.source for pool in content.encouragement.values() for t in pool]
    everything += [t.source for pool in content.checkin_responses.values() for t in pool]
    assert not any("earned a good day" in s for s in everything)
    assert not any("sharing that steadiness" in s for s in everything)
