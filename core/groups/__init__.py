"""Accountability groups: the chats they live in, members and roles."""
