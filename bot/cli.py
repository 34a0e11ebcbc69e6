"""`rebound run | console | migrate`: the command line."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sqlite3
import sys
from collections.abc import Sequence

from bot.config import ConfigError, Settings, load_settings
from bot.content import ContentError
from bot.store import SCHEMA_VERSION, Store, StoreError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rebound", description="Rebound: turn job rejections into reflection and resilience."
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot (the terminal adapter when no platform is configured)")
    sub.add_parser("console", help="talk to Rebound in this terminal")
    sub.add_parser("migrate", help="bring the database schema up to date and exit")
    return parser


async def _migrate(settings: Settings) -> str:
    async with Store(settings.db_path) as store:
        version = await store.schema_version()
    return f"{settings.db_path}: schema version {version} (current {SCHEMA_VERSION})"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `rebound` console script; returns the exit status."""
    args = _parser().parse_args(argv)
    command = args.command or "run"
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"rebound: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.log_level_number,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # Imported here so `rebound migrate` and a settings error never load an adapter.
    from adapters.console import run_console

    try:
        if command == "migrate":
            print(asyncio.run(_migrate(settings)))
            return 0
        return asyncio.run(run_console(settings, platform_hint=command == "run"))
    except (ContentError, StoreError) as exc:
        print(f"rebound: {exc}", file=sys.stderr)
        return 2
    except sqlite3.Error as exc:
        print(f"rebound: cannot use the database at {settings.db_path}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
