"""Rebound's core: use cases, store, wording and time, with no platform imports."""
