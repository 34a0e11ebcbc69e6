"""What a use case hands back, and how it becomes the replies a person reads.

A use case returns an Outcome: its replies, the care it calls for and the missed DMs it
found, as values. `run` orders them (care first, or alone; a missed-DM notice before the
reply) and turns any failure into a kind, private reply: never a traceback.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Concatenate, ParamSpec

from bot.models import Reply, Text
from bot.store.errors import StoreBusy, StoreFull
from bot.usecases.care import Care, support_reply
from bot.usecases.kit import Kit, Me, Missed
from bot.vocab import UserError

logger = logging.getLogger(__name__)
P = ParamSpec("P")


@dataclass(frozen=True, slots=True)
class Outcome:
    """A use case's replies, the care to offer with them, and the DMs the person missed."""

    replies: Sequence[Reply]
    care: Care | None = None
    missed: Missed | None = None

    @classmethod
    def of(cls, me: Me, replies: Sequence[Reply], care: Care | None = None) -> Outcome:
        """The replies for a person, with the missed DMs found while serving them."""
        return cls(replies, care, me.missed)


async def deliver(kit: Kit, outcome: Outcome) -> list[Reply]:
    """The replies in the order a person reads them: care first (or alone), then notices."""
    care, missed = outcome.care, outcome.missed
    if care is not None and care.alone:
        # Care comes alone: no reframe, acknowledgement, streak line or buttons. What was
        # typed is kept; a notice about missed DMs waits for the next reply.
        if missed is not None:
            try:
                await kit.store.people.note_dm_failure(
                    missed.person_id, "not yet told", count=missed.count
                )
            except Exception as exc:  # nothing may stand between a person and support
                logger.error("could not keep a missed-DM notice: %s", type(exc).__name__)
        return [support_reply(kit, care)]
    replies = list(outcome.replies)
    if missed is not None:
        # The person missed reminders because DMs did not reach them: say so, privately.
        notice = kit.msg("reminder.dm_failed", count=missed.count)
        replies = [kit.private(notice), *replies]
    if care is not None:
        # A gentle check comes first, privately, before anything else in the reply.
        replies = [support_reply(kit, care), *replies]
    return replies


async def run(
    kit: Kit,
    handler: Callable[Concatenate[Kit, P], Awaitable[Outcome]],
    *args: P.args,
    **kwargs: P.kwargs,
) -> list[Reply]:
    """Run a use case and deliver its Outcome; any failure becomes a kind, private reply."""
    name = getattr(handler, "__name__", "use case")
    try:
        return await deliver(kit, await handler(kit, *args, **kwargs))
    except UserError as exc:
        return [kit.private(kit.msg(exc.key, **exc.values))]
    except StoreBusy as exc:
        logger.warning("database busy in %s: %s", name, exc)
        return [kit.private(kit.msg("error.storage_busy"))]
    except StoreFull as exc:
        logger.error("database full in %s: %s", name, exc)
        return [kit.private(kit.msg("error.storage_full"))]
    except Exception as exc:
        ref = uuid.uuid4().hex[:8]
        logger.error("unexpected error in %s (ref %s)", name, ref, exc_info=exc)
        return [kit.private(kit.msg("error.unexpected", ref=Text.of(ref)))]
