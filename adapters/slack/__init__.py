"""The Slack adapter: slash commands, Block Kit, modals, App Home and DMs on slack-bolt."""
