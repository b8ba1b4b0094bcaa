"""The web part: the JSON API of HabitLink (email/password accounts, habits, groups, proofs,
learnings) on the same core services as the chat commands; the admin pages come later.

It depends on bot/ and core/ like the chat adapters do, never the other way round: `habitlink
web` reaches it through the "habitlink.web" entry point.
"""
