"""What happened: the domain events a use case returns, sent on by game/live/broadcast.py after the commit.

An event says what changed in the game, not where it goes: which socket events and channels follow from
it (team tablets, dashboards, big screens) is decided in one place, game/live/broadcast.py, for socket
handlers and HTTP routes alike. A team's event carries the team's snapshot as read in the transaction;
its view is drawn from it once, by whoever asks first (after the commit: the transaction stays short).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from game.rules.phases import Phase
from game.rules.turns import TeamState
from game.rules.views import TeamSnapshot, team_view, voted_view


@dataclass(frozen=True, eq=False)
class TeamEvent:
    """A team changed: every viewer of the team needs its new state."""

    snapshot: TeamSnapshot

    @property
    def team_id(self) -> int:
        return self.snapshot.team_id

    @property
    def room_code(self) -> str:
        return self.snapshot.room_code

    @functools.cached_property
    def view(self) -> dict:
        """The team view every seat of the team receives (votes stay hidden until the reveal: game/rules/views.py)."""
        return team_view(self.snapshot)


@dataclass(frozen=True, eq=False)
class PhaseChanged(TeamEvent):
    """A card was drawn or skipped, the second vote or the decision started, a decision passed the turn."""

    @property
    def phase(self) -> Phase:
        return self.snapshot.state.phase


@dataclass(frozen=True, eq=False)
class BallotRevealed(TeamEvent):
    """A ballot closed (last vote, the turn player, the timer, or the last absent tablet): its distribution shows."""


@dataclass(frozen=True, eq=False)
class TimerStopped(TeamEvent):
    """A vote's timer ran out with nobody having voted: the timer is gone, the turn player decides."""


@dataclass(frozen=True, eq=False)
class ArgumentPosted(TeamEvent):
    """An argument was posted (or sent again: nothing new, the sender's tablet gets the state anyway)."""


@dataclass(frozen=True, eq=False)
class HelpfulMarked(TeamEvent):
    """A player found another player's argument helpful."""


@dataclass(frozen=True, eq=False)
class ComfortRated(TeamEvent):
    """'Can you live with it?' answered; `counts` is the team's count for the dashboard (never who answered what)."""

    counts: dict


@dataclass(frozen=True, eq=False)
class SeatTaken(TeamEvent):
    """A player joined the team, or continued a seat on another device."""

    player_id: int


@dataclass(frozen=True, eq=False)
class SeatClaimed(SeatTaken):
    """A seated player continued on another device: the seat's old device must stop using it."""


@dataclass(frozen=True, eq=False)
class PresenceChanged(TeamEvent):
    """A tablet of the team connected or went away: the team sees who is there."""


@dataclass(frozen=True, eq=False)
class RoomChanged(TeamEvent):
    """A room-wide change (pause, lock, message, settings, the end) as it reaches one team of the room."""


@dataclass(frozen=True, eq=False)
class TeamChanged(TeamEvent):
    """The team's seats changed (a player moved in or out, two seats merged)."""


@dataclass(frozen=True, eq=False)
class VoteCast:
    """A vote that did not complete the ballot: only who has voted changed (never what). The hottest
    event of the game: no snapshot is read for it, the state read for the rule says who voted."""

    team_id: int
    room_code: str
    version: int
    state: TeamState
    voter_ids: frozenset[int]

    @functools.cached_property
    def view(self) -> dict:
        return voted_view(self.team_id, self.version, self.state, self.voter_ids)


@dataclass(frozen=True)
class PlayerMoved:
    """The facilitator seated a player in another team; the player's tablet must rejoin."""

    player_id: int
    from_team_id: int
    to_team_id: int


@dataclass(frozen=True)
class PlayerRemoved:
    """A seat was removed (by the facilitator, or merged into another seat of the same person)."""

    player_id: int
    team_id: int


@dataclass(frozen=True)
class DilemmaSubmitted:
    """A player brought in a dilemma; `new` is how many the room's facilitator has not reviewed yet."""

    room_code: str
    new: int


@dataclass(frozen=True)
class RoomDeleted:
    """A room and all its data were deleted; its tablets must forget their seats."""

    room_code: str
    team_ids: tuple[int, ...]


@dataclass(frozen=True)
class ScreenLinkRenewed:
    """The big-screen link was revoked (a new one made): open screens of the room must stop."""

    room_code: str


Event = TeamEvent | VoteCast | PlayerMoved | PlayerRemoved | DilemmaSubmitted | RoomDeleted | ScreenLinkRenewed
