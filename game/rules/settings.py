"""A room's play settings: pacing, which mechanics are on, and phase timers (with their defaults)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields

PACING_TEAM = "team"         # each team plays at its own pace; the turn player drives
PACING_PLENARY = "plenary"   # the facilitator drives all teams in lockstep, same card for everyone
MAX_TIMER_SECONDS = 3600


@dataclass(frozen=True)
class RoomSettings:
    pacing: str = PACING_TEAM
    second_vote: bool = True      # vote again after the discussion: shows where talking moved the group
    predictions: bool = True      # predict the team's majority with your vote
    comfort: bool = False         # "can you live with it?" after each decision
    points: bool = True           # points and badges that reward dialogue
    vote_seconds: int | None = None     # the vote closes with whoever voted when this runs out
    discuss_seconds: int | None = None  # a visible guide for the discussion; nothing closes by itself
    min_group: int = 5            # the privacy gate's minimum group size on every live surface (game/rules/privacy.py)
    team_quorum: int = 2          # players seated before a table may draw its first card (the facilitator can start it by hand)
    # Roles grouped for the report and the dashboard, [{"name": ..., "roles": [...]}]; None: the default
    # grouping (game/rules/role_groups.py), so HR and management reach the minimum group size.
    role_groups: list | None = None

    @classmethod
    def from_dict(cls, data: dict | None) -> RoomSettings:
        """Stored settings -> RoomSettings; unknown keys are ignored, missing ones take defaults."""
        data = data or {}
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def plenary(self) -> bool:
        return self.pacing == PACING_PLENARY
