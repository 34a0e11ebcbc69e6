"""The store's own exceptions: what callers catch, whichever database is underneath."""

from __future__ import annotations


class StoreError(Exception):
    """The database could not do what was asked (locked, full, corrupt, refused)."""


class EngineError(StoreError):
    """The database engine failed or refused a statement; the message is the engine's own."""


class StoreBusy(EngineError):
    """Another writer held the database for longer than the busy timeout: try again soon."""


class StoreFull(EngineError):
    """The disk (or the database's size limit) is full: nothing more can be written."""
