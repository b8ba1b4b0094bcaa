"""The habit domain: schedules, check-ins, the weekly tracker and habit statistics."""
