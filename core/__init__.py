"""HabitLink's platform-neutral domain: models, services, the clock and the storage ports.

Nothing in this package imports a chat platform or a web framework.
"""
