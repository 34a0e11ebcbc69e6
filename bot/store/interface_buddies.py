"""The store interface, part three: practice buddies (who is in the pool, rounds, blocks).

Kept apart from interface.py and interface_shared.py so the buddies' records can be read,
and proved by tests/contract/test_buddies.py, in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol

from bot.store.records import BuddyMember, BuddySeat, PastRound


class BuddyMembers(Protocol):
    """Who opted in to practice buddies in a community, their focus and whether they paused."""

    async def join(self, person_id: int, community_id: int, focus: str, now: datetime) -> bool:
        """Opt in (or change focus, and come back from a pause); True when newly joined."""
        ...

    async def leave(self, person_id: int, community_id: int) -> bool:
        """Opt out; False when the person was not in the pool."""
        ...

    async def get(self, person_id: int, community_id: int) -> BuddyMember | None:
        """The person's place in the community's pool, or None when they are not in it."""
        ...

    async def pause(self, person_id: int, community_id: int, until: datetime | None) -> bool:
        """Pause until a time (None: until they come back themselves); False when not in it."""
        ...

    async def resume(self, person_id: int, community_id: int) -> bool:
        """End a pause and the count of unanswered rounds; False when not in the pool."""
        ...

    async def pool(self, community_id: int, now: datetime) -> list[BuddyMember]:
        """Everyone opted in and not paused at now, with their own timezone, by person id."""
        ...

    async def note_rounds(
        self, community_id: int, answered: Iterable[int], silent: Iterable[int]
    ) -> dict[int, int]:
        """Reset the count of unanswered rounds for answered, add one for silent; new counts."""
        ...

    async def communities(self) -> list[tuple[int, dict[str, str]]]:
        """Communities whose admins turned buddies on, with all their settings."""
        ...


class BuddyRounds(Protocol):
    """Each community's rounds: claimed once, their groups, and what each person answered."""

    async def claim(
        self, community_id: int, round_key: str, now: datetime, lease_until: datetime
    ) -> int | None:
        """Claim a round for matching; its id, or None when it is done or being done."""
        ...

    async def record(
        self, round_id: int, groups: Sequence[Sequence[tuple[int, str]]], now: datetime
    ) -> None:
        """Store a claimed round's groups, each (person id, focus) per seat, and close it."""
        ...

    async def recent(self, community_id: int, limit: int) -> list[PastRound]:
        """The community's last closed rounds, newest first, with their groups."""
        ...

    async def group(self, round_id: int, person_id: int) -> list[BuddySeat]:
        """Everyone in the person's group of a round (themselves too); empty if not in it."""
        ...

    async def latest(self, person_id: int, community_id: int | None) -> int | None:
        """The id of the latest round the person was placed in (in a community, or any)."""
        ...

    async def answer(self, round_id: int, person_id: int, answer: str, now: datetime) -> bool:
        """Record how the round went for the person (met, missed, another); False if unseated."""
        ...

    async def credit(self, round_id: int, person_id: int, now: datetime) -> bool:
        """Mark the person's meeting as counted as effort; False when it already was."""
        ...

    async def round_of(self, round_id: int) -> tuple[int, str] | None:
        """A round's community id and key, or None."""
        ...


class BuddyBlocks(Protocol):
    """Pairs that must never be formed again, because one of them said so."""

    async def block(self, person_id: int, other_id: int, now: datetime) -> None:
        """Never pair person with other again (kept once)."""
        ...

    async def among(self, community_id: int) -> set[frozenset[int]]:
        """Every blocked pair whose two people are both in the community's pool."""
        ...
