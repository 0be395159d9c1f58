"""Socket.IO handlers for seats and table starts: continue a seat on this device, merge seats, start tables."""
from __future__ import annotations

import logging

from flask import current_app, request
from flask_socketio import join_room

from game.extensions import get_db, socketio
from game.live import limits, schemas
from game.live.broadcast import publish, team_channel
from game.live.events import handles
from game.live.presence import Connection, presence
from game.play import facilitation, seats, turns
from game.play.common import Outcome, Seat
from game.rules.errors import RuleViolation

log = logging.getLogger(__name__)
# A reload or a short Wi-Fi blip is not leaving the table: the ballot is only completed without a
# tablet that stays away this long (test apps: at once).
OFFLINE_REVEAL_GRACE = 5.0


def reveal_without(seat: Seat) -> None:
    """A tablet went away: once the grace period passed and it is still away, the ballot is revealed
    if everyone still present has voted (the same rule as the last vote's, game/rules/turns.py)."""
    app = current_app._get_current_object()
    grace = app.config.get("OFFLINE_REVEAL_GRACE", 0 if app.testing else OFFLINE_REVEAL_GRACE)

    def check() -> None:
        with app.app_context():
            try:
                online = presence.present_for_reveal()
                if not online or seat.player_id in online:
                    return  # back already (or just started: presence is not known yet)
                outcome = turns.reveal_if_complete(get_db(), seat.team_id, online)
            except Exception:  # best effort, like presence itself; the turn player can still close the vote
                log.exception("reveal after a disconnect failed")
                return
            if outcome is not None:
                publish(outcome)

    if grace <= 0:
        check()
        return

    def later() -> None:
        socketio.sleep(grace)
        check()

    socketio.start_background_task(later)


@handles("claim_seat", schemas.ClaimSeat, sender="anyone")
def claim_seat(connection: Connection, p: schemas.ClaimSeat) -> dict:
    """Sent by: a tablet whose name is already seated ('Is that you? Continue on this device').
    Reply: {token, seat, team}; the seat's old device receives `seat_moved` and drops its token."""
    if connection.seat is not None:
        raise RuleViolation("seat/already_seated", "This connection already has a seat.")
    with limits.join_attempt(p.code):  # wrong codes count per client and address, like take_seat
        token, seat, outcome = seats.claim_seat(get_db(), p.code, p.name, presence.online_ids())
    presence.bind(request.sid, Connection(seat=seat, facilitator_id=connection.facilitator_id,
                                          session_version=connection.session_version))
    join_room(team_channel(seat.team_id))
    publish(outcome, sender_sid=request.sid)  # the old device gets `seat_moved`, this one does not
    return {**outcome.reply, "token": token, "team": outcome.team_views[seat.team_id]}


@handles("merge_players", schemas.MergePlayers, sender="facilitator")
def merge_players(connection: Connection, p: schemas.MergePlayers) -> Outcome:
    """Sent by: the facilitator: two seats of one person become one. The team receives `state`; the dropped tablet `seat_changed`."""
    return seats.merge_players(get_db(), connection.facilitator_id, p.keep_id, p.drop_id, presence.online_ids())


@handles("start_tables", schemas.WatchRoom, sender="facilitator")
def start_tables(connection: Connection, p: schemas.WatchRoom) -> Outcome:
    """Sent by: the facilitator: every table still waiting for its quorum draws its first card. Teams receive `state`."""
    return facilitation.start_tables(get_db(), connection.facilitator_id, p.code, presence.online_ids())
