"""Reminders at a person's local time, and when they are next due."""
