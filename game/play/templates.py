"""Room templates: a facilitator saves a room's settings and starts new rooms (or the follow-up) from them."""
from __future__ import annotations

from sqlalchemy import select

from game.play.rooms import RoomSpec
from game.rules.errors import RuleViolation
from game.store.db import Database
from game.store.models import RoomTemplateRecord


def save_template(db: Database, facilitator_id: int, name: str, spec: RoomSpec) -> int:
    name = " ".join(name.split())
    if not 1 <= len(name) <= 120:
        raise RuleViolation("template/invalid_name", "Give the template a name (at most 120 characters).")
    with db.transaction() as session:
        record = RoomTemplateRecord(facilitator_id=facilitator_id, name=name, spec=spec.as_dict())
        session.add(record)
        session.flush()
        return record.id


def templates_of(db: Database, facilitator_id: int) -> list[dict]:
    with db.transaction() as session:
        records = session.scalars(select(RoomTemplateRecord).where(RoomTemplateRecord.facilitator_id == facilitator_id)
                                  .order_by(RoomTemplateRecord.name))
        return [{"id": r.id, "name": r.name, "spec": r.spec} for r in records]


def template_spec(db: Database, facilitator_id: int, template_id: int) -> RoomSpec:
    with db.transaction() as session:
        record = session.get(RoomTemplateRecord, template_id)
        if record is None or record.facilitator_id != facilitator_id:
            raise RuleViolation("template/not_found", "This template does not exist.")
        return RoomSpec.from_dict(record.spec)
