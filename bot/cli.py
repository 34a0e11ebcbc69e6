"""`rebound run | console | migrate | backup | copy | reminders | discord`: the command line."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot import logs
from bot.app import build
from bot.config import DATABASE_SCHEMES, ConfigError, Settings, hide_password, load_settings
from bot.content import ContentError
from bot.store import SCHEMA_VERSION, EngineError, StoreError, open_store, ts

REPORT_STATUSES = ("pending", "sending", "failed", "undeliverable")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rebound", description="Rebound: turn job rejections into reflection and resilience."
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot (the terminal adapter when no platform is configured)")
    sub.add_parser("console", help="talk to Rebound in this terminal")
    sub.add_parser("migrate", help="bring the database schema up to date and exit")
    backup = sub.add_parser(
        "backup", help="copy the database consistently, even while Rebound runs"
    )
    backup.add_argument("path", help="where to write the copy (must not exist yet)")
    copy = sub.add_parser(
        "copy", help="copy the SQLite database (REBOUND_DB_PATH) into an empty PostgreSQL one"
    )
    copy.add_argument("--to", required=True, metavar="URL", help="postgresql://... (empty)")
    discord_cli = sub.add_parser("discord", help="Discord set-up helpers")
    discord_cli.add_argument("action", choices=("sync", "invite-url"))
    reminders = sub.add_parser(
        "reminders", help="list pending, failed and undeliverable reminders (nothing is dropped)"
    )
    reminders.add_argument(
        "--status",
        action="append",
        choices=(*REPORT_STATUSES, "sent", "cancelled", "muted", "skipped", "done"),
        help="only these states (repeatable); default: pending, sending, failed and undeliverable",
    )
    reminders.add_argument("--limit", type=int, default=200, help="at most this many rows")
    return parser


async def _reminders(settings: Settings, statuses: list[str], limit: int) -> list[str]:
    async with open_store(settings.database) as store:
        rows = await store.reminders.report(statuses, limit)
        counts = await store.reminders.counts(statuses)
    lines = [f"{'id':>6}  {'status':<13} {'due (UTC)':<20} {'kind':<10} {'person':<28} error"]
    for row in rows:
        who = f"{row.platform}:{row.user_id} ({row.display_name})"
        lines.append(
            f"{row.id:>6}  {row.status:<13} {ts(row.due_at):<20} {row.kind:<10}"
            f" {who[:28]:<28} {row.last_error or ''}"
        )
    lines.append(f"Showing {len(rows)} of {sum(counts.values())} reminders.")
    lines.append(", ".join(f"{n} {s}" for s, n in counts.items()))
    return lines


async def _migrate(settings: Settings) -> str:
    async with open_store(settings.database) as store:
        version = await store.schema_version()
    return f"{settings.database_name}: schema version {version} (current {SCHEMA_VERSION})"


async def _backup(settings: Settings, target: Path) -> int:
    async with open_store(settings.database) as store:
        await store.backup(target)
    async with open_store(target) as copy:
        check = await copy.integrity()
    print(f"Backed up {settings.database_name} to {target} (integrity: {check}).")
    return 0 if check == "ok" else 1


async def _copy(settings: Settings, url: str) -> int:
    from bot.store.postgres import PostgresStore
    from bot.store.postgres.copy import copy_database
    from bot.store.sqlite import SqliteStore

    target_name = hide_password(url)
    async with SqliteStore(settings.db_path) as source:
        try:
            async with PostgresStore(url) as target:
                counts = await copy_database(source, target)
        except EngineError as exc:
            print(f"rebound: cannot use the database at {target_name}: {exc}", file=sys.stderr)
            return 2
    print(f"Copied {settings.db_path} into {target_name}:")
    for table, have, got in counts:
        print(f"  {table:<22} {have:>9,} rows  {got:>9,} in PostgreSQL")
    print(f"All {len(counts)} tables match.")
    return 0


def _discord(settings: Settings, action: str) -> int:
    if not settings.discord_token:
        print("rebound: DISCORD_TOKEN is not set; put the bot token in .env first", file=sys.stderr)
        return 2
    from adapters.discord.client import invite_url, sync_only

    if action == "invite-url":
        try:
            print(invite_url(settings.discord_token))
        except ValueError as exc:
            print(f"rebound: {exc}", file=sys.stderr)
            return 2
        return 0

    async def sync() -> None:
        async with build(settings, schedule=False) as app:
            await sync_only(app, settings)

    asyncio.run(sync())
    print("Discord commands synced.")
    return 0


async def _run_platforms(settings: Settings) -> int:
    """Run every platform whose token is set, side by side on one core, until SIGTERM/SIGINT."""
    async with build(settings, handle_signals=True) as app:
        runs = []
        if settings.discord_token:
            from adapters.discord.client import run_discord

            runs.append(asyncio.create_task(run_discord(app, settings)))
        if settings.slack_bot_token:
            from adapters.slack.app import run_slack

            runs.append(asyncio.create_task(run_slack(app, settings)))
        try:
            done, _ = await asyncio.wait(runs, return_when=asyncio.FIRST_EXCEPTION)
        finally:
            # A platform that failed (a refused token) stops the others too, each closing
            # cleanly rather than being cancelled.
            app.stop.set()
            await asyncio.gather(*runs, return_exceptions=True)
        for run in done:
            run.result()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `rebound` console script; returns the exit status."""
    args = _parser().parse_args(argv)
    command = args.command or "run"
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"rebound: {exc}", file=sys.stderr)
        return 2
    logs.configure(settings.log_level_number)
    # Imported here so `rebound migrate` and a settings error never load an adapter.
    from adapters.console import run_console

    try:
        if command == "migrate":
            print(asyncio.run(_migrate(settings)))
            return 0
        if command == "backup":
            target = Path(args.path)
            # lexists: a dangling link at the name counts as taken (the store refuses it too).
            if os.path.lexists(target):
                print(f"rebound: {target} already exists; choose a new file name", file=sys.stderr)
                return 2
            return asyncio.run(_backup(settings, target))
        if command == "copy":
            if not args.to.startswith(DATABASE_SCHEMES):
                print(
                    f"rebound: --to must be a postgresql:// URL, not {args.to!r}", file=sys.stderr
                )
                return 2
            return asyncio.run(_copy(settings, args.to))
        if command == "reminders":
            statuses = args.status or list(REPORT_STATUSES)
            print("\n".join(asyncio.run(_reminders(settings, statuses, args.limit))))
            return 0
        if command == "discord":
            return _discord(settings, args.action)
        if command == "run" and (settings.discord_token or settings.slack_bot_token):
            return asyncio.run(_run_platforms(settings))
        return asyncio.run(run_console(settings, platform_hint=command == "run"))
    except EngineError as exc:
        # The database itself refused (locked, full, unreachable, not a database): say which.
        where = settings.database_name
        print(f"rebound: cannot use the database at {where}: {exc}", file=sys.stderr)
        return 2
    except (ConfigError, ContentError, StoreError) as exc:
        print(f"rebound: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
