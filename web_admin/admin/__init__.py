"""The admin at /admin: SQLAdmin pages over HabitLink's tables, for the people who run an
instance. Lists and details are read through SQLAdmin; every change (ban, hide, approve, retry,
edit a seed tool) goes through core.admin's services, which check the admin role and write the
audit log in the same transaction. See site.py for how it is put together."""
