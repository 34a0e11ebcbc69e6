"""The store interface of the growth ledger: one Protocol per kind of record.

Written against by bot/usecases/timeline.py and the other growth use cases; implemented in
bot/store/sqlite/ and proven by tests/contract/. See bot/store/interface.py for the rules
every repository follows (plain records, UTC times, owned-row lookups).
"""

from __future__ import annotations

from typing import Protocol

from bot.store.records import Rejection
from bot.store.records_growth import RejectionEdit, TimelinePage


class Timeline(Protocol):
    """A person's rejections as a timeline they can page through, correct and prune."""

    async def page(self, person_id: int, offset: int, limit: int) -> TimelinePage:
        """The person's rejections, newest first, from offset; with the total count."""
        ...

    async def edit(
        self, rejection_id: int, person_id: int, edit: RejectionEdit
    ) -> Rejection | None:
        """Apply edit to the person's rejection; the row as saved, or None when not theirs."""
        ...

    async def delete(self, rejection_id: int, person_id: int) -> bool:
        """Delete the person's rejection; False when there is none of theirs with this id.

        Its reflections, follow-ups and reminders stay (they no longer point at it), and so
        do the points its effort earned.
        """
        ...
