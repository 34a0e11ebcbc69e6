"""TRANSITION: today's flat store API (store.ensure_person, store.atomic, Tx) over the new one.

bot/core.py, bot/app.py, the adapters, the benchmark and many tests still call the store the
way they did when it was one module. This layer keeps them working, unchanged, while the use
cases move to bot/usecases/ and to the unit-of-work API (`async with store.unit() as u:`).
When nothing calls these names any more, delete this module and let `bot.store.Store` name
the interface's Store protocol (see bot/store/__init__.py).

- `Store` is the SQLite store plus the flat async methods: each one is the same statement
  function its repository runs (`store.ensure_person` is `store.people.ensure`), in one hop.
- `Tx` is the flat synchronous form for functions that run on the connection's thread
  (`store.run(fn, ...)`, `store.transaction(fn, ...)`): core.py's `_log_rejection` keeps
  `/rejected` in one hop with group commit that way until it becomes a use case.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, Concatenate, ParamSpec, TypeVar

from bot.store.records import ts
from bot.store.sqlite import (
    accounts,
    boards,
    checkins,
    community,
    conversations,
    digests,
    effort,
    followups,
    people,
    reflections,
    rejections,
    reminders,
    state,
)
from bot.store.sqlite.sql import Conn, atomic, hop
from bot.store.sqlite.store import SqliteStore, integrity_check

R = TypeVar("R")
P = ParamSpec("P")


def _on_conn(fn: Callable[Concatenate[Conn, P], R]) -> Callable[Concatenate[Tx, P], R]:
    """A statement function as a method of Tx, on Tx's connection."""

    @functools.wraps(fn)
    def method(self: Tx, *args: P.args, **kwargs: P.kwargs) -> R:
        return fn(self.conn, *args, **kwargs)

    return method


class Tx:
    """TRANSITION: every statement, synchronous, on the connection's thread (see module doc)."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    atomic = _on_conn(atomic)
    ensure_person = _on_conn(people.ensure_person)
    find_person = _on_conn(people.find_person)
    person_by_id = _on_conn(people.person_by_id)
    people_by_id = _on_conn(people.people_by_id)
    update_person = _on_conn(people.update_person)
    note_dm_failure = _on_conn(people.note_dm_failure)
    clear_dm_failures = _on_conn(people.clear_dm_failures)
    ensure_membership = _on_conn(people.ensure_membership)
    set_leaderboard = _on_conn(people.set_leaderboard)
    set_shoutouts = _on_conn(people.set_shoutouts)
    shoutouts_on = _on_conn(people.shoutouts_on)
    on_leaderboard = _on_conn(people.on_leaderboard)
    community_timezone_for = _on_conn(people.community_timezone_for)
    add_rejection = _on_conn(rejections.add_rejection)
    rejection = _on_conn(rejections.rejection)
    latest_rejection = _on_conn(rejections.latest_rejection)
    start_reflection = _on_conn(reflections.start_reflection)
    reflection = _on_conn(reflections.reflection)
    open_reflection = _on_conn(reflections.open_reflection)
    record_answer = _on_conn(reflections.record_answer)
    set_reflection_status = _on_conn(reflections.set_reflection_status)
    answers = _on_conn(reflections.answers)
    set_next_step = _on_conn(reflections.set_next_step)
    mark_next_step_done = _on_conn(reflections.mark_next_step_done)
    recent_reflections = _on_conn(reflections.recent_reflections)
    reflection_started_for = _on_conn(reflections.reflection_started_for)
    conversation = _on_conn(conversations.conversation)
    set_conversation = _on_conn(conversations.set_conversation)
    used_messages = _on_conn(conversations.used_messages)
    use_message = _on_conn(conversations.use_message)
    add_checkin = _on_conn(checkins.add_checkin)
    set_checkin_note = _on_conn(checkins.set_checkin_note)
    count_checkins = _on_conn(checkins.count_checkins)
    add_followup = _on_conn(followups.add_followup)
    followup = _on_conn(followups.followup)
    pending_followups = _on_conn(followups.pending_followups)
    set_followup = _on_conn(followups.set_followup)
    schedule_reminder = _on_conn(reminders.schedule_reminder)
    schedule_many = _on_conn(reminders.schedule_many)
    close_reminder = _on_conn(reminders.close_reminder)
    reminders_for = _on_conn(reminders.reminders_for)
    reminder = _on_conn(reminders.reminder)
    reminder_by_key = _on_conn(reminders.reminder_by_key)
    claim_due = _on_conn(reminders.claim_due)
    finish_reminder = _on_conn(reminders.finish_reminder)
    retry_reminder = _on_conn(reminders.retry_reminder)
    mark_reminder = _on_conn(reminders.mark_reminder)
    next_due = _on_conn(reminders.next_due)
    release_claims = _on_conn(reminders.release_claims)
    cancel_reminders = _on_conn(reminders.cancel_reminders)
    reminder_counts = _on_conn(reminders.reminder_counts)
    add_activity = _on_conn(effort.add_activity)
    streak = _on_conn(effort.streak)
    save_streak = _on_conn(effort.save_streak)
    timezones_in_use = _on_conn(effort.timezones_in_use)
    stale_streaks = _on_conn(effort.stale_streaks)
    add_period_points = _on_conn(effort.add_period_points)
    activity_since = _on_conn(effort.activity_since)
    record_milestone = _on_conn(effort.record_milestone)
    board = _on_conn(boards.board)
    community_ref = _on_conn(community.community_ref)
    community_setting = _on_conn(community.community_setting)
    community_settings = _on_conn(community.community_settings)
    set_community_setting = _on_conn(community.set_community_setting)
    clear_community_setting = _on_conn(community.clear_community_setting)
    log_admin_change = _on_conn(community.log_admin_change)
    digest_communities = _on_conn(digests.digest_communities)
    claim_digest = _on_conn(digests.claim_digest)
    finish_digest = _on_conn(digests.finish_digest)
    community_totals = _on_conn(digests.community_totals)
    people_on_streak = _on_conn(digests.people_on_streak)
    shoutout_milestones = _on_conn(digests.shoutout_milestones)
    get_state = _on_conn(state.get_state)
    set_state = _on_conn(state.set_state)
    bump_state = _on_conn(state.bump_state)
    export_person = _on_conn(accounts.export_person)
    forget_person = _on_conn(accounts.forget_person)
    count_rows = _on_conn(accounts.count_rows)
    integrity = _on_conn(integrity_check)


def _as_mapping(record: Any) -> dict[str, Any]:
    """A record as the row it used to be: the same keys, times as stored text."""
    return {
        key: ts(value) if isinstance(value, datetime) else value
        for key, value in dataclasses.asdict(record).items()
    }


class Store(SqliteStore):
    """TRANSITION: the SQLite store with today's flat API (see the module's docstring)."""

    _tx: Tx | None = None

    @property
    def tx(self) -> Tx:
        """The statements on the open connection, for functions run on its thread."""
        conn = self._engine.conn
        if self._tx is None or self._tx.conn is not conn:
            self._tx = Tx(conn)
        return self._tx

    @asynccontextmanager
    async def atomic(self) -> AsyncIterator[None]:
        """Run the block as one transaction: all of it is written, or none of it."""
        async with self._engine.atomic():
            yield

    async def run(
        self, fn: Callable[Concatenate[Tx, P], R], *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """Run fn(tx, ...) on the connection's thread in one hop, inside this task's transaction."""
        return await self._engine.run(fn, self.tx, *args, **kwargs)

    async def transaction(
        self, fn: Callable[Concatenate[Tx, P], R], *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """Run fn(tx, ...) as one transaction in one hop, written with others (group commit)."""
        tx = self.tx
        if self._engine.in_unit:
            return await self._engine.call(fn, tx, *args, **kwargs)
        return await self._writer.submit(lambda: fn(tx, *args, **kwargs))

    async def forget_person(self, person_id: int) -> None:
        """Erase the person and every row about them, then empty the log of their words."""
        await self.accounts.forget(person_id)

    async def reminder_report(self, statuses: Iterable[str], limit: int) -> list[dict[str, Any]]:
        """Reminders in the given states with their person, as rows (see Reminders.report)."""
        return [_as_mapping(line) for line in await self.reminders.report(statuses, limit)]

    async def admin_log(self, community_id: int, limit: int = 50) -> list[dict[str, Any]]:
        """The most recent setting changes, as rows (see Communities.changes)."""
        return [_as_mapping(c) for c in await self.community.changes(community_id, limit)]

    ensure_person = hop(people.ensure_person)
    find_person = hop(people.find_person)
    person_by_id = hop(people.person_by_id)
    people_by_id = hop(people.people_by_id)
    update_person = hop(people.update_person)
    note_dm_failure = hop(people.note_dm_failure)
    clear_dm_failures = hop(people.clear_dm_failures)
    ensure_membership = hop(people.ensure_membership)
    set_leaderboard = hop(people.set_leaderboard)
    set_shoutouts = hop(people.set_shoutouts)
    shoutouts_on = hop(people.shoutouts_on)
    on_leaderboard = hop(people.on_leaderboard)
    community_timezone_for = hop(people.community_timezone_for)
    add_rejection = hop(rejections.add_rejection)
    rejection = hop(rejections.rejection)
    latest_rejection = hop(rejections.latest_rejection)
    start_reflection = hop(reflections.start_reflection)
    reflection = hop(reflections.reflection)
    open_reflection = hop(reflections.open_reflection)
    record_answer = hop(reflections.record_answer)
    set_reflection_status = hop(reflections.set_reflection_status)
    answers = hop(reflections.answers)
    set_next_step = hop(reflections.set_next_step)
    mark_next_step_done = hop(reflections.mark_next_step_done)
    recent_reflections = hop(reflections.recent_reflections)
    reflection_started_for = hop(reflections.reflection_started_for)
    conversation = hop(conversations.conversation)
    set_conversation = hop(conversations.set_conversation)
    used_messages = hop(conversations.used_messages)
    use_message = hop(conversations.use_message)
    add_checkin = hop(checkins.add_checkin)
    set_checkin_note = hop(checkins.set_checkin_note)
    count_checkins = hop(checkins.count_checkins)
    add_followup = hop(followups.add_followup)
    followup = hop(followups.followup)
    pending_followups = hop(followups.pending_followups)
    set_followup = hop(followups.set_followup)
    schedule_reminder = hop(reminders.schedule_reminder)
    schedule_many = hop(reminders.schedule_many)
    close_reminder = hop(reminders.close_reminder)
    reminders_for = hop(reminders.reminders_for)
    reminder = hop(reminders.reminder)
    reminder_by_key = hop(reminders.reminder_by_key)
    claim_due = hop(reminders.claim_due)
    finish_reminder = hop(reminders.finish_reminder)
    retry_reminder = hop(reminders.retry_reminder)
    mark_reminder = hop(reminders.mark_reminder)
    next_due = hop(reminders.next_due)
    release_claims = hop(reminders.release_claims)
    cancel_reminders = hop(reminders.cancel_reminders)
    reminder_counts = hop(reminders.reminder_counts)
    add_activity = hop(effort.add_activity)
    streak = hop(effort.streak)
    save_streak = hop(effort.save_streak)
    timezones_in_use = hop(effort.timezones_in_use)
    stale_streaks = hop(effort.stale_streaks)
    add_period_points = hop(effort.add_period_points)
    activity_since = hop(effort.activity_since)
    record_milestone = hop(effort.record_milestone)
    board = hop(boards.board)
    community_ref = hop(community.community_ref)
    community_setting = hop(community.community_setting)
    community_settings = hop(community.community_settings)
    set_community_setting = hop(community.set_community_setting)
    clear_community_setting = hop(community.clear_community_setting)
    log_admin_change = hop(community.log_admin_change)
    digest_communities = hop(digests.digest_communities)
    claim_digest = hop(digests.claim_digest)
    finish_digest = hop(digests.finish_digest)
    community_totals = hop(digests.community_totals)
    people_on_streak = hop(digests.people_on_streak)
    shoutout_milestones = hop(digests.shoutout_milestones)
    get_state = hop(state.get_state)
    set_state = hop(state.set_state)
    bump_state = hop(state.bump_state)
    export_person = hop(accounts.export_person)
    count_rows = hop(accounts.count_rows)
