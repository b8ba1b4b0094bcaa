"""Weekly summaries: a person's week and a group's week, in a fixed number of queries."""
