"""Discord: discord.py slash commands, views and channels as groups (planned; not built yet)."""
