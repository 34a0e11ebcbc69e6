"""Fixtures the reminder tests share: a messenger that records, and the engine that uses it."""

import pytest

from bot.reminders import ReminderEngine
from tests.integration.test_reminders import RecordingMessenger


@pytest.fixture
def messenger() -> RecordingMessenger:
    return RecordingMessenger()


@pytest.fixture
def engine(store, core, clock, messenger) -> ReminderEngine:
    engine = ReminderEngine(store, core, clock)
    engine.register("test", messenger)
    return engine
