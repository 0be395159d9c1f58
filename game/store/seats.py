"""Seats as the server resolves them: a player with their team, room and the room's code."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from game.store.models import PlayerRecord, RoomRecord

# (player_id, team_id, room_id, room code) of seats still in their room: the fields of play.common.Seat.
_SEATS = (select(PlayerRecord.id, PlayerRecord.team_id, PlayerRecord.room_id, RoomRecord.code)
          .join(RoomRecord, RoomRecord.id == PlayerRecord.room_id).where(PlayerRecord.removed_at.is_(None)))


def seat_with_token_hash(session: Session, token_hash: str) -> Row | None:
    """The seat a (hashed) seat token belongs to; None for an unknown token or a removed seat."""
    return session.execute(_SEATS.where(PlayerRecord.token_hash == token_hash)).first()


def seats_of_players(session: Session, player_ids: Iterable[int]) -> list[Row]:
    """The seats of these players that still exist, in player id order."""
    return list(session.execute(_SEATS.where(PlayerRecord.id.in_(sorted(player_ids))).order_by(PlayerRecord.id)).all())
