"""All of Rebound's user-facing wording, as TOML data."""
