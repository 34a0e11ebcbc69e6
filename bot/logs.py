"""Logging set-up: the operator's level for Rebound, and a floor for libraries that echo data."""

from __future__ import annotations

import logging
import sys

logger = logging.getLogger(__name__)

# No free text a person typed may reach a log at any level, but below INFO these libraries log
# what passes through them: aiosqlite every call with its arguments (journal answers, check-in
# notes, contacts), discord.py and websockets every gateway payload and HTTP body, slack_sdk and
# slack_bolt request and response bodies, aiohttp its client and server traffic, asyncio (in
# debug mode) the callbacks it runs with their arguments. They never log below these levels,
# whatever LOG_LEVEL says; there is no switch to lift the floor, on purpose.
FLOORS: dict[str, int] = {
    "aiosqlite": logging.INFO,
    "asyncio": logging.INFO,
    "discord": logging.INFO,
    "websockets": logging.INFO,
    "aiohttp": logging.INFO,
    "slack_bolt": logging.INFO,
    "slack_sdk": logging.INFO,
    "apscheduler": logging.INFO,
    "PIL": logging.INFO,
}


def configure(level: int) -> None:
    """Log to stderr at level, with the libraries in FLOORS never below their floor."""
    logging.basicConfig(
        level=level,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for name, floor in FLOORS.items():
        logging.getLogger(name).setLevel(max(level, floor))
    logger.debug(
        "logging at %s; never below INFO: %s", logging.getLevelName(level), ", ".join(FLOORS)
    )
