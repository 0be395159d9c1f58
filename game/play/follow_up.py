"""The six-month follow-up: the earlier session's actions, their status (open, done, dropped) and their review."""
from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from game.play.rooms import find_room, owned_room
from game.rules.errors import RuleViolation
from game.store.db import Database
from game.store.models import DecisionRecord, RoomCardRecord, RoomRecord, RoundRecord, TeamRecord

ACTION_STATUSES = ("open", "done", "dropped")


def check_status(status: str) -> str:
    """A status the game knows, or a coded error."""
    if status not in ACTION_STATUSES:
        raise RuleViolation("action/status", "Choose a status: open, done or dropped.")
    return status


def linked_room_ids(session: Session, room: RoomRecord) -> set[int]:
    """The rooms whose actions a room's report shows: its own and the earlier one it is compared with."""
    return {room.id} | ({room.previous_room_id} if room.previous_room_id else set())


def set_status(db: Database, room_id: int, action_id: int, status: str) -> int:
    """Set the status of an action (a decision's round id) shown in room `room_id`'s report; return its room id.

    Only actions of the room itself and of the earlier room it is compared with: whoever may read one
    report (the facilitator, or the MT through a share link) may not touch any other room's actions."""
    check_status(status)
    with db.transaction() as session:
        room = session.get(RoomRecord, room_id)
        if room is None:
            raise RuleViolation("action/not_found", "This action does not exist.")
        row = session.execute(
            select(DecisionRecord, TeamRecord.room_id).join(RoundRecord, RoundRecord.id == DecisionRecord.round_id)
            .join(TeamRecord, TeamRecord.id == RoundRecord.team_id)
            .where(DecisionRecord.round_id == action_id, DecisionRecord.action_what.is_not(None))
        ).first()
        if row is None or row[1] not in linked_room_ids(session, room):
            raise RuleViolation("action/not_found", "This action does not exist.")
        row[0].action_status = status
        return row[1]


def set_status_as_facilitator(db: Database, facilitator_id: int, typed_code: str, action_id: int, status: str) -> int:
    """The facilitator sets a status from the report page or the follow-up's dashboard of a room they own."""
    with db.transaction() as session:
        room_id = owned_room(session, facilitator_id, typed_code).id
    return set_status(db, room_id, action_id, status)


def review(db: Database, facilitator_id: int, typed_code: str) -> dict | None:
    """What the follow-up's dashboard opens with: the earlier session and its actions (None: no earlier room)."""
    with db.transaction() as session:
        room = owned_room(session, facilitator_id, typed_code)
        earlier = session.get(RoomRecord, room.previous_room_id) if room.previous_room_id else None
        if earlier is None:
            return None
        started = session.scalar(select(exists().where(RoundRecord.team_id == TeamRecord.id, TeamRecord.room_id == room.id)))
        rows = session.execute(
            select(DecisionRecord, TeamRecord.name, RoomCardRecord.position, RoomCardRecord.card)
            .join(RoundRecord, RoundRecord.id == DecisionRecord.round_id)
            .join(TeamRecord, TeamRecord.id == RoundRecord.team_id)
            .join(RoomCardRecord, RoomCardRecord.id == RoundRecord.room_card_id)
            .where(TeamRecord.room_id == earlier.id, DecisionRecord.action_what.is_not(None))).all()
        actions = [{"id": d.round_id, "what": d.action_what, "owner": d.action_owner or "", "due": d.action_due,
                    "status": d.action_status or "open", "team": team, "card": f"{position}. {card.get('title', '')}"}
                   for d, team, position, card in rows]
        # Due first (the ones the MT promised soonest), then in card order, as the report lists them.
        actions.sort(key=lambda a: (a["due"] is None, a["due"] or 0, a["card"], a["team"]))
        return {"code": earlier.code, "title": earlier.title, "date": (earlier.ended_at or earlier.created_at).date(),
                "actions": actions, "started": bool(started),
                "counts": {s: sum(a["status"] == s for a in actions) for s in ACTION_STATUSES}}


def earlier_room_owner(db: Database, typed_code: str, facilitator_id: int | None, explicit: bool) -> tuple[int | None, str]:
    """For `rooms create --previous CODE`: the owner of the new room and the earlier room's code.

    The earlier room must exist. Without an explicit owner the follow-up belongs to the earlier room's
    facilitator; with one, both rooms must be that facilitator's (a report never shows one facilitator's
    session to another)."""
    with db.transaction() as session:
        earlier = find_room(session, typed_code)
        if explicit and earlier.facilitator_id != facilitator_id:
            raise RuleViolation("room/previous_not_yours", "The earlier session belongs to another facilitator.")
        return (earlier.facilitator_id if not explicit else facilitator_id), earlier.code
