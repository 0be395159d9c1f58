"""Use cases for a team's round: draw, vote (twice), argue, decide, and the phase timers.

Each reads as: transaction -> lock and load (game/store) -> rule (game/rules) -> save -> outcome."""
from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import Row
from sqlalchemy.orm import Session

from game.play.common import Outcome, Seat, retried
from game.play.events import (
    ArgumentPosted, BallotRevealed, ComfortRated, HelpfulMarked, PhaseChanged, TeamEvent, TimerStopped, VoteCast,
)
from game.rules import phase_timers
from game.rules import turns as rules
from game.rules.errors import RuleViolation
from game.rules.phase_timers import Expiry
from game.rules.phases import AFTER_VOTE, BALLOT, Phase
from game.rules.settings import RoomSettings
from game.rules.turns import Action, Actor, TeamState
from game.rules.views import seat_view
from game.store import rounds
from game.store.comfort import comfort_of_teams, record_comfort
from game.store.db import Database
from game.store.models import TeamRecord, utcnow
from game.store.snapshots import load_snapshot, load_team_state
from game.store.teams import lock_team_row, save_team, teams_due

Online = frozenset[int]


def outcome(session: Session, team: TeamRecord | Row, online: Online, player_id: int | None, happened: type[TeamEvent],
            **reply: object) -> Outcome:
    """Re-read the team after the change: what `happened`, with the team's snapshot, and the sender's reply."""
    snap = load_snapshot(session, team, online)  # flushes, and reads the team's row afresh
    if player_id is not None:
        reply["seat"] = seat_view(snap, player_id)
    return Outcome(reply={"ok": True, **reply}, events=[happened(snap)])


def enter_phase(session: Session, team: TeamRecord | Row, phase: Phase, settings: RoomSettings, now: dt.datetime,
                **changes: object) -> None:
    """Move the team to `phase` as the rules say entering it goes (its timer, if the room has one)."""
    save_team(session, team, **phase_timers.enter(phase, settings, now).as_columns(), **changes)


def with_presence(state: TeamState, online: Online, actor: Actor) -> TeamState:
    """The state with who is online, when that is known: the actor's own tablet is among it (a facilitator
    or timer acting without a tablet leaves presence unknown). The rules need it to count the ballot and
    to let a present player stand in for an absent turn player."""
    if actor.player_id is not None and actor.player_id in online:
        return dataclasses.replace(state, present_ids=frozenset(online))
    return state


def draw(session: Session, team: TeamRecord | Row, actor: Actor, round_number: int, online: Online) -> Outcome:
    state, _ = load_team_state(session, team)
    state = with_presence(state, online, actor)
    phase = rules.draw_card(state, actor, round_number)
    rounds.start_round(session, team.id, team.room_id, round_number, state.next_turn_player(), list(state.player_ids))
    enter_phase(session, team, phase, state.settings, utcnow())
    return outcome(session, team, online, actor.player_id, PhaseChanged)


def reveal(session: Session, team: TeamRecord | Row, state: TeamState, rnd: Row, phase: Phase) -> None:
    """Close the current ballot: its distribution becomes visible to the whole team at once."""
    now = utcnow()
    rounds.mark_revealed(session, rnd.id, 1 if state.phase is Phase.VOTE else 2, now)
    enter_phase(session, team, phase, state.settings, now)


def close(session: Session, team: TeamRecord | Row, actor: Actor, round_number: int, online: Online) -> Outcome:
    state, rnd = load_team_state(session, team)
    state = with_presence(state, online, actor)
    phase = rules.close_vote(state, actor, round_number)
    reveal(session, team, state, rnd, phase)
    return outcome(session, team, online, actor.player_id, BallotRevealed)


def start_revote(session: Session, team: TeamRecord | Row, actor: Actor, round_number: int, online: Online) -> Outcome:
    state, _ = load_team_state(session, team)
    state = with_presence(state, online, actor)
    enter_phase(session, team, rules.start_revote(state, actor, round_number), state.settings, utcnow())
    return outcome(session, team, online, actor.player_id, PhaseChanged)


def start_decision_move(session: Session, team: TeamRecord | Row, actor: Actor, round_number: int, online: Online) -> Outcome:
    state, _ = load_team_state(session, team)
    state = with_presence(state, online, actor)
    enter_phase(session, team, rules.start_decision(state, actor, round_number), state.settings, utcnow())
    return outcome(session, team, online, actor.player_id, PhaseChanged)


def skip(session: Session, team: TeamRecord | Row, actor: Actor, round_number: int, online: Online) -> Outcome:
    state, rnd = load_team_state(session, team)
    phase = rules.skip_card(state, actor, round_number)
    rounds.mark_skipped(session, rnd.id)
    enter_phase(session, team, phase, state.settings, utcnow(), rounds_done=team.rounds_done + 1)
    return outcome(session, team, online, actor.player_id, PhaseChanged)


# The moves a turn player sends and the facilitator may make for a team, by name.
TEAM_MOVES = {"draw_card": draw, "close_vote": close, "start_revote": start_revote,
              "start_decision": start_decision_move, "skip_card": skip}


@retried
def player_move(db: Database, seat: Seat, move: str, round_number: int, online: Online = frozenset()) -> Outcome:
    """A turn player's move: draw_card, close_vote, start_revote or start_decision."""
    with db.transaction() as session:
        return TEAM_MOVES[move](session, lock_team_row(session, seat.team_id), Actor(player_id=seat.player_id), round_number, online)


def draw_card(db: Database, seat: Seat, round_number: int, online: Online = frozenset()) -> Outcome:
    """The turn player draws the next card; voting opens for the whole team."""
    return player_move(db, seat, "draw_card", round_number, online)


def close_vote(db: Database, seat: Seat, round_number: int, online: Online = frozenset()) -> Outcome:
    """The turn player closes the vote with whoever has voted; the distribution is revealed."""
    return player_move(db, seat, "close_vote", round_number, online)


def start_decision(db: Database, seat: Seat, round_number: int, online: Online = frozenset()) -> Outcome:
    """The turn player ends the discussion: the team records its decision next."""
    return player_move(db, seat, "start_decision", round_number, online)


@retried
def cast_vote(db: Database, seat: Seat, round_number: int, choice: int, online: Online = frozenset(),
              prediction: int | None = None) -> Outcome:
    """A private vote (changeable until the reveal); the last vote of the ballot reveals them all."""
    def vote(session: Session) -> Outcome:
        team = lock_team_row(session, seat.team_id)
        state, rnd = load_team_state(session, team)
        state = with_presence(state, online, Actor(player_id=seat.player_id))
        complete = rules.cast_vote(state, Actor(player_id=seat.player_id), round_number, choice, prediction)
        ballot = BALLOT[state.phase]
        # The state's voter_ids are this ballot's voters, read under the team lock: a first vote or a change.
        rounds.record_vote(session, rnd.id, seat.player_id, ballot, choice, prediction, changed=seat.player_id in state.voter_ids)
        if complete:
            reveal(session, team, state, rnd, AFTER_VOTE[state.phase])
            return outcome(session, team, online, seat.player_id, BallotRevealed, revealed=True)
        save_team(session, team)
        # Nothing else changed: no snapshot, no full view. The tablet already shows its own choice
        # (the ack confirms it); the team learns who has voted (not what) from a small `voted` event.
        voters = state.voter_ids | {seat.player_id}
        mine = {"round": round_number, "ballot": ballot, "choice": choice}
        if prediction is not None:
            mine["prediction"] = prediction
        return Outcome(reply={"ok": True, "revealed": False, "vote": mine},
                       events=[VoteCast(team.id, seat.room_code, team.version + 1, state, voters)])
    return db.grouped(seat.team_id, vote)  # votes arriving together: one COMMIT (game/store/group_commit.py)


@retried
def post_argument(
    db: Database, seat: Seat, round_number: int, stance: int | str | None, text: str, client_id: str,
    online: Online = frozenset(),
) -> Outcome:
    """A short argument for an option (or for/against a statement); a resent one counts once."""
    with db.transaction() as session:
        team = lock_team_row(session, seat.team_id)
        state, rnd = load_team_state(session, team)
        clean = rules.post_argument(state, Actor(player_id=seat.player_id), round_number, stance, text)
        existing = rounds.argument_with_client_id(session, rnd.id, client_id)
        if existing is not None:
            if existing.player_id != seat.player_id:
                raise RuleViolation("argument/duplicate_id", "This argument id has already been used.")
            return outcome(session, team, online, seat.player_id, ArgumentPosted, duplicate=True)
        rounds.add_argument(session, rnd.id, seat.player_id, client_id, stance, clean)
        save_team(session, team)
        return outcome(session, team, online, seat.player_id, ArgumentPosted)


@retried
def mark_helpful(db: Database, seat: Seat, round_number: int, argument_id: int, online: Online = frozenset()) -> Outcome:
    """A player taps 'helpful' on another player's argument (once; a second tap changes nothing)."""
    with db.transaction() as session:
        team = lock_team_row(session, seat.team_id)
        state, rnd = load_team_state(session, team)
        argument = rounds.argument_in_round(session, argument_id, rnd.id if rnd is not None else None)
        rules.mark_helpful(state, Actor(player_id=seat.player_id), round_number, argument.player_id)
        rounds.add_helpful_mark(session, argument_id, seat.player_id)
        save_team(session, team)
        return outcome(session, team, online, seat.player_id, HelpfulMarked)


@retried
def record_decision(
    db: Database, seat: Seat, round_number: int, position: int | None, rationale: str,
    action: Action | None, today: dt.date, online: Online = frozenset(),
) -> Outcome:
    """The turn player records the shared position; the turn passes to the next player."""
    with db.transaction() as session:
        team = lock_team_row(session, seat.team_id)
        state, rnd = load_team_state(session, team)
        state = with_presence(state, online, Actor(player_id=seat.player_id))
        phase = rules.record_decision(state, Actor(player_id=seat.player_id), round_number, position, rationale, action,
                                      rounds.room_roles(session, team.room_id), today)
        rounds.add_decision(session, rnd.id, seat.player_id, position, " ".join(rationale.split()),
                            action.what.strip() if action else None, action.owner if action else None,
                            action.due if action else None)
        enter_phase(session, team, phase, state.settings, utcnow(), rounds_done=team.rounds_done + 1)
        return outcome(session, team, online, seat.player_id, PhaseChanged)


@retried
def rate_comfort(db: Database, seat: Seat, round_number: int, score: int, online: Online = frozenset()) -> Outcome:
    """'Can you live with it?': a private answer on the decision just recorded (changeable)."""
    def rate(session: Session) -> Outcome:
        team = lock_team_row(session, seat.team_id)
        state, _ = load_team_state(session, team)
        rules.check_comfort(state, Actor(player_id=seat.player_id), round_number, score)
        record_comfort(session, team.id, round_number, seat.player_id, score)
        save_team(session, team)
        snap = load_snapshot(session, team, online)
        # The dashboard's flag: how many can hardly live with it (a count; the team never sees it).
        return Outcome(reply={"ok": True, "seat": seat_view(snap, seat.player_id)},
                       events=[ComfortRated(snap, comfort_of_teams(session, [team.id])[0])])
    return db.grouped(seat.team_id, rate)  # a team rates together after its decision: one COMMIT


@retried
def expire_vote(db: Database, team_id: int, now: dt.datetime, online: Online = frozenset()) -> Outcome | None:
    """A vote timer ran out: the vote closes with whoever voted (once, whichever process gets here first)."""
    with db.transaction() as session:
        team = lock_team_row(session, team_id)
        if not phase_timers.is_due(team.deadline_at, now):
            return None
        state, rnd = load_team_state(session, team)
        expiry = phase_timers.on_timer(state, team.deadline_at, now)
        if expiry is Expiry.ON_HOLD:
            return None
        if expiry is not Expiry.CLOSE_VOTE:
            save_team(session, team, deadline_at=None)
            # A discussion timer is only a guide; with nobody voted the turn player or facilitator decides.
            return outcome(session, team, online, None, TimerStopped) if expiry is Expiry.NOBODY_VOTED else None
        reveal(session, team, state, rnd, rules.close_vote(state, Actor(is_facilitator=True), state.round_number))
        return outcome(session, team, online, None, BallotRevealed)


@retried
def reveal_if_complete(db: Database, team_id: int, online: Online) -> Outcome | None:
    """A tablet went away: if everyone still present has voted, the ballot is complete (the same rule as
    the last vote's). Without this the team would wait for a vote that is not coming (issue 16)."""
    with db.transaction() as session:
        team = lock_team_row(session, team_id)
        state, rnd = load_team_state(session, team)
        if state.phase not in BALLOT or not state.room_open or state.paused or not state.voter_ids or not online:
            return None
        state = dataclasses.replace(state, present_ids=frozenset(online))
        if not state.voters_needed() <= state.voter_ids:
            return None
        reveal(session, team, state, rnd, AFTER_VOTE[state.phase])
        return outcome(session, team, online, None, BallotRevealed, revealed=True)


def due_timers(db: Database, now: dt.datetime) -> list[int]:
    """Teams whose phase timer has run out."""
    with db.transaction() as session:
        return teams_due(session, now)
