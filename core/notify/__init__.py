"""The outbox of notifications (reminders, summaries) and what makes them due."""
