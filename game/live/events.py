"""Socket.IO handlers: validate the payload, resolve the seat, call one use case, publish after commit.

Every handler answers its sender through the ack ({"ok": true, ...} or {"ok": false, "error": ...});
a refusal is also emitted as an `error` event. What the use case says happened (its events) goes out
only after it committed, through game/live/broadcast.py.
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable

from flask import request, session
from flask_babel import gettext
from flask_socketio import emit, join_room
from pydantic import BaseModel, ValidationError

from game.extensions import get_db, socketio
from game.live import limits, schemas
from game.live.broadcast import facilitator_channel, publish, screen_channel, team_channel, watch_channel
from game.live.presence import Connection, presence
from game.play import accounts, facilitation, live_views, rooms, seats, submissions, turns
from game.play.common import Outcome, PoolTimeout, Seat, busy, lost_race
from game.rules.errors import RuleViolation
from game.rules.settings import RoomSettings
from game.rules.turns import Action

log = logging.getLogger(__name__)
Handler = Callable[[Connection, BaseModel], "Outcome | dict"]
FACILITATOR_EVENTS: set[str] = set()  # every event only a signed-in facilitator may send (tests check each one)


def refuse(event: str, violation: RuleViolation) -> dict:
    if violation.code.startswith(("payload/", "text/")):  # bad input: one line in the log, never a traceback
        log.warning("refused %s: %s: %s", event, violation.code, violation.message[:300])
    error = {"event": event, **violation.as_dict(gettext)}  # in the language of the page that connected (docs/i18n.md)
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
        if sender == "facilitator":
            FACILITATOR_EVENTS.add(event)

        @functools.wraps(fn)
        def handler(data: object = None, *extra: object) -> dict:
            connection = presence.get(request.sid)
            try:
                limits.check_event()  # flood control per connection (issue 8)
                if extra:  # emit(event, a, b): one payload per event, anything more is refused (issue 8)
                    raise RuleViolation("payload/invalid", "One payload per event.")
                try:
                    payload = schema.model_validate({} if data is None else data)
                except ValidationError as exc:
                    raise RuleViolation("payload/invalid", "Invalid message: %(details)s", details=_describe(exc)) from None
                if sender == "player" and connection.seat is None:
                    raise RuleViolation("seat/none", "You do not have a seat in a session yet; join with a code first.")
                if sender == "facilitator" and not _still_signed_in(connection):
                    raise RuleViolation("auth/facilitator_only", "Only a signed-in facilitator can do this.")
                result = fn(connection, payload)
            except RuleViolation as violation:
                if violation.code.endswith("/not_your_turn") and connection.seat is not None:
                    resend_team_view(connection.seat)
                return refuse(event, violation)
            except limits.DATABASE_DOWN as exc:  # nothing was written (the transaction rolled back): try again
                return refuse(event, busy() if lost_race(exc) else limits.unavailable())
            except PoolTimeout:  # no pooled database connection came free in time: nothing was done
                return refuse(event, busy())
            if isinstance(result, Outcome):
                publish(result)
                return result.reply
            return result

        socketio.on_event(event, handler)
        return fn

    return register


def resend_team_view(seat: Seat) -> None:
    """A turn move refused as not the sender's turn: the sender's view was stale (the turn player came back,
    or another process saw presence a moment later). The team gets a fresh view, so the tablet whose turn it
    really is shows its controls instead of every tablet waiting for another."""
    try:
        publish(seats.presence_changed(get_db(), seat, presence.online_ids()))
    except Exception:  # noqa: BLE001 - the refusal is the answer; a fresh view is best effort
        log.warning("team %s: fresh view after a refused turn move not sent", seat.team_id)


def _still_signed_in(connection: Connection) -> bool:
    """A facilitator connection counts only while its login's session has not been ended since (issue 17)."""
    if connection.facilitator_id is None:
        return False
    if accounts.signed_in(get_db(), connection.facilitator_id, connection.session_version) is None:
        presence.bind(request.sid, Connection(seat=connection.seat))  # forget the login for good
        return False
    return True


def end_facilitator_connections(facilitator_id: int) -> None:
    """Logout, password change, "log out everywhere": this process's connections of the account are cut
    at once (another process's are refused at their next event and cut there)."""
    for sid in presence.facilitator_sids(facilitator_id):
        socketio.server.disconnect(sid, namespace="/")


@socketio.on("connect")
def on_connect(auth: object = None) -> None:
    """Sent by: every client on (re)connect, with {token} for a seat. Receives: `state` for its seat."""
    token = auth.get("token") if isinstance(auth, dict) else None
    if isinstance(auth, dict) and "screen" in auth:
        connect_screen(auth)
        return
    seat = rooms.seat_for_token(get_db(), token) if isinstance(token, str) and 0 < len(token) <= 200 else None
    facilitator_id = session.get("facilitator_id")
    version = session.get("sv", 0)
    if facilitator_id is not None and accounts.signed_in(get_db(), facilitator_id, version) is None:
        facilitator_id = None  # an ended session's cookie opens no facilitator connection
    presence.bind(request.sid, Connection(seat=seat, facilitator_id=facilitator_id,
                                          session_version=version if isinstance(version, int) else -1))
    if seat is not None:
        join_room(team_channel(seat.team_id))
        outcome = seats.presence_changed(get_db(), seat, presence.online_ids())
        emit("state", {"team": outcome.team_views[seat.team_id], **outcome.reply})
        publish(outcome)
    elif token is not None:
        emit("error", {"event": "connect", "code": "seat/unknown", "message": gettext("This seat no longer exists (the facilitator may have removed it, for instance as a second seat of the same person). Join again to play.")})


def connect_screen(auth: dict) -> None:
    """The big screen: read-only, authorised by the unguessable screen link (no login)."""
    from flask import current_app

    from game.play.screen_links import check_screen_link

    code, token = auth.get("code"), auth.get("screen")
    # A revoked link, or one of a room that has ended, gets no data (issue 17).
    if not (isinstance(code, str) and len(code) <= 20
            and check_screen_link(get_db(), current_app.config["SECRET_KEY"], code, token) == "ok"):
        emit("error", {"event": "connect", "code": "screen/invalid", "message": gettext("This screen link is not valid.")})
        return
    join_room(screen_channel(code))
    emit("screen", live_views.screen_state(get_db(), code, presence.online_ids()))


@socketio.on("disconnect")
def on_disconnect(*_args: object) -> None:
    """A tablet went away: its team sees it offline (unless another tab of the seat is still open)."""
    connection = presence.unbind(request.sid)
    if connection.seat is not None and connection.seat.player_id not in presence.online_ids():
        try:
            outcome = seats.presence_changed(get_db(), connection.seat, presence.online_ids())
        except Exception:  # the room may be gone; presence is best effort
            log.exception("presence update failed")
            return
        publish(outcome)
        from game.live.seat_events import reveal_without

        reveal_without(connection.seat)  # everyone still present has voted: the ballot is complete (issue 16)


@socketio.on("*")
def on_unknown(event: str, *_args: object) -> dict:
    """Any event we do not know is refused out loud, never ignored."""
    return refuse(str(event)[:60], RuleViolation("event/unknown", "Unknown message '%(event)s'.", event=str(event)[:60]))


@socketio.on_error_default
def on_crash(exc: Exception) -> dict:
    """A bug, not bad input: logged with its stack; the sender is told to try again."""
    log.exception("handler failed: %s", exc)
    return refuse(getattr(request, "event", {}).get("message", "?"), RuleViolation("server/error", "Something went wrong on the server; please try again."))


@handles("take_seat", schemas.TakeSeat, sender="anyone")
def take_seat(connection: Connection, p: schemas.TakeSeat) -> dict:
    """Sent by: a tablet joining with a code. Reply: {token, seat}; the team receives `state`."""
    if connection.seat is not None:
        raise RuleViolation("seat/already_seated", "This connection already has a seat.")
    with limits.join_attempt(p.code):  # wrong codes count per client and address (issues 8, 17)
        token, seat, outcome = rooms.take_seat(get_db(), p.code, p.name, p.role, p.team, presence.online_ids(),
                                                  observer=p.observer, as_new=p.as_new)
    presence.bind(request.sid, Connection(seat=seat, facilitator_id=connection.facilitator_id,
                                          session_version=connection.session_version))
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
    return turns.cast_vote(get_db(), connection.seat, p.round, p.choice, presence.present_for_reveal(),
                           prediction=p.prediction)


@handles("close_vote", schemas.RoundOnly)
def close_vote(connection: Connection, p: schemas.RoundOnly) -> Outcome:
    """Sent by: the turn player. The team receives `state` with the distribution, phase discuss."""
    return turns.close_vote(get_db(), connection.seat, p.round, presence.online_ids())


@handles("post_argument", schemas.PostArgument)
def post_argument(connection: Connection, p: schemas.PostArgument) -> Outcome:
    """Sent by: any player, in discuss or decide. The team receives `state` with the argument (no name)."""
    return turns.post_argument(get_db(), connection.seat, p.round, p.stance, p.text, p.id, presence.online_ids())


@handles("start_revote", schemas.RoundOnly)
def start_revote(connection: Connection, p: schemas.RoundOnly) -> Outcome:
    """Sent by: the turn player, after the discussion. The team receives `state`, phase revote."""
    return turns.player_move(get_db(), connection.seat, "start_revote", p.round, presence.online_ids())


@handles("mark_helpful", schemas.MarkHelpful)
def mark_helpful(connection: Connection, p: schemas.MarkHelpful) -> Outcome:
    """Sent by: a player, on another player's argument. The team receives `state` (a count, no names)."""
    return turns.mark_helpful(get_db(), connection.seat, p.round, p.argument, presence.online_ids())


@handles("rate_comfort", schemas.RateComfort)
def rate_comfort(connection: Connection, p: schemas.RateComfort) -> Outcome:
    """Sent by: a player after a decision ('can you live with it?'). Reply: the seat; nobody sees the score."""
    return turns.rate_comfort(get_db(), connection.seat, p.round, p.score, presence.online_ids())


@handles("submit_dilemma", schemas.SubmitDilemma)
def submit_dilemma(connection: Connection, p: schemas.SubmitDilemma) -> Outcome:
    """Sent by: any seated player, during or after the room. Reply: {submission}; the facilitators get `dilemma_submitted`."""
    return submissions.submit(get_db(), connection.seat, p.title, p.text, p.kind, p.options)


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
    overview = live_views.dashboard_overview(get_db(), connection.facilitator_id, p.code, presence.online_ids())
    join_room(watch_channel(overview["room"]["code"]))
    join_room(facilitator_channel(overview["room"]["code"]))
    return {"ok": True, "overview": overview}


@handles("team_move", schemas.TeamMove, sender="facilitator")
def team_move(connection: Connection, p: schemas.TeamMove) -> Outcome:
    """Sent by: the room's facilitator, for one team (e.g. its turn player cannot act). The team receives `state`."""
    return facilitation.team_move(get_db(), connection.facilitator_id, p.team_id, p.move, p.round, presence.online_ids())


@handles("advance_team", schemas.TeamOnly, sender="facilitator")
def advance_team(connection: Connection, p: schemas.TeamOnly) -> Outcome:
    """Sent by: the facilitator: 'next phase' for one team. The team receives `state`."""
    return facilitation.advance_team(get_db(), connection.facilitator_id, p.team_id, presence.online_ids())


@handles("advance_all", schemas.WatchRoom, sender="facilitator")
def advance_all(connection: Connection, p: schemas.WatchRoom) -> Outcome:
    """Sent by: the facilitator (plenary): every team one step. Reply lists teams that must act first."""
    return facilitation.advance_all(get_db(), connection.facilitator_id, p.code, presence.online_ids())


@handles("pause_room", schemas.RoomFlag, sender="facilitator")
def pause_room(connection: Connection, p: schemas.RoomFlag) -> Outcome:
    """Sent by: the facilitator. Every team receives `state` with paused true/false; timers stop/continue."""
    return facilitation.set_paused(get_db(), connection.facilitator_id, p.code, p.on, presence.online_ids())


@handles("lock_room", schemas.RoomFlag, sender="facilitator")
def lock_room(connection: Connection, p: schemas.RoomFlag) -> Outcome:
    """Sent by: the facilitator once everyone has joined: nobody new can take a seat."""
    return facilitation.set_locked(get_db(), connection.facilitator_id, p.code, p.on, presence.online_ids())


@handles("broadcast_message", schemas.RoomMessage, sender="facilitator")
def broadcast_message(connection: Connection, p: schemas.RoomMessage) -> Outcome:
    """Sent by: the facilitator. Every tablet shows the message (empty clears it)."""
    return facilitation.broadcast_message(get_db(), connection.facilitator_id, p.code, p.text, presence.online_ids())


@handles("move_player", schemas.MovePlayer, sender="facilitator")
def move_player(connection: Connection, p: schemas.MovePlayer) -> Outcome:
    """Sent by: the facilitator. Both teams receive `state`; the moved tablet gets `seat_changed` and reconnects."""
    return facilitation.move_player(get_db(), connection.facilitator_id, p.player_id, p.team_id, presence.online_ids())


@handles("remove_player", schemas.PlayerOnly, sender="facilitator")
def remove_player(connection: Connection, p: schemas.PlayerOnly) -> Outcome:
    """Sent by: the facilitator. The team receives `state`; the removed tablet gets `seat_changed`."""
    return facilitation.remove_player(get_db(), connection.facilitator_id, p.player_id, presence.online_ids())


@handles("update_settings", schemas.UpdateSettings, sender="facilitator")
def update_settings(connection: Connection, p: schemas.UpdateSettings) -> Outcome:
    """Sent by: the facilitator: pacing, mechanics and timers. Every team receives `state`."""
    settings = RoomSettings(**p.settings.model_dump())
    return facilitation.update_settings(get_db(), connection.facilitator_id, p.code, settings, presence.online_ids())


@handles("end_room", schemas.WatchRoom, sender="facilitator")
def end_room(connection: Connection, p: schemas.WatchRoom) -> Outcome:
    """Sent by: the room's facilitator. Every team receives `state` with room_open false."""
    return rooms.end_room(get_db(), connection.facilitator_id, p.code)
