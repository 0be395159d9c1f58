"""Domain events -> Socket.IO: which socket event each happening becomes, on which channel, batched how.

The one place that knows the channels. Socket handlers, HTTP routes, timers and presence all hand the
outcome of a use case to `publish` after its commit; nothing else emits a game event.

| event (game/play/events.py)          | socket event(s) -> channel                                              |
|--------------------------------------|-------------------------------------------------------------------------|
| SeatClaimed                          | `seat_moved` -> the team, except the claiming connection (before its `state`) |
| any team event (phase, reveal, ...)  | `state` -> the team; `team_progress` (gated) -> dashboards; `screen` -> big screens (coalesced) |
| VoteCast                             | `voted` -> the team and dashboards, `screen_voted` (a count) -> big screens, one per tick per team |
| ComfortRated                         | `state` as above; `comfort` (counts) -> dashboards only                 |
| DilemmaSubmitted                     | `dilemma_submitted` -> dashboards only                                  |
| PlayerMoved, PlayerRemoved           | `seat_changed` -> the teams concerned (the tablet reconnects)           |
| RoomDeleted                          | `error` seat/unknown -> every team of the room (tablets forget the seat)|
| ScreenLinkRenewed                    | `error` screen/invalid -> the room's big screens, which are dropped     |
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from flask import current_app, has_app_context
from flask_babel import gettext
from socketio import PubSubManager

from game.extensions import get_db, socketio
from game.live.coalesce import Coalescer
from game.live.presence import presence
from game.play import live_views
from game.play.common import Outcome
from game.play.events import (
    ComfortRated, DilemmaSubmitted, Event, PlayerMoved, PlayerRemoved, RoomDeleted, ScreenLinkRenewed, SeatClaimed, TeamEvent,
    VoteCast,
)
from game.store.db import Database

log = logging.getLogger(__name__)


def team_channel(team_id: int) -> str:
    return f"team:{team_id}"


def watch_channel(code: str) -> str:
    return f"watch:{code}"


def screen_channel(code: str) -> str:
    """The room's big screens: their own view (no names, no roles, gated figures), never a team view."""
    return f"screen:{code}"


def facilitator_channel(code: str) -> str:
    """The room's dashboards only (not the big screen): comfort flags and new submissions."""
    return f"facilitate:{code}"


def _nobody_in(channel: str) -> bool:
    """No client of this process is in `channel`, and no other process can have one (no message
    queue). An emit encodes its payload even for an empty room: a vote's view twice (docs/benchmarks.md)."""
    manager = socketio.server.manager
    return not isinstance(manager, PubSubManager) and not manager.rooms.get("/", {}).get(channel)


def publish(outcome: Outcome, db: Database | None = None, sender_sid: str | None = None) -> None:
    """Send what the use case's events say happened (call it after the commit). `db` for callers
    without an app context (timers); `sender_sid` the connection that asked, where an event must skip it."""
    send(outcome.events, db, sender_sid)


def send(events: Iterable[Event], db: Database | None = None, sender_sid: str | None = None) -> None:
    """Each changed team's view to its players; the room's dashboards get it through the privacy gate
    (game/rules/live_figures.py) and its big screens their own view (game/rules/screen_view.py)."""
    events = list(events)
    for event in events:  # told before the team's new state; skip_sid keeps it off the new device with a message queue too
        if isinstance(event, SeatClaimed):
            socketio.emit("seat_moved", {"player_id": event.player_id}, to=team_channel(event.team_id), skip_sid=sender_sid)
    changed: dict[int, TeamEvent] = {}
    for event in events:
        if isinstance(event, TeamEvent):
            changed[event.team_id] = event  # the newest state of a team is the one to send
    by_room: dict[str, list[dict]] = {}
    for team_id, event in changed.items():
        view = event.view
        _voted.settle(team_id, view.get("version", 0))  # the state carries who has voted: no `voted` after it
        socketio.emit("state", {"team": view}, to=team_channel(team_id))
        by_room.setdefault(event.room_code, []).append(view)
    for code, views in by_room.items():
        if not _nobody_in(watch_channel(code)):
            for gated in live_views.watch_views(db or get_db(), code, views):
                socketio.emit("team_progress", gated, to=watch_channel(code))
        if not _nobody_in(screen_channel(code)):
            _screen_soon(db or get_db(), code)
    for event in events:
        if isinstance(event, VoteCast):
            _voted.offer(event.team_id, (event.room_code, event.view), _voted_seconds())
    for event in events:
        if isinstance(event, ComfortRated):  # counts through the dashboard's privacy gate
            socketio.emit("comfort", live_views.comfort_notice(db or get_db(), event.room_code, event.counts),
                          to=facilitator_channel(event.room_code))
        elif isinstance(event, DilemmaSubmitted):
            socketio.emit("dilemma_submitted", {"new": event.new}, to=facilitator_channel(event.room_code))
    _send_seat_changes(events)
    for event in events:
        if isinstance(event, RoomDeleted):  # the tablets forget the seat token and show the start page
            socketio.emit("error", {"event": "connect", "code": "seat/unknown", "message": gettext("This session has been deleted.")},
                          to=[team_channel(t) for t in event.team_ids])
        elif isinstance(event, ScreenLinkRenewed):
            channel = screen_channel(event.room_code)
            socketio.emit("error", {"event": "screen", "code": "screen/invalid", "message": gettext("This screen link is not valid.")},
                          to=channel)
            socketio.close_room(channel)


def _send_seat_changes(events: list[Event]) -> None:
    """A moved or removed seat reconnects, so its tablet joins the right team (on whichever process)."""
    told: set[int] = set()
    for event in events:
        if isinstance(event, PlayerMoved):
            teams = sorted({event.from_team_id, event.to_team_id})
        elif isinstance(event, PlayerRemoved):
            teams = [event.team_id]
        else:
            continue
        if event.player_id not in told:
            told.add(event.player_id)
            socketio.emit("seat_changed", {"player_id": event.player_id}, to=[team_channel(t) for t in teams])


SCREEN_COALESCE_SECONDS = 0.3  # a burst of changes (a plenary step moves every table) makes one big-screen update
_screens_due: set[str] = set()
_screens_lock = threading.Lock()


def _screen_soon(db: Database, code: str) -> None:
    """Send the room's big screens their view: it loads the whole room, so changes arriving within
    SCREEN_COALESCE_SECONDS share one load (at once under TESTING, where tests read what was sent)."""
    if has_app_context() and current_app.testing:
        socketio.emit("screen", live_views.screen_state(db, code, presence.online_ids()), to=screen_channel(code))
        return
    with _screens_lock:
        if code in _screens_due:
            return
        _screens_due.add(code)

    def send_screen() -> None:
        socketio.sleep(SCREEN_COALESCE_SECONDS)
        with _screens_lock:
            _screens_due.discard(code)
        try:
            socketio.emit("screen", live_views.screen_state(db, code, presence.online_ids()), to=screen_channel(code))
        except Exception:  # the room may be gone; the screen catches up at the next change
            log.exception("big screen update failed")

    socketio.start_background_task(send_screen)


VOTED_COALESCE_SECONDS = 0.05  # a burst of votes in a team: one `voted` per tick (docs/benchmarks.md, issue 18)


def _send_voted(team_id: int, code_voted: tuple[str, dict]) -> None:
    """Who has voted (never what) to the team's tablets and dashboards; a count to its big screens."""
    code, voted = code_voted
    socketio.emit("voted", voted, to=team_channel(team_id))
    if not _nobody_in(watch_channel(code)):
        socketio.emit("voted", voted, to=watch_channel(code))
    if not _nobody_in(screen_channel(code)):  # a count, never who
        socketio.emit("screen_voted", {k: voted[k] for k in ("team_id", "version", "round", "phase", "votes_cast")},
                      to=screen_channel(code))


_voted = Coalescer(_send_voted, version=lambda code_voted: code_voted[1]["version"])


def _voted_seconds() -> float:
    """The tick; 0 (at once) in test apps unless a test sets VOTED_COALESCE_SECONDS: they read what was sent."""
    if not has_app_context():
        return VOTED_COALESCE_SECONDS
    config = current_app.config
    return float(config.get("VOTED_COALESCE_SECONDS", 0 if config.get("TESTING") else VOTED_COALESCE_SECONDS))
