"""Adapters that connect the core to a platform: terminal, Discord, Slack."""
