"""Discord: discord.py slash commands, persistent buttons and reactions; a channel is a group."""
