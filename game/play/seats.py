"""Use cases for seats: continue a seat on another device, the facilitator merging two seats, presence."""
from __future__ import annotations

import secrets

from game.play.common import Outcome, Seat, hash_token, retried
from game.play.events import PlayerRemoved, PresenceChanged, SeatClaimed, TeamChanged
from game.play.facilitation import _owned_player
from game.play.rooms import find_room, seat_named
from game.rules.errors import RuleViolation
from game.rules.views import seat_view
from game.store.db import Database
from game.store.models import TeamRecord, utcnow
from game.store.seats import give_rows, seats_of_players
from game.store.snapshots import load_snapshot
from game.store.teams import lock_team, save_team


@retried
def claim_seat(db: Database, typed_code: str, name: str, online: frozenset[int] = frozenset()) -> tuple[str, Seat, Outcome]:
    """'Is that you, X? Continue on this device': the seat gets a new token, the old device's stops
    working (it is told with `seat_moved` and reconnects to the join screen)."""
    token = secrets.token_urlsafe(32)
    with db.transaction() as session:
        room = find_room(session, typed_code)
        if not room.is_open:
            raise RuleViolation("room/closed", "This session has ended.")
        player = seat_named(session, room.id, name)
        if player is None:
            raise RuleViolation("seat/not_found", "There is no seat with this name in this session.")
        team = lock_team(session, player.team_id)
        player.token_hash = hash_token(token)
        save_team(session, team)
        seat = Seat(player.id, team.id, room.id, room.code)
        snap = load_snapshot(session, team, online | {player.id})
        result = Outcome(reply={"ok": True, "seat": seat_view(snap, player.id)}, events=[SeatClaimed(snap, player.id)])
        return token, seat, result


@retried
def merge_players(db: Database, facilitator_id: int, keep_id: int, drop_id: int, online: frozenset[int] = frozenset()) -> Outcome:
    """Two seats of one person: the votes, arguments and marks of `drop_id` go to `keep_id` where the kept
    seat has none of its own (a ballot keeps one vote per player), then `drop_id` is removed."""
    with db.transaction() as session:
        keep, room = _owned_player(session, facilitator_id, keep_id)
        drop, _ = _owned_player(session, facilitator_id, drop_id)
        if keep.id == drop.id or drop.room_id != room.id:
            raise RuleViolation("player/same_seat", "Choose two different seats of your session.")
        if keep.team_id != drop.team_id:  # a vote belongs to its table: move the seat first
            raise RuleViolation("player/other_team", "Merge two seats of the same team (move one first).")
        team = lock_team(session, keep.team_id)
        give_rows(session, keep.id, drop.id, team.id)
        drop.removed_at = utcnow()
        save_team(session, team)
        session.flush()
        return Outcome(reply={"ok": True}, events=[TeamChanged(load_snapshot(session, team, online)), PlayerRemoved(drop.id, team.id)])


def presence_changed(db: Database, seat: Seat, online: frozenset[int]) -> Outcome:
    """A tablet of the seat connected or went away: the team's state with who is there now; the
    reply is the seat's own part (its team's view is the event's)."""
    with db.transaction() as session:
        snap = load_snapshot(session, session.get(TeamRecord, seat.team_id), online)
        return Outcome(reply={"seat": seat_view(snap, seat.player_id)}, events=[PresenceChanged(snap)])


def seats_of(db: Database, player_ids: frozenset[int] | set[int]) -> list[Seat]:
    """The seats of these players that still exist (a departed process's players, say)."""
    with db.transaction() as session:
        return [Seat(*row) for row in seats_of_players(session, player_ids)]
