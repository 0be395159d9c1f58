"""Read a team into the rules' values: TeamState (what a move is judged on) and TeamSnapshot (what views draw on)."""
from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session

from game.decks import card_from_data
from game.rules.cards import CardKind
from game.rules.phases import BALLOT, Phase
from game.rules.points import ArgumentFact, RoundFacts
from game.rules.settings import RoomSettings
from game.rules.turns import TeamState
from game.rules.views import ArgumentInfo, DecisionInfo, SeatInfo, TeamSnapshot
from game.store.comfort import comfort_due
from game.store.models import (
    ArgumentRecord, DecisionRecord, HelpfulMarkRecord, PlayerRecord, RoomCardRecord, RoomRecord, RoundRecord, TeamRecord,
    VoteRecord, utcnow,
)
from game.store.rounds import stance_out

# The snapshot is read once per action (every vote), so it is read with a fixed set of Core
# queries, one per table for the whole team, built once here (their SQL is compiled once and
# cached). See docs/benchmarks.md: the ORM version cost ~17 queries and most of a vote's CPU.
_rooms, _teams, _players = RoomRecord.__table__, TeamRecord.__table__, PlayerRecord.__table__
_rounds, _cards, _votes = RoundRecord.__table__, RoomCardRecord.__table__, VoteRecord.__table__
_arguments, _marks, _decided = ArgumentRecord.__table__, HelpfulMarkRecord.__table__, DecisionRecord.__table__

_Q_ROOM = select(_rooms.c.is_open, _rooms.c.cards_total, _rooms.c.paused, _rooms.c.settings).where(
    _rooms.c.id == bindparam("room_id"))
_Q_TEAM_ROOM = select(
    _teams.c.id, _teams.c.room_id, _teams.c.name, _teams.c.phase, _teams.c.rounds_done, _teams.c.version, _teams.c.deadline_at,
    _teams.c.phase_started_at, _rooms.c.code, _rooms.c.title, _rooms.c.language, _rooms.c.roles, _rooms.c.is_open,
    _rooms.c.cards_total, _rooms.c.paused, _rooms.c.settings, _rooms.c.message,
).join(_rooms, _rooms.c.id == _teams.c.room_id).where(_teams.c.id == bindparam("team_id"))
_Q_PLAYERS = select(_players.c.id, _players.c.display_name, _players.c.role, _players.c.observer).where(
    _players.c.team_id == bindparam("team_id"), _players.c.removed_at.is_(None)).order_by(_players.c.id)
_Q_ROUND_CARD = select(_rounds.c.id, _rounds.c.number, _rounds.c.turn_player_id, _rounds.c.voter_ids, _cards.c.card).join(
    _cards, _cards.c.id == _rounds.c.room_card_id).where(
    _rounds.c.team_id == bindparam("team_id"), _rounds.c.number == bindparam("number"))
_Q_VOTERS = select(_votes.c.player_id).where(_votes.c.round_id == bindparam("round_id"), _votes.c.ballot == bindparam("ballot"))
# Every round of the team with its card and decision (points and the decisions list)...
_Q_TEAM_ROUNDS = select(
    _rounds.c.id, _rounds.c.number, _cards.c.card, _decided.c.id.label("decision_id"), _decided.c.position,
    _decided.c.rationale, _decided.c.action_what, _decided.c.action_owner, _decided.c.action_due, _decided.c.decided_by,
).join(_cards, _cards.c.id == _rounds.c.room_card_id).outerjoin(_decided, _decided.c.round_id == _rounds.c.id).where(
    _rounds.c.team_id == bindparam("team_id")).order_by(_rounds.c.id)
# ... and their votes, arguments and helpful marks (the current round's are among them).
_Q_TEAM_VOTES = select(_votes.c.round_id, _votes.c.ballot, _votes.c.player_id, _votes.c.choice, _votes.c.prediction).join(
    _rounds, _rounds.c.id == _votes.c.round_id).where(_rounds.c.team_id == bindparam("team_id")).order_by(_votes.c.id)
_Q_TEAM_ARGUMENTS = select(_arguments.c.round_id, _arguments.c.id, _arguments.c.player_id, _arguments.c.stance,
                           _arguments.c.text).join(_rounds, _rounds.c.id == _arguments.c.round_id).where(
    _rounds.c.team_id == bindparam("team_id")).order_by(_arguments.c.id)
_Q_TEAM_MARKS = select(_arguments.c.round_id, _marks.c.argument_id, _marks.c.player_id).join(
    _arguments, _arguments.c.id == _marks.c.argument_id).join(_rounds, _rounds.c.id == _arguments.c.round_id).where(
    _rounds.c.team_id == bindparam("team_id")).order_by(_marks.c.id)

# The same for the round in play only (the history above is cached).
_Q_ROUND_VOTES = select(_votes.c.round_id, _votes.c.ballot, _votes.c.player_id, _votes.c.choice, _votes.c.prediction).where(
    _votes.c.round_id == bindparam("round_id")).order_by(_votes.c.id)
_Q_ROUND_ARGUMENTS = select(_arguments.c.round_id, _arguments.c.id, _arguments.c.player_id, _arguments.c.stance,
                            _arguments.c.text).where(_arguments.c.round_id == bindparam("round_id")).order_by(_arguments.c.id)
_Q_ROUND_MARKS = select(_arguments.c.round_id, _marks.c.argument_id, _marks.c.player_id).join(
    _arguments, _arguments.c.id == _marks.c.argument_id).where(_arguments.c.round_id == bindparam("round_id")).order_by(_marks.c.id)


def _in_play(phase: Phase) -> bool:
    return phase not in (Phase.DRAW, Phase.FINISHED)


def _round_in_play(session: Session, team_id: int, phase: Phase, rounds_done: int) -> Row | None:
    """The round in play (a card drawn, not yet decided) with its card, as one joined row: this runs
    for every vote (docs/benchmarks.md)."""
    if not _in_play(phase):
        return None
    return session.execute(_Q_ROUND_CARD, {"team_id": team_id, "number": rounds_done + 1}).one_or_none()


def _team_state(room: Row, phase: Phase, rounds_done: int, players: Sequence[Row], rnd: Row | None,
                voter_ids: frozenset[int]) -> TeamState:
    """The one builder of TeamState from rows: `room` carries is_open, cards_total, paused and settings."""
    return TeamState(
        room_open=room.is_open,
        phase=phase,
        player_ids=tuple(p.id for p in players if not p.observer),
        rounds_done=rounds_done,
        cards_total=room.cards_total,
        round_number=rnd.number if rnd else None,
        card=card_from_data(rnd.card) if rnd else None,
        turn_player_id=rnd.turn_player_id if rnd else None,
        voter_ids=voter_ids,
        eligible_ids=frozenset(rnd.voter_ids) if rnd is not None and rnd.voter_ids is not None else None,
        paused=room.paused,
        settings=RoomSettings.from_dict(room.settings),
    )


def load_team_state(session: Session, team: TeamRecord | Row) -> tuple[TeamState, Row | None]:
    """The pure state the rules judge, plus the round in play as a row (id, number, turn_player_id,
    voter_ids, card): writes to it go through game/store/rounds.py by id. `team` is the row as locked."""
    session.flush()  # Core queries do not autoflush
    phase = Phase(team.phase)
    room = session.execute(_Q_ROOM, {"room_id": team.room_id}).one()
    players = session.execute(_Q_PLAYERS, {"team_id": team.id}).all()
    rnd = _round_in_play(session, team.id, phase, team.rounds_done)
    voter_ids: frozenset[int] = frozenset()
    if rnd is not None:
        voter_ids = frozenset(session.execute(_Q_VOTERS, {"round_id": rnd.id, "ballot": BALLOT.get(phase, 1)}).scalars())
    return _team_state(room, phase, team.rounds_done, players, rnd, voter_ids), rnd


def load_snapshot(session: Session, team: TeamRecord | Row, online: set[int] | frozenset[int] = frozenset(),
                  now: dt.datetime | None = None) -> TeamSnapshot:
    """Everything a view of this team may draw on (the view functions decide what is shown): the
    TeamState plus seats, both ballots' votes, arguments, decisions, points facts and timers.

    Reads the team's row afresh (changes made in this transaction included), so a caller need not
    expire `team` first."""
    session.flush()  # Core queries do not autoflush
    team_id = team.id
    row = session.execute(_Q_TEAM_ROOM, {"team_id": team_id}).one()
    phase = Phase(row.phase)
    players = session.execute(_Q_PLAYERS, {"team_id": team_id}).all()
    rnd = _round_in_play(session, team_id, phase, row.rounds_done)
    history, votes_of, args_of, marks_of = _history_and_current(session, team, row, rnd)

    votes: dict[int, tuple[tuple[int, int, int | None], ...]] = {1: (), 2: ()}
    arguments: tuple[ArgumentInfo, ...] = ()
    if rnd is not None:
        current = votes_of.get(rnd.id, ())
        for ballot in (1, 2):
            votes[ballot] = tuple((v.player_id, v.choice, v.prediction) for v in current if v.ballot == ballot)
        helpful: dict[int, set[int]] = {}
        for m in marks_of.get(rnd.id, ()):
            helpful.setdefault(m.argument_id, set()).add(m.player_id)
        arguments = tuple(
            ArgumentInfo(a.id, a.player_id, stance_out(a.stance), a.text, frozenset(helpful.get(a.id, ())))
            for a in args_of.get(rnd.id, ())
        )
    # The snapshot read every vote of the round anyway: the ballot's voters come from them.
    state = _team_state(row, phase, row.rounds_done, players, rnd, frozenset(pid for pid, _, _ in votes[BALLOT.get(phase, 1)]))
    settings = state.settings
    seats = tuple(SeatInfo(p.id, p.display_name, p.role, p.id in online, p.observer) for p in players)
    now = now or utcnow()
    seconds_left = max(0, int((row.deadline_at - now).total_seconds())) if row.deadline_at else None
    facts = [*history.facts, *_facts([_Undecided(rnd.id, rnd.card)], votes_of, args_of, marks_of)] if rnd else history.facts
    return TeamSnapshot(
        room_code=row.code, room_title=row.title, language=row.language, roles=tuple(row.roles),
        team_id=team_id, team_name=row.name, version=row.version, state=state, seats=seats, votes=votes[1], votes2=votes[2],
        arguments=arguments, decisions=history.decisions,
        message=row.message, seconds_left=seconds_left,
        phase_seconds=int((now - row.phase_started_at).total_seconds()) if row.phase_started_at else None,
        facts=tuple(facts) if settings.points else (), comfort_due=comfort_due(session, team_id, row.rounds_done, settings),
    )


@dataclass(frozen=True)
class _History:
    """A team's rounds up to rounds_done (decided or skipped), as the snapshot uses them."""

    facts: tuple[RoundFacts, ...]
    decisions: tuple[DecisionInfo, ...]


class _Undecided(NamedTuple):
    """The round in play, shaped like a row of _Q_TEAM_ROUNDS for _facts()."""

    id: int
    card: dict
    decided_by: int | None = None
    action_what: str | None = None


# Rounds up to rounds_done never change again, yet every vote's snapshot needs their points facts
# and decisions: read them once per round instead of once per action (docs/benchmarks.md). The key
# includes the database and the room's random code, so a reused team id cannot hit a stale entry.
_HISTORY: OrderedDict[tuple, _History] = OrderedDict()
_HISTORY_LOCK = threading.Lock()
HISTORY_ENTRIES = 4096
_NO_HISTORY = _History((), ())


def _history_and_current(session: Session, team: TeamRecord, row: Row, rnd: Row | None) -> tuple[_History, dict, dict, dict]:
    """The team's history, and the round in play's votes, arguments and marks grouped by round id."""
    if not row.rounds_done:
        return _NO_HISTORY, *_current_rows(session, rnd)
    key = (str(session.get_bind().url), row.code, row.id, row.rounds_done, row.language)
    with _HISTORY_LOCK:
        history = _HISTORY.get(key)
        if history is not None:
            _HISTORY.move_to_end(key)
    if history is not None:
        return history, *_current_rows(session, rnd)
    team_id = row.id
    rounds = session.execute(_Q_TEAM_ROUNDS, {"team_id": team_id}).all()
    votes_of = _by_round(session.execute(_Q_TEAM_VOTES, {"team_id": team_id}).all())
    all_args = session.execute(_Q_TEAM_ARGUMENTS, {"team_id": team_id}).all()
    args_of = _by_round(all_args)
    marks_of = _by_round(session.execute(_Q_TEAM_MARKS, {"team_id": team_id}).all() if all_args else [])
    past = [r for r in rounds if r.number <= row.rounds_done]
    history = _History(tuple(_facts(past, votes_of, args_of, marks_of)), _decisions_of(past, row.language))
    # Only a history this transaction did not change (no decision or skip in it) is known committed.
    if row.rounds_done == team.rounds_done:
        with _HISTORY_LOCK:
            _HISTORY[key] = history
            while len(_HISTORY) > HISTORY_ENTRIES:
                _HISTORY.popitem(last=False)
    return history, votes_of, args_of, marks_of


def _current_rows(session: Session, rnd: Row | None) -> tuple[dict, dict, dict]:
    if rnd is None:
        return {}, {}, {}
    params = {"round_id": rnd.id}
    args = session.execute(_Q_ROUND_ARGUMENTS, params).all()
    return ({rnd.id: session.execute(_Q_ROUND_VOTES, params).all()}, {rnd.id: args},
            {rnd.id: session.execute(_Q_ROUND_MARKS, params).all() if args else []})


def _facts(rounds: list, votes_of: dict, args_of: dict, marks_of: dict) -> list[RoundFacts]:
    """round_facts() from rows already read for the snapshot, grouped by round."""
    result = []
    for r in rounds:
        first = [v for v in votes_of.get(r.id, ()) if v.ballot == 1]
        result.append(RoundFacts(
            kind=CardKind(r.card["kind"]),
            votes={v.player_id: v.choice for v in first},
            predictions={v.player_id: v.prediction for v in first if v.prediction is not None},
            arguments=tuple(ArgumentFact(a.id, a.player_id, stance_out(a.stance)) for a in args_of.get(r.id, ())),
            helpful=tuple((m.argument_id, m.player_id) for m in marks_of.get(r.id, ())),
            decided_by=r.decided_by, with_action=bool(r.action_what),
        ))
    return result


def _by_round(rows) -> dict[int, list]:  # noqa: ANN001
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row.round_id, []).append(row)
    return grouped


def _decisions_of(rounds: list, language: str) -> tuple[DecisionInfo, ...]:
    """The team's decisions in round order, from the rows already read for the snapshot."""
    result = []
    for r in sorted((r for r in rounds if r.decision_id is not None), key=lambda r: r.number):
        card = card_from_data(r.card)
        labels = dict(zip(card.choices(), card.choice_labels(language)))
        result.append(DecisionInfo(
            round_number=r.number, card_title=card.title, position=r.position,
            position_label=labels.get(r.position) if r.position is not None else None,
            rationale=r.rationale, action_what=r.action_what, action_owner=r.action_owner, action_due=r.action_due,
        ))
    return tuple(result)
