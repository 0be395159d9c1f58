"""Use cases of the facilitator: drive teams, pause, lock, message, move or remove players."""
from __future__ import annotations

from sqlalchemy.orm import Session

from game.play.common import Outcome, retried
from game.play.events import PlayerMoved, PlayerRemoved, RoomChanged, TeamChanged
from game.play.rooms import owned_room
from game.play.turns import TEAM_MOVES
from game.rules import phase_timers
from game.rules.errors import RuleViolation
from game.rules.phases import advance_move
from game.rules.settings import RoomSettings
from game.rules.turns import Actor
from game.store.db import Database
from game.store.models import PlayerRecord, RoomRecord, TeamRecord, utcnow
from game.store.snapshots import load_snapshot, load_team_state
from game.store.teams import lock_room_teams, lock_team, save_team

FACILITATOR = Actor(is_facilitator=True)
MAX_MESSAGE = 200


def _owned_team(session: Session, facilitator_id: int, team_id: int) -> TeamRecord:
    team = lock_team(session, team_id)
    room = session.get(RoomRecord, team.room_id)
    if room.facilitator_id != facilitator_id:
        raise RuleViolation("room/not_your_room", "This is not your session.")
    return team


def room_outcome(session: Session, room: RoomRecord, online: frozenset[int], **reply: object) -> Outcome:
    """Every team's state after a room-wide change (pause, lock, message, settings)."""
    session.flush()
    events = []
    for team in room.teams:
        session.expire(team)
        events.append(RoomChanged(load_snapshot(session, team, online)))
    return Outcome(reply={"ok": True, **reply}, events=events)


@retried
def team_move(db: Database, facilitator_id: int, team_id: int, move: str, round_number: int,
              online: frozenset[int] = frozenset()) -> Outcome:
    """The facilitator draws, closes a vote, starts the second vote or the decision, or skips a card."""
    with db.transaction() as session:
        team = _owned_team(session, facilitator_id, team_id)
        return TEAM_MOVES[move](session, team, FACILITATOR, round_number, online)


@retried
def advance_team(db: Database, facilitator_id: int, team_id: int, online: frozenset[int] = frozenset()) -> Outcome:
    """'Next phase' for one team: the natural move of its phase (decisions stay with the team)."""
    with db.transaction() as session:
        team = _owned_team(session, facilitator_id, team_id)
        return _advance(session, team, online)


def _advance(session: Session, team: TeamRecord, online: frozenset[int]) -> Outcome:
    state, _ = load_team_state(session, team)
    move = advance_move(state.phase, state.settings.second_vote)
    if move is None:
        raise RuleViolation("advance/team_decides", "This team is recording its decision itself now (or is done).")
    round_number = state.round_number if state.round_number else state.rounds_done + 1
    return TEAM_MOVES[move.value](session, team, FACILITATOR, round_number, online)


def advance_all(db: Database, facilitator_id: int, typed_code: str, online: frozenset[int] = frozenset()) -> Outcome:
    """Plenary: move every team one step, in lockstep; teams that cannot move now are listed."""
    with db.transaction() as session:
        room = owned_room(session, facilitator_id, typed_code)
        team_ids = [t.id for t in room.teams]
    combined = Outcome(reply={"ok": True, "moved": [], "waiting": []})
    for team_id in team_ids:
        try:
            result = advance_team(db, facilitator_id, team_id, online)
        except RuleViolation as exc:
            combined.reply["waiting"].append({"team_id": team_id, "code": exc.code})
            continue
        combined.reply["moved"].append(team_id)
        combined.events.extend(result.events)
    return combined


def start_tables(db: Database, facilitator_id: int, typed_code: str, online: frozenset[int] = frozenset()) -> Outcome:
    """Start every table still waiting for its first card (below the quorum too): the first card is drawn."""
    with db.transaction() as session:
        room = owned_room(session, facilitator_id, typed_code)
        waiting = [t.id for t in room.teams if t.phase == "draw" and t.rounds_done == 0]
    combined = Outcome(reply={"ok": True, "started": [], "empty": []})
    for team_id in waiting:
        try:
            result = team_move(db, facilitator_id, team_id, "draw_card", 1, online)
        except RuleViolation as exc:  # nobody seated yet, or another tap started it first
            combined.reply["empty"].append({"team_id": team_id, "code": exc.code})
            continue
        combined.reply["started"].append(team_id)
        combined.events.extend(result.events)
    return combined


def set_paused(db: Database, facilitator_id: int, typed_code: str, paused: bool, online: frozenset[int] = frozenset()) -> Outcome:
    """Pause or resume the room; running timers stop and continue where they were."""
    with db.transaction() as session:
        room = owned_room(session, facilitator_id, typed_code)
        if room.paused == paused:
            return room_outcome(session, room, online)
        now = utcnow()
        settings = dict(room.settings or {})
        for team in lock_room_teams(session, room.id):  # id order, like a seating: no deadlock
            if paused:
                remaining = phase_timers.remaining_at_pause(team.deadline_at, now)
                if remaining is not None:
                    settings.setdefault("paused_remaining", {})[str(team.id)] = remaining
                save_team(session, team, deadline_at=None)
            else:
                remaining = settings.get("paused_remaining", {}).get(str(team.id))
                save_team(session, team, deadline_at=phase_timers.deadline_at_resume(remaining, now))
        if not paused:
            settings.pop("paused_remaining", None)
        room.paused, room.settings = paused, settings
        return room_outcome(session, room, online)


def set_locked(db: Database, facilitator_id: int, typed_code: str, locked: bool, online: frozenset[int] = frozenset()) -> Outcome:
    """Lock the room once everyone has joined: nobody new can take a seat."""
    with db.transaction() as session:
        room = owned_room(session, facilitator_id, typed_code)
        room.locked = locked
        return room_outcome(session, room, online, locked=locked)


def broadcast_message(db: Database, facilitator_id: int, typed_code: str, text: str | None,
                      online: frozenset[int] = frozenset()) -> Outcome:
    """A short message on every tablet of the room (None or empty clears it)."""
    text = " ".join((text or "").split())
    if len(text) > MAX_MESSAGE:
        raise RuleViolation("message/too_long", "At most %(n)s characters.", n=MAX_MESSAGE)
    with db.transaction() as session:
        room = owned_room(session, facilitator_id, typed_code)
        room.message = text or None
        for team in room.teams:
            save_team(session, lock_team(session, team.id))
        return room_outcome(session, room, online)


def _owned_player(session: Session, facilitator_id: int, player_id: int) -> tuple[PlayerRecord, RoomRecord]:
    player = session.get(PlayerRecord, player_id)
    room = session.get(RoomRecord, player.room_id) if player else None
    if player is None or player.removed_at is not None or room.facilitator_id != facilitator_id:
        raise RuleViolation("player/not_found", "This player does not exist in your session.")
    return player, room


@retried
def move_player(db: Database, facilitator_id: int, player_id: int, team_id: int, online: frozenset[int] = frozenset()) -> Outcome:
    """Seat a player in another team of the same room; votes already cast stay where they were cast."""
    with db.transaction() as session:
        player, room = _owned_player(session, facilitator_id, player_id)
        target = session.get(TeamRecord, team_id)
        if target is None or target.room_id != room.id:
            raise RuleViolation("team/not_found", "This team does not belong to this session.")
        locked = {i: lock_team(session, i) for i in sorted({player.team_id, team_id})}  # id order: no deadlock
        source, target = locked[player.team_id], locked[team_id]
        player.team_id = target.id
        save_team(session, source)
        if target.id != source.id:
            save_team(session, target)
        session.flush()
        changed = [TeamChanged(load_snapshot(session, t, online)) for t in (source, target)]
        return Outcome(reply={"ok": True}, events=[*changed, PlayerMoved(player.id, source.id, target.id)])


@retried
def remove_player(db: Database, facilitator_id: int, player_id: int, online: frozenset[int] = frozenset()) -> Outcome:
    """Remove a seat (a duplicate, someone who left): their votes stay anonymous in the results."""
    with db.transaction() as session:
        player, room = _owned_player(session, facilitator_id, player_id)
        team = lock_team(session, player.team_id)
        player.removed_at = utcnow()
        save_team(session, team)
        session.flush()
        session.expire(team)
        return Outcome(reply={"ok": True}, events=[TeamChanged(load_snapshot(session, team, online)), PlayerRemoved(player.id, team.id)])


def update_settings(db: Database, facilitator_id: int, typed_code: str, settings: RoomSettings,
                    online: frozenset[int] = frozenset()) -> Outcome:
    """Change the room's mechanics and timers (takes effect from the next phase)."""
    with db.transaction() as session:
        room = owned_room(session, facilitator_id, typed_code)
        # Kept as they are: what the dashboard's rules form does not edit (format: the script on the dashboard;
        # role_groups: set on the new-session form, a save of the rules must not reset them to the default).
        extra = {k: v for k, v in (room.settings or {}).items() if k in ("paused_remaining", "format", "role_groups")}
        room.settings = {**settings.as_dict(), **extra}
        return room_outcome(session, room, online)
