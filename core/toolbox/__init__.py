"""The Toolbox: habit techniques with their evidence, seeded from data/seed.json."""
