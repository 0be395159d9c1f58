"""Use cases for a team's round: draw, vote, close the vote, argue, decide."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from game.play.common import Outcome, Seat, retried, save_team
from game.play.snapshots import load_snapshot, load_team_state, stance_in
from game.rules import turns as rules
from game.rules.errors import RuleViolation
from game.rules.phases import Phase
from game.rules.turns import Action, Actor
from game.rules.views import seat_view, team_view
from game.store.db import Database
from game.store.models import (
    ArgumentRecord, DecisionRecord, RoomCardRecord, RoomRecord, RoundRecord, TeamRecord, VoteRecord, utcnow,
)

Online = frozenset[int]


def _team(session: Session, team_id: int) -> TeamRecord:
    """Load the team and lock its row (PostgreSQL): one writer per team at a time, across processes.
    SQLite needs no row lock: BEGIN IMMEDIATE already serialises writers."""
    team = session.get(TeamRecord, team_id, with_for_update=True)
    if team is None:
        raise RuleViolation("team/not_found", "Dit team bestaat niet.")
    return team


def _outcome(session: Session, team: TeamRecord, online: Online, player_id: int | None, **reply: object) -> Outcome:
    """Re-read the team after the change and package the views to send after commit."""
    session.flush()
    session.expire(team)
    snap = load_snapshot(session, team, online)
    if player_id is not None:
        reply["seat"] = seat_view(snap, player_id)
    return Outcome(reply={"ok": True, **reply}, team_views={team.id: team_view(snap)}, room_ids={team.room_id})


@retried
def draw_card(db: Database, seat: Seat, round_number: int, online: Online = frozenset()) -> Outcome:
    """The turn player draws the next card; voting opens for the whole team."""
    with db.transaction() as session:
        return _draw(session, _team(session, seat.team_id), Actor(player_id=seat.player_id), round_number, online)


def _draw(session: Session, team: TeamRecord, actor: Actor, round_number: int, online: Online) -> Outcome:
    state, _ = load_team_state(session, team)
    phase = rules.draw_card(state, actor, round_number)
    card = session.scalar(select(RoomCardRecord).where(RoomCardRecord.room_id == team.room_id, RoomCardRecord.position == round_number))
    session.add(RoundRecord(team_id=team.id, number=round_number, room_card_id=card.id, turn_player_id=state.next_turn_player()))
    save_team(session, team, phase=phase.value)
    return _outcome(session, team, online, actor.player_id)


@retried
def cast_vote(db: Database, seat: Seat, round_number: int, choice: int, online: Online = frozenset()) -> Outcome:
    """A private vote (changeable until the reveal); the last vote of the team reveals them all."""
    with db.transaction() as session:
        team = _team(session, seat.team_id)
        state, rnd = load_team_state(session, team)
        complete = rules.cast_vote(state, Actor(player_id=seat.player_id), round_number, choice)
        vote = session.scalar(select(VoteRecord).where(
            VoteRecord.round_id == rnd.id, VoteRecord.player_id == seat.player_id, VoteRecord.ballot == 1))
        if vote is None:
            session.add(VoteRecord(round_id=rnd.id, player_id=seat.player_id, ballot=1, choice=choice))
        else:
            vote.choice, vote.cast_at = choice, utcnow()
        if complete:
            rnd.revealed_at = utcnow()
            save_team(session, team, phase=Phase.DISCUSS.value)
        else:
            save_team(session, team)
        return _outcome(session, team, online, seat.player_id, revealed=complete)


@retried
def close_vote(db: Database, seat: Seat, round_number: int, online: Online = frozenset()) -> Outcome:
    """The turn player closes the vote with whoever has voted; the distribution is revealed."""
    with db.transaction() as session:
        return _close(session, _team(session, seat.team_id), Actor(player_id=seat.player_id), round_number, online)


def _close(session: Session, team: TeamRecord, actor: Actor, round_number: int, online: Online) -> Outcome:
    state, rnd = load_team_state(session, team)
    phase = rules.close_vote(state, actor, round_number)
    rnd.revealed_at = utcnow()
    save_team(session, team, phase=phase.value)
    return _outcome(session, team, online, actor.player_id)


@retried
def post_argument(
    db: Database, seat: Seat, round_number: int, stance: int | str | None, text: str, client_id: str,
    online: Online = frozenset(),
) -> Outcome:
    """A short argument for an option (or for/against a statement); a resent one counts once."""
    with db.transaction() as session:
        team = _team(session, seat.team_id)
        state, rnd = load_team_state(session, team)
        clean = rules.post_argument(state, Actor(player_id=seat.player_id), round_number, stance, text)
        existing = session.scalar(select(ArgumentRecord).where(ArgumentRecord.round_id == rnd.id, ArgumentRecord.client_id == client_id))
        if existing is not None:
            if existing.player_id != seat.player_id:
                raise RuleViolation("argument/duplicate_id", "Dit argument-id is al gebruikt.")
            return _outcome(session, team, online, seat.player_id, duplicate=True)
        session.add(ArgumentRecord(round_id=rnd.id, player_id=seat.player_id, client_id=client_id, stance=stance_in(stance), text=clean))
        save_team(session, team)
        return _outcome(session, team, online, seat.player_id)


@retried
def start_decision(db: Database, seat: Seat, round_number: int, online: Online = frozenset()) -> Outcome:
    """The turn player ends the discussion: the team records its decision next."""
    with db.transaction() as session:
        return _start_decision(session, _team(session, seat.team_id), Actor(player_id=seat.player_id), round_number, online)


def _start_decision(session: Session, team: TeamRecord, actor: Actor, round_number: int, online: Online) -> Outcome:
    state, _ = load_team_state(session, team)
    phase = rules.start_decision(state, actor, round_number)
    save_team(session, team, phase=phase.value)
    return _outcome(session, team, online, actor.player_id)


@retried
def record_decision(
    db: Database, seat: Seat, round_number: int, position: int | None, rationale: str,
    action: Action | None, today: dt.date, online: Online = frozenset(),
) -> Outcome:
    """The turn player records the shared position; the turn passes to the next player."""
    with db.transaction() as session:
        team = _team(session, seat.team_id)
        state, rnd = load_team_state(session, team)
        room = session.get(RoomRecord, team.room_id)
        phase = rules.record_decision(
            state, Actor(player_id=seat.player_id), round_number, position, rationale, action, tuple(room.roles), today)
        session.add(DecisionRecord(
            round_id=rnd.id, position=position, rationale=" ".join(rationale.split()), decided_by=seat.player_id,
            action_what=action.what.strip() if action else None, action_owner=action.owner if action else None,
            action_due=action.due if action else None,
        ))
        save_team(session, team, phase=phase.value, rounds_done=team.rounds_done + 1)
        return _outcome(session, team, online, seat.player_id)


# The moves a facilitator may make for a team (a turn player whose tablet died).
_FACILITATOR_MOVES: dict[str, Callable[..., Outcome]] = {
    "draw_card": _draw, "close_vote": _close, "start_decision": _start_decision,
}


@retried
def facilitator_move(db: Database, facilitator_id: int, team_id: int, move: str, round_number: int, online: Online = frozenset()) -> Outcome:
    """The room's facilitator draws, closes a vote or starts the decision on a team's behalf."""
    with db.transaction() as session:
        team = _team(session, team_id)
        room = session.get(RoomRecord, team.room_id)
        if room.facilitator_id != facilitator_id:
            raise RuleViolation("room/not_your_room", "Dit is niet jouw sessie.")
        return _FACILITATOR_MOVES[move](session, team, Actor(is_facilitator=True), round_number, online)
