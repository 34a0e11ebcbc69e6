"""A process that writes a person's words, erases them, and dies before the WAL is emptied.

Usage: python -m tests.integration.erase_worker DB
The erase commits and the process kills itself with SIGKILL at once, as a process killed
between the commit and the checkpoint that follows it would be. The journey is shared with
the in-process erase test, so both look for the same words.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys

from bot.content import load_content
from bot.core import Rebound
from bot.models import CommunityRef, Context, PersonRef, Reply
from bot.ports import FixedClock
from bot.store import Store, open_store
from bot.store.sqlite.accounts import forget_person
from tests.conftest import START

WHO = PersonRef("test", "zq", "Zephyrine Quillfeather")
OTHER = PersonRef("test", "sam", "Sam")
WHERE = CommunityRef("test", "guild-1", "Test Guild")
# Words only this person typed; none of them appears in prompts/ or the schema.
SECRETS = (
    WHO.display_name,
    "Vantablack Widgets",
    "marmalade lighthouse keeper",
    "periwinkle harbour answer",
    "tangerine observatory evening",
    "Ottoline Brackenridge",
    "saffron tramline confession",
    "Quokkaville Analytics",
)


def _button(replies: list[Reply], prefix: str) -> str:
    return next(b.action_id for r in replies for b in r.buttons if b.action_id.startswith(prefix))


async def journey(core: Rebound) -> int:
    """Write every kind of free text a person can leave; return their person id."""
    here = Context(WHO, WHERE, "channel-1")
    logged = await core.rejected(
        here, company=SECRETS[1], stage="final", feeling=3, note=SECRETS[2]
    )
    await core.press(here, _button(logged, "reflect:start"))
    await core.dm_text(Context(WHO), SECRETS[3])
    await core.checkin(here, mood=2, note=SECRETS[4])
    await core.followup_add(here, contact=SECRETS[5])
    await core.applied(here, company=SECRETS[7], source="a cousin's referral")
    await core.leaderboard(here, "join")
    # A day of Write it out, opened as its daily DM opens it, and written in.
    offer = await core.writeitout(here)
    await core.press(here, _button(offer, "write:start:"))
    person = await core.store.people.find(WHO.platform, WHO.user_id)
    assert person is not None
    [day] = [
        r
        for r in await core.store.reminders.for_person(person.id, ["pending"])
        if r.kind == "writing"
    ]
    await core.reminder_delivered(day, person, START)
    await core.dm_text(Context(WHO), SECRETS[6])
    hired = await core.hired(here, company=SECRETS[6], role=SECRETS[2])
    await core.press(here, _button(hired, "hired:help"))
    # Someone else's words stay: the erase is of one person, not of the file.
    await core.rejected(Context(OTHER, WHERE, "channel-1"), company="Other Co", stage="screen")
    person = await core.store.people.find(WHO.platform, WHO.user_id)
    assert person is not None
    return person.id


def make_core(store: Store) -> Rebound:
    """The real core on the store, at a fixed time."""
    return Rebound(
        store, load_content(), FixedClock(START), default_timezone="UTC", rng=random.Random(7)
    )


async def main(db: str) -> None:
    async with open_store(db) as store:
        person_id = await journey(make_core(store))
        # The erase's own statement, committed without the log truncation that
        # Accounts.forget runs after it: the moment this process stands for.
        await store.engine.statement(forget_person, person_id)
        os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
