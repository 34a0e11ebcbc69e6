"""The Discord adapter: slash commands, modals, persistent buttons and DMs on discord.py 2.x."""
