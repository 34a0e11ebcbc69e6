"""A test's logging as `rebound` sets it up at LOG_LEVEL=DEBUG, put back as it was afterwards."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot import logs


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Capture every record at DEBUG, with the floors `rebound` puts on chatty libraries."""
    levels = {name: logging.getLogger(name).level for name in logs.FLOORS}
    caplog.set_level(logging.DEBUG)
    logs.configure(logging.DEBUG)
    try:
        yield caplog
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """Every record of the test so far, the set-up's included."""
    return caplog.get_records("setup") + caplog.get_records("call")


def leaked(caplog: pytest.LogCaptureFixture, words: tuple[str, ...]) -> list[str]:
    """The words that reached a log record, message or arguments, at any level."""
    text = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in records(caplog))
    return [word for word in words if word in text]
