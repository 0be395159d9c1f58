"""A round's rows: the card drawn, the votes, the reveal or skip, arguments, helpful marks and the decision."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session

from game.rules.errors import RuleViolation
from game.store.models import (
    ArgumentRecord, DecisionRecord, HelpfulMarkRecord, RoomCardRecord, RoomRecord, RoundRecord, VoteRecord, utcnow,
)

_VOTES, _ROUNDS = VoteRecord.__table__, RoundRecord.__table__
# Core statements built once: one vote is the hottest write of the game and these are compiled once
# and cached, with the values coming with each execution (no per-vote cache-key walk, docs/benchmarks.md).
_INSERT_VOTE = insert(_VOTES)
_UPDATE_VOTE = _VOTES.update().where(_VOTES.c.round_id == bindparam("b_round_id"), _VOTES.c.player_id == bindparam("b_player_id"),
                                     _VOTES.c.ballot == bindparam("b_ballot"))
_UPDATE_ROUND = _ROUNDS.update().where(_ROUNDS.c.id == bindparam("b_id"))
# Which column records the reveal of each ballot (the report times the discussion from them).
_REVEALED_AT = {1: "revealed_at", 2: "revote_revealed_at"}


def start_round(session: Session, team_id: int, room_id: int, number: int, turn_player_id: int | None,
                voter_ids: list[int]) -> None:
    """The round for the room's card at `number`, with its turn player and who may vote on it."""
    card = session.scalar(select(RoomCardRecord).where(RoomCardRecord.room_id == room_id, RoomCardRecord.position == number))
    session.add(RoundRecord(team_id=team_id, number=number, room_card_id=card.id, turn_player_id=turn_player_id,
                            voter_ids=voter_ids))


def record_vote(session: Session, round_id: int, player_id: int, ballot: int, choice: int, prediction: int | None,
                changed: bool) -> None:
    """Insert the player's vote on this ballot, or change it (`changed`: the player has voted already,
    as read under the team lock). A changed vote keeps its earlier prediction unless a new one comes."""
    if not changed:
        session.execute(_INSERT_VOTE, {"round_id": round_id, "player_id": player_id, "ballot": ballot,
                                       "choice": choice, "prediction": prediction})
        return
    values: dict[str, object] = {"choice": choice, "cast_at": utcnow()}
    if prediction is not None:
        values["prediction"] = prediction
    session.execute(_UPDATE_VOTE, {"b_round_id": round_id, "b_player_id": player_id, "b_ballot": ballot, **values})


def mark_revealed(session: Session, round_id: int, ballot: int, at: dt.datetime) -> None:
    """The ballot's distribution became visible to the team at `at`."""
    session.execute(_UPDATE_ROUND, {"b_id": round_id, _REVEALED_AT[ballot]: at})


def mark_skipped(session: Session, round_id: int) -> None:
    session.execute(_UPDATE_ROUND, {"b_id": round_id, "skipped": True})


def argument_with_client_id(session: Session, round_id: int, client_id: str) -> ArgumentRecord | None:
    """The argument a tablet already sent with this id (a resend after a lost ack), if any."""
    return session.scalar(select(ArgumentRecord).where(ArgumentRecord.round_id == round_id, ArgumentRecord.client_id == client_id))


def add_argument(session: Session, round_id: int, player_id: int, client_id: str, stance: int | str | None, text: str) -> None:
    session.add(ArgumentRecord(round_id=round_id, player_id=player_id, client_id=client_id, stance=stance_in(stance), text=text))


def argument_in_round(session: Session, argument_id: int, round_id: int | None) -> ArgumentRecord:
    """The argument, if it belongs to the round in play; else `argument/not_found`."""
    argument = session.get(ArgumentRecord, argument_id)
    if argument is None or round_id is None or argument.round_id != round_id:
        raise RuleViolation("argument/not_found", "This argument does not belong to this card.")
    return argument


def add_helpful_mark(session: Session, argument_id: int, player_id: int) -> None:
    """Mark the argument helpful for the player, once (a second tap changes nothing)."""
    exists = session.scalar(select(HelpfulMarkRecord.id).where(
        HelpfulMarkRecord.argument_id == argument_id, HelpfulMarkRecord.player_id == player_id))
    if exists is None:
        session.add(HelpfulMarkRecord(argument_id=argument_id, player_id=player_id))


def add_decision(session: Session, round_id: int, decided_by: int, position: int | None, rationale: str,
                 action_what: str | None, action_owner: str | None, action_due: dt.date | None) -> None:
    session.add(DecisionRecord(round_id=round_id, position=position, rationale=rationale, decided_by=decided_by,
                               action_what=action_what, action_owner=action_owner, action_due=action_due))


def room_roles(session: Session, room_id: int) -> tuple[str, ...]:
    return tuple(session.get(RoomRecord, room_id).roles)


def stance_in(stance: int | str | None) -> str | None:
    """A stance as stored: an option number or 'for'/'against', as text."""
    return None if stance is None else str(stance)


def stance_out(stance: str | None) -> int | str | None:
    return int(stance) if stance is not None and stance.isdigit() else stance
