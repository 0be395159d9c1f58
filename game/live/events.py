"""Socket.IO handlers: validate the payload, resolve the seat, call one use case, publish after commit.

Every handler answers its sender through the ack ({"ok": true, ...} or {"ok": false, "error": ...});
a refusal is also emitted as an `error` event. Broadcasts go out only after the use case committed.
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable

from flask import request, session
from flask_socketio import emit, join_room
from pydantic import BaseModel, ValidationError

from game.extensions import get_db, socketio
from game.live import schemas
from game.live.presence import Connection, presence
from game.play import rooms, turns
from game.play.common import Outcome
from game.rules.errors import RuleViolation
from game.rules.turns import Action

log = logging.getLogger(__name__)
Handler = Callable[[Connection, BaseModel], "Outcome | dict"]


def team_channel(team_id: int) -> str:
    return f"team:{team_id}"


def watch_channel(code: str) -> str:
    return f"watch:{code}"


def publish(outcome: Outcome) -> None:
    """Send each changed team's view to its players and to the room's facilitators."""
    for team_id, view in outcome.team_views.items():
        socketio.emit("state", {"team": view}, to=team_channel(team_id))
        socketio.emit("team_progress", view, to=watch_channel(view["room"]["code"]))


def refuse(event: str, violation: RuleViolation) -> dict:
    error = {"event": event, **violation.as_dict()}
    emit("error", error)
    return {"ok": False, "error": error}


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err["loc"]) or "payload"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


def handles(event: str, schema: type[BaseModel], sender: str = "player") -> Callable[[Handler], Handler]:
    """Register `fn` for `event`: schema check, sender check, RuleViolation -> error reply."""

    def register(fn: Handler) -> Handler:
        @functools.wraps(fn)
        def handler(data: object = None) -> dict:
            connection = presence.get(request.sid)
            try:
                try:
                    payload = schema.model_validate({} if data is None else data)
                except ValidationError as exc:
                    raise RuleViolation("payload/invalid", _describe(exc)) from None
                if sender == "player" and connection.seat is None:
                    raise RuleViolation("seat/none", "Je hebt nog geen plaats in een sessie; doe eerst mee met een code.")
                if sender == "facilitator" and connection.facilitator_id is None:
                    raise RuleViolation("auth/facilitator_only", "Alleen een ingelogde begeleider kan dit doen.")
                result = fn(connection, payload)
            except RuleViolation as violation:
                return refuse(event, violation)
            if isinstance(result, Outcome):
                publish(result)
                return result.reply
            return result

        socketio.on_event(event, handler)
        return fn

    return register


@socketio.on("connect")
def on_connect(auth: object = None) -> None:
    """Sent by: every client on (re)connect, with {token} for a seat. Receives: `state` for its seat."""
    token = auth.get("token") if isinstance(auth, dict) else None
    seat = rooms.seat_for_token(get_db(), token) if isinstance(token, str) and 0 < len(token) <= 200 else None
    facilitator_id = session.get("facilitator_id")
    presence.bind(request.sid, Connection(seat=seat, facilitator_id=facilitator_id))
    if seat is not None:
        join_room(team_channel(seat.team_id))
        state = rooms.seat_state(get_db(), seat, presence.online_ids())
        emit("state", state)
        publish(Outcome(team_views={seat.team_id: state["team"]}))
    elif token is not None:
        emit("error", {"event": "connect", "code": "seat/unknown", "message": "Deze plaats bestaat niet meer; doe opnieuw mee."})


@socketio.on("disconnect")
def on_disconnect(*_args: object) -> None:
    """A tablet went away: its team sees it offline (unless another tab of the seat is still open)."""
    connection = presence.unbind(request.sid)
    if connection.seat is not None and connection.seat.player_id not in presence.online_ids():
        try:
            state = rooms.seat_state(get_db(), connection.seat, presence.online_ids())
        except Exception:  # the room may be gone; presence is best effort
            log.exception("presence update failed")
            return
        publish(Outcome(team_views={connection.seat.team_id: state["team"]}))


@socketio.on("*")
def on_unknown(event: str, *_args: object) -> dict:
    """Any event we do not know is refused out loud, never ignored."""
    return refuse(str(event)[:60], RuleViolation("event/unknown", f"Onbekend bericht '{str(event)[:60]}'."))


@socketio.on_error_default
def on_crash(exc: Exception) -> dict:
    """A bug, not bad input: logged with its stack; the sender is told to try again."""
    log.exception("handler failed: %s", exc)
    return refuse(getattr(request, "event", {}).get("message", "?"), RuleViolation("server/error", "Er ging iets mis op de server; probeer het opnieuw."))


@handles("take_seat", schemas.TakeSeat, sender="anyone")
def take_seat(connection: Connection, p: schemas.TakeSeat) -> dict:
    """Sent by: a tablet joining with a code. Reply: {token, seat}; the team receives `state`."""
    if connection.seat is not None:
        raise RuleViolation("seat/already_seated", "Deze verbinding heeft al een plaats.")
    token, seat, outcome = rooms.take_seat(get_db(), p.code, p.name, p.role, p.team, presence.online_ids())
    presence.bind(request.sid, Connection(seat=seat, facilitator_id=connection.facilitator_id))
    join_room(team_channel(seat.team_id))
    publish(outcome)
    return {**outcome.reply, "token": token, "team": outcome.team_views[seat.team_id]}


@handles("get_state", schemas.Empty)
def get_state(connection: Connection, _p: schemas.Empty) -> dict:
    """Sent by: a player. Reply: the full snapshot {team, seat}."""
    return {"ok": True, **rooms.seat_state(get_db(), connection.seat, presence.online_ids())}


@handles("draw_card", schemas.RoundOnly)
def draw_card(connection: Connection, p: schemas.RoundOnly) -> Outcome:
    """Sent by: the turn player. The team receives `state` with the card, phase vote."""
    return turns.draw_card(get_db(), connection.seat, p.round, presence.online_ids())


@handles("cast_vote", schemas.CastVote)
def cast_vote(connection: Connection, p: schemas.CastVote) -> Outcome:
    """Sent by: any player of the team. The team receives `state` (who voted; the distribution at reveal)."""
    return turns.cast_vote(get_db(), connection.seat, p.round, p.choice, presence.online_ids())


@handles("close_vote", schemas.RoundOnly)
def close_vote(connection: Connection, p: schemas.RoundOnly) -> Outcome:
    """Sent by: the turn player. The team receives `state` with the distribution, phase discuss."""
    return turns.close_vote(get_db(), connection.seat, p.round, presence.online_ids())


@handles("post_argument", schemas.PostArgument)
def post_argument(connection: Connection, p: schemas.PostArgument) -> Outcome:
    """Sent by: any player, in discuss or decide. The team receives `state` with the argument (no name)."""
    return turns.post_argument(get_db(), connection.seat, p.round, p.stance, p.text, p.id, presence.online_ids())


@handles("start_decision", schemas.RoundOnly)
def start_decision(connection: Connection, p: schemas.RoundOnly) -> Outcome:
    """Sent by: the turn player. The team receives `state`, phase decide."""
    return turns.start_decision(get_db(), connection.seat, p.round, presence.online_ids())


@handles("record_decision", schemas.RecordDecision)
def record_decision(connection: Connection, p: schemas.RecordDecision) -> Outcome:
    """Sent by: the turn player. The team receives `state`: next turn (phase draw) or finished."""
    action = Action(p.action.what, p.action.owner.strip(), p.action.due) if p.action else None
    return turns.record_decision(get_db(), connection.seat, p.round, p.position, p.rationale, action,
                                 dt.date.today(), presence.online_ids())


@handles("watch_room", schemas.WatchRoom, sender="facilitator")
def watch_room(connection: Connection, p: schemas.WatchRoom) -> dict:
    """Sent by: the room's facilitator (dashboard). Reply: the overview; then `team_progress` per change."""
    overview = rooms.room_overview(get_db(), connection.facilitator_id, p.code, presence.online_ids())
    join_room(watch_channel(overview["room"]["code"]))
    return {"ok": True, "overview": overview}


@handles("team_move", schemas.TeamMove, sender="facilitator")
def team_move(connection: Connection, p: schemas.TeamMove) -> Outcome:
    """Sent by: the room's facilitator, for a team whose turn player cannot act. The team receives `state`."""
    return turns.facilitator_move(get_db(), connection.facilitator_id, p.team_id, p.move, p.round, presence.online_ids())


@handles("end_room", schemas.WatchRoom, sender="facilitator")
def end_room(connection: Connection, p: schemas.WatchRoom) -> Outcome:
    """Sent by: the room's facilitator. Every team receives `state` with room_open false."""
    return rooms.end_room(get_db(), connection.facilitator_id, p.code)
