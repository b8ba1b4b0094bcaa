"""What a merge of two users did: moved, combined and dropped, for the reply that explains it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RenamedHabit:
    old_title: str
    new_title: str


@dataclass(frozen=True)
class SharedGroup:
    """A group both users were in: one membership now, with the role kept."""

    name: str
    role: str


@dataclass
class MergeReport:
    """What moved from the absorbed user to the survivor, what was combined and what dropped."""

    survivor_id: int
    absorbed_id: int
    identities: int = 0
    habits: int = 0
    renamed: list[RenamedHabit] = field(default_factory=list)
    checkins: int = 0
    reminders: int = 0
    groups: list[str] = field(default_factory=list)  # names of groups joined by moving
    shared_groups: list[SharedGroup] = field(default_factory=list)  # both were members
    groups_owned: int = 0  # groups whose owner is now the survivor
    proofs: int = 0
    learnings: int = 0
    chat_messages: int = 0
    likes: int = 0  # likes given by the absorbed user, now the survivor's
    likes_combined: int = 0  # both had liked the same message: kept once
    own_likes_dropped: int = 0  # likes of what is now the survivor's own message
    recounted_messages: list[int] = field(default_factory=list)
    trusts: int = 0  # in either direction
    trusts_combined: int = 0
    self_trusts_dropped: int = 0  # a trust between the two users
    tools: int = 0
    timezone_taken: str | None = None
    profile_taken: list[str] = field(default_factory=list)  # "email", "photo", "lifebook", ...
    goals_left_out: list[str] = field(default_factory=list)  # absorbed goals over the limit
    # the absorbed user's email when the survivor had its own: that address signs in no more
    email_dropped: str | None = None
    reminders_replanned: int = 0  # planned again in the survivor's time zone
    other: dict[str, int] = field(default_factory=dict)  # "table.column" -> rows moved as is

    @property
    def moved_anything(self) -> bool:
        return any(
            (
                self.habits,
                self.groups,
                self.shared_groups,
                self.proofs,
                self.learnings,
                self.chat_messages,
                self.likes,
                self.likes_combined,
                self.own_likes_dropped,
                self.trusts,
                self.trusts_combined,
                self.self_trusts_dropped,
                self.tools,
            )
        )
