"""Phase timers as rules: entering a phase, pausing and resuming, and what a timer that ran out does."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from game.rules import phase_timers
from game.rules.phase_timers import Expiry
from game.rules.phases import Phase
from game.rules.settings import RoomSettings
from game.rules.turns import TeamState

NOW = dt.datetime(2026, 12, 4, 10, 0, 0)
TIMED = RoomSettings(vote_seconds=90, discuss_seconds=300)


@pytest.mark.parametrize(("phase", "seconds"), [(Phase.VOTE, 90), (Phase.REVOTE, 90), (Phase.DISCUSS, 300)])
def test_entering_a_timed_phase_starts_its_timer(phase: Phase, seconds: int):
    entered = phase_timers.enter(phase, TIMED, NOW)
    assert entered.started_at == NOW and entered.deadline_at == NOW + dt.timedelta(seconds=seconds)
    assert entered.as_columns() == {"phase": phase.value, "phase_started_at": NOW, "deadline_at": entered.deadline_at}


@pytest.mark.parametrize("phase", [Phase.DRAW, Phase.DECIDE, Phase.FINISHED])
def test_phases_without_a_timer_have_no_deadline(phase: Phase):
    assert phase_timers.enter(phase, TIMED, NOW).deadline_at is None


def test_a_room_without_timers_starts_none():
    assert phase_timers.enter(Phase.VOTE, RoomSettings(), NOW).deadline_at is None
    assert phase_timers.enter(Phase.VOTE, RoomSettings(vote_seconds=0), NOW).deadline_at is None


def test_a_pause_keeps_what_is_left_and_a_resume_continues_from_there():
    remaining = phase_timers.remaining_at_pause(NOW + dt.timedelta(seconds=42), NOW)
    assert remaining == 42.0
    later = NOW + dt.timedelta(hours=1)
    assert phase_timers.deadline_at_resume(remaining, later) == later + dt.timedelta(seconds=42)


def test_a_timer_past_its_deadline_keeps_nothing_and_no_timer_stays_none():
    assert phase_timers.remaining_at_pause(NOW - dt.timedelta(seconds=5), NOW) == 0.0
    assert phase_timers.remaining_at_pause(None, NOW) is None
    assert phase_timers.deadline_at_resume(None, NOW) is None


def _state(phase: Phase = Phase.VOTE, voters: frozenset[int] = frozenset({1}), **changes: object) -> TeamState:
    state = TeamState(room_open=True, phase=phase, player_ids=(1, 2, 3), rounds_done=0, cards_total=3, round_number=1,
                      turn_player_id=1, voter_ids=voters)
    return dataclasses.replace(state, **changes)


def test_a_timer_with_time_left_is_not_due():
    assert not phase_timers.is_due(NOW + dt.timedelta(seconds=1), NOW)
    assert not phase_timers.is_due(None, NOW)
    assert phase_timers.on_timer(_state(), NOW + dt.timedelta(seconds=1), NOW) is Expiry.NOT_DUE


def test_a_vote_timer_that_ran_out_closes_the_vote_with_whoever_voted():
    assert phase_timers.is_due(NOW, NOW)
    assert phase_timers.on_timer(_state(), NOW, NOW) is Expiry.CLOSE_VOTE
    assert phase_timers.on_timer(_state(Phase.REVOTE), NOW, NOW) is Expiry.CLOSE_VOTE


def test_a_vote_timer_with_nobody_voted_leaves_the_vote_open():
    assert phase_timers.on_timer(_state(voters=frozenset()), NOW, NOW) is Expiry.NOBODY_VOTED


def test_a_discussion_timer_is_only_a_guide():
    assert phase_timers.on_timer(_state(Phase.DISCUSS), NOW, NOW) is Expiry.GUIDE_ONLY


@pytest.mark.parametrize("changes", [{"paused": True}, {"room_open": False}])
def test_a_paused_or_ended_room_holds_its_timers(changes: dict):
    assert phase_timers.on_timer(_state(**changes), NOW, NOW) is Expiry.ON_HOLD
