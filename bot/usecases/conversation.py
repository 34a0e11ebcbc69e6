"""Text a person types to Rebound in DMs: routed to the flow it answers, or a hello."""

from __future__ import annotations

from bot.models import Context, Reply, Where
from bot.usecases import checkins, reflection, skills, writing
from bot.usecases.care import assess, counted
from bot.usecases.kit import Kit, find_me
from bot.usecases.outcome import Outcome
from bot.vocab import UserError


async def dm_text(kit: Kit, ctx: Context, text: str) -> Outcome:
    """A message the person typed to Rebound in DMs: an answer, a next step, or a hello."""
    now = kit.clock.now()
    # Judged before the unit opens: a long text's check must not hold the transaction.
    concern = await assess(kit, text)
    async with kit.store.unit() as u:
        me = await find_me(kit, u, ctx, now)
        care = await counted(kit, u, me, concern)
        conversation = await u.conversations.get(me.id)
        flow = conversation.flow if conversation else None
        ref_id = conversation.ref_id if conversation else None
        try:
            if flow in ("checkin", "checkin_note"):
                replies = await checkins.note_text(kit, u, me, flow, ref_id, text, now)
                return Outcome.of(me, replies, care)
            if flow == "skill_gap" and not (care and care.alone):
                replies = await skills.named_in_dm(kit, u, me, ref_id, text, now)
                return Outcome.of(me, replies, care)
            found = await u.reflections.get(ref_id, me.id) if ref_id is not None else None
            if flow == "reflection" and found and found.status != "finished":
                replies = await reflection.answer_text(kit, u, me, found, text, now, care)
                return Outcome.of(me, replies, care)
            if flow == "next_step" and found and not (care and care.alone):
                replies = await reflection.step_text(kit, u, me, found, text, now)
                return Outcome.of(me, replies, care)
            if flow in (None, *writing.FLOWS):
                # An open day of Write it out takes the text, also once a check-in is done.
                taken = await writing.take(kit, u, me, flow, ref_id, text, now, care)
                if taken is not None:
                    return Outcome.of(me, taken, care)
        except UserError:
            # Too long to keep, but a sign of crisis still gets support, alone.
            if care is not None and care.alone:
                return Outcome.of(me, [], care)
            raise
        if flow is not None:
            # A crisis typed where a next step was asked for is never scheduled back to them.
            await u.conversations.clear(me.id)
    idle = Reply(text=kit.msg("dm.idle", name=ctx.person.display_name), where=Where.DM)
    return Outcome.of(me, [idle], care)
