"""HabitLink's chat layer: every command written once, the composition root, the CLI."""
