"""Seats as the server resolves them: a player with their team, room and the room's code."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Row, select, update
from sqlalchemy.orm import Session

from game.store.models import (
    ArgumentRecord, Base, ComfortRecord, HelpfulMarkRecord, PlayerRecord, RoomRecord, RoundRecord, VoteRecord,
)

# (player_id, team_id, room_id, room code) of seats still in their room: the fields of play.common.Seat.
_SEATS = (select(PlayerRecord.id, PlayerRecord.team_id, PlayerRecord.room_id, RoomRecord.code)
          .join(RoomRecord, RoomRecord.id == PlayerRecord.room_id).where(PlayerRecord.removed_at.is_(None)))


def seat_with_token_hash(session: Session, token_hash: str) -> Row | None:
    """The seat a (hashed) seat token belongs to; None for an unknown token or a removed seat."""
    return session.execute(_SEATS.where(PlayerRecord.token_hash == token_hash)).first()


def seats_of_players(session: Session, player_ids: Iterable[int]) -> list[Row]:
    """The seats of these players that still exist, in player id order."""
    return list(session.execute(_SEATS.where(PlayerRecord.id.in_(sorted(player_ids))).order_by(PlayerRecord.id)).all())


def give_rows(session: Session, keep_id: int, drop_id: int, team_id: int) -> None:
    """Two seats of one person in one team: the kept seat takes the dropped one's votes, comfort answers
    and helpful marks where it has none of its own (a ballot keeps one vote per player), its arguments
    and turns, and may vote wherever the dropped seat could."""
    _move_rows(session, VoteRecord, keep_id, drop_id, ("round_id", "ballot"))
    _move_rows(session, ComfortRecord, keep_id, drop_id, ("round_id",))
    _move_rows(session, HelpfulMarkRecord, keep_id, drop_id, ("argument_id",))
    session.execute(update(ArgumentRecord).where(ArgumentRecord.player_id == drop_id).values(player_id=keep_id))
    session.execute(update(RoundRecord).where(RoundRecord.turn_player_id == drop_id).values(turn_player_id=keep_id))
    for rnd in session.scalars(select(RoundRecord).where(RoundRecord.team_id == team_id)):
        if rnd.voter_ids and drop_id in rnd.voter_ids and keep_id not in rnd.voter_ids:
            rnd.voter_ids = [*rnd.voter_ids, keep_id]


def _move_rows(session: Session, model: type[Base], keep_id: int, drop_id: int, key: tuple[str, ...]) -> None:
    """Give `drop_id`'s rows to `keep_id`, except where `keep_id` already has a row with the same key."""
    kept = {tuple(getattr(r, k) for k in key) for r in session.scalars(select(model).where(model.player_id == keep_id))}
    for row in session.scalars(select(model).where(model.player_id == drop_id)):
        if tuple(getattr(row, k) for k in key) not in kept:
            row.player_id = keep_id
