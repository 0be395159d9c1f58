"""Phase timers as rules: what entering a phase starts, what a pause keeps, what a timer that ran out does.

Pure: the clock is an argument (`now`), never read here. The use cases store what these return."""
from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from game.rules.phases import BALLOT, Phase
from game.rules.settings import RoomSettings
from game.rules.turns import TeamState


def timer_seconds(phase: Phase, settings: RoomSettings) -> int | None:
    """The room's timer for a phase: the vote (first and second) and the discussion may have one."""
    if phase in (Phase.VOTE, Phase.REVOTE):
        return settings.vote_seconds
    if phase is Phase.DISCUSS:
        return settings.discuss_seconds
    return None


@dataclass(frozen=True)
class PhaseEntered:
    """The result of a move that changes the phase: the new phase, since when, and until when (its timer)."""

    phase: Phase
    started_at: dt.datetime
    deadline_at: dt.datetime | None

    def as_columns(self) -> dict[str, object]:
        """As the team row stores it."""
        return {"phase": self.phase.value, "phase_started_at": self.started_at, "deadline_at": self.deadline_at}


def enter(phase: Phase, settings: RoomSettings, now: dt.datetime) -> PhaseEntered:
    """Enter `phase` at `now`, starting its timer if the room has one for it (0 or None: no timer)."""
    seconds = timer_seconds(phase, settings)
    return PhaseEntered(phase, now, now + dt.timedelta(seconds=seconds) if seconds else None)


def remaining_at_pause(deadline_at: dt.datetime | None, now: dt.datetime) -> float | None:
    """Pausing keeps what is left of a running timer (never less than nothing); None: no timer ran."""
    return None if deadline_at is None else max(0.0, (deadline_at - now).total_seconds())


def deadline_at_resume(remaining: float | None, now: dt.datetime) -> dt.datetime | None:
    """Resuming continues a timer where the pause stopped it."""
    return None if remaining is None else now + dt.timedelta(seconds=remaining)


class Expiry(enum.Enum):
    """What a phase timer does when a process looks at it."""

    NOT_DUE = "not_due"            # no timer, or it has time left
    ON_HOLD = "on_hold"            # the room is paused or has ended: the timer waits
    GUIDE_ONLY = "guide_only"      # a discussion timer is only a guide: it goes, nothing closes
    NOBODY_VOTED = "nobody_voted"  # the vote stays open: the turn player or facilitator decides; the timer goes
    CLOSE_VOTE = "close_vote"      # the vote closes with whoever voted


def is_due(deadline_at: dt.datetime | None, now: dt.datetime) -> bool:
    """A timer runs and has no time left at `now`."""
    return deadline_at is not None and deadline_at <= now


def on_timer(state: TeamState, deadline_at: dt.datetime | None, now: dt.datetime) -> Expiry:
    """What the team's timer does at `now`."""
    if not is_due(deadline_at, now):
        return Expiry.NOT_DUE
    if state.paused or not state.room_open:
        return Expiry.ON_HOLD
    if state.phase not in BALLOT:
        return Expiry.GUIDE_ONLY
    if not state.voter_ids:
        return Expiry.NOBODY_VOTED
    return Expiry.CLOSE_VOTE
