"""/hired through the core: private, nothing shared unprompted, choices only on a yes of theirs."""

from __future__ import annotations

from tests.conftest import in_channel, in_dm, text_of


async def test_in_dms_there_is_nothing_to_share_to(core):
    [reply] = await core.hired(in_dm(), company="Initech")
    assert reply.where.value == "private" and reply.attachments
    assert not [b for b in reply.buttons if "hired:named" in b.action_id]
    refused = await core.press(in_dm(), "hired:named:1")
    assert "Sharing works in a community channel" in text_of(refused)


async def test_a_community_without_sharing_offers_no_shout_out(core):
    from bot.models import Context, PersonRef
    from tests.conftest import COMMUNITY

    admin = Context(PersonRef("test", "alex", "Alex"), COMMUNITY, "channel-1", is_admin=True)
    await core.admin(admin, sharing="off")
    [reply] = await core.hired(in_channel(), company="Initech")
    assert not [b for b in reply.buttons if "hired:anon" in b.action_id]
    assert [b.label for b in reply.buttons] == [
        "Pause my reminders",
        "I'd help others",
        "Not right now",
    ]


async def test_someone_elses_yes_cannot_be_shared_or_changed(core, store):
    await core.hired(in_channel("Sam"), company="Hooli")
    refused = await core.press(in_channel(), "hired:named:1")
    assert "can't find" in text_of(refused)
    await core.press(in_channel(), "hired:help:1")
    sam = await store.people.find("test", "sam")
    assert await store.hires.helper(sam.id) is None


async def test_pausing_turns_every_reminder_off(core, store):
    await core.rejected(in_channel(), stage="final")
    [reply] = await core.hired(in_channel())
    await core.press(
        in_channel(), next(b.action_id for b in reply.buttons if "pause" in b.action_id)
    )
    me = await store.people.find("test", "alex")
    assert me.dm_reminders is False
