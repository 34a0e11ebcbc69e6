"""The terminal adapter: Rebound with no tokens, a simulated clock and scriptable stdin."""

from adapters.console.app import run_console

__all__ = ["run_console"]
