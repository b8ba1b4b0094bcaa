"""The Lifebook: a person's private compass (vision, values, identity, goals, domains)."""

from core.lifebook.model import Goal, Lifebook, Section
from core.lifebook.service import LifebookService, compass_line

__all__ = ["Goal", "Lifebook", "LifebookService", "Section", "compass_line"]
