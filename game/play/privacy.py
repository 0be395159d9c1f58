"""A room's data under the AVG/GDPR: export it as JSON, delete it whole, purge rooms past retention.

Which rows belong to a room is derived from the models' foreign keys, not listed by hand: a table
belongs to a room when it hangs off `rooms` through a required (or cascading) foreign key, directly
or through another room table. A table added later (votes, timers, submissions...) is covered the day
it is added. Optional references from outside (a template made from the room, a follow-up room)
are set to NULL, never deleted. See docs/privacy.md.
"""
from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass

from sqlalchemy import ForeignKey, Select, Table, delete, select, update
from sqlalchemy.orm import Session

from game.play.rooms import find_room, owned_room
from game.store.db import Database
from game.store.models import Base, DeckRecord, RoomRecord, utcnow

# Secrets are never exported: the browser holds the seat token; we keep only its hash, which is
# useless to the data subject and a (weak) secret to others.
NEVER_EXPORTED = frozenset({"token_hash", "password_hash"})


@dataclass(frozen=True)
class Ownership:
    """How the rows of one table belong to a room: through `key` into `parent` (None for rooms itself)."""

    table: Table
    key: ForeignKey | None
    parent: Table | None


def room_tables() -> dict[str, Ownership]:
    """Every table whose rows belong to a room, parents before children."""
    rooms = RoomRecord.__table__
    owned: dict[str, Ownership] = {rooms.name: Ownership(rooms, None, None)}
    changed = True
    while changed:
        changed = False
        for table in Base.metadata.sorted_tables:
            if table.name in owned:
                continue
            for fk in sorted(table.foreign_keys, key=lambda f: f.parent.name):
                target = fk.column.table
                binding = not fk.parent.nullable or (fk.ondelete or "").upper() == "CASCADE"
                if target.name in owned and binding and target is not table:
                    owned[table.name] = Ownership(table, fk, target)
                    changed = True
                    break
    order = [t.name for t in Base.metadata.sorted_tables]
    return dict(sorted(owned.items(), key=lambda kv: order.index(kv[0])))


def _ids(tables: dict[str, Ownership], name: str, room_id: int) -> Select:
    """SELECT the primary keys of `name`'s rows that belong to room `room_id`."""
    own = tables[name]
    pk = list(own.table.primary_key.columns)[0]
    if own.key is None:
        return select(pk).where(pk == room_id)
    return select(pk).where(own.key.parent.in_(_parent_ids(tables, own, room_id)))


def _parent_ids(tables: dict[str, Ownership], own: Ownership, room_id: int) -> Select:
    parent_ids = _ids(tables, own.parent.name, room_id)
    column = own.key.column
    parent_pk = list(own.parent.primary_key.columns)[0]
    if column is parent_pk:
        return parent_ids
    return select(column).where(parent_pk.in_(parent_ids))


def _rows_of(session: Session, tables: dict[str, Ownership], room_id: int) -> dict[str, list[dict]]:
    result = {}
    for name, own in tables.items():
        pk = list(own.table.primary_key.columns)[0]
        rows = session.execute(select(own.table).where(pk.in_(_ids(tables, name, room_id))).order_by(pk)).mappings().all()
        result[name] = [{k: _plain(v) for k, v in row.items() if k not in NEVER_EXPORTED} for row in rows]
    return result


def _plain(value: object) -> object:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def export_room(db: Database, facilitator_id: int | None, typed_code: str) -> dict:
    """Everything stored about one room, as plain JSON data (facilitator_id None = the CLI: any room)."""
    with db.transaction() as session:
        room = find_room(session, typed_code) if facilitator_id is None else owned_room(session, facilitator_id, typed_code)
        tables = room_tables()
        return {
            "format": "inzetspel-room-export/1",
            "exported_at": utcnow().isoformat() + "Z",
            "room_code": room.code,
            "note": "Alle gegevens van deze sessie. Zaadtokens en wachtwoorden worden nooit geëxporteerd.",
            "tables": _rows_of(session, tables, room.id),
        }


def _delete_room_rows(session: Session, room_id: int) -> dict[str, int]:
    """Delete one room's rows, children first; optional references from outside become NULL."""
    tables = room_tables()
    id_sets = {name: [r[0] for r in session.execute(_ids(tables, name, room_id))] for name in tables}
    for table in Base.metadata.sorted_tables:  # outside references first (and rooms.previous_room_id)
        for fk in table.foreign_keys:
            target = fk.column.table.name
            if target in tables and fk.parent.nullable and tables.get(table.name, Ownership(table, None, None)).key is not fk:
                ids = id_sets[target]
                if ids:
                    session.execute(update(table).where(fk.parent.in_(ids)).values({fk.parent.name: None})
                                    .execution_options(synchronize_session=False))
    counts = {}
    for name in reversed(list(tables)):
        own = tables[name]
        ids = id_sets[name]
        pk = list(own.table.primary_key.columns)[0]
        counts[name] = 0
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            counts[name] += session.execute(delete(own.table).where(pk.in_(chunk)).execution_options(synchronize_session=False)).rowcount
    return counts


@dataclass(frozen=True)
class DeletedRoom:
    code: str
    team_ids: tuple[int, ...]   # for telling connected tablets their seats are gone
    counts: dict[str, int]      # rows deleted per table


def delete_room(db: Database, facilitator_id: int | None, typed_code: str) -> DeletedRoom:
    """Delete a room with everything in it, in one transaction. facilitator_id None = any room (CLI)."""
    with db.transaction() as session:
        room = find_room(session, typed_code) if facilitator_id is None else owned_room(session, facilitator_id, typed_code)
        room_id, code, team_ids = room.id, room.code, tuple(t.id for t in room.teams)
        session.expunge_all()
        counts = _delete_room_rows(session, room_id)
        counts["deck_sources_anonymised"] = _forget_room_in_deck_sources(session, code)
        return DeletedRoom(code, team_ids, counts)


def _forget_room_in_deck_sources(session: Session, code: str) -> int:
    """A dilemma accepted into a deck keeps its card (the organisation's content now), but the deck
    version's note of where it came from ("submission@#12 CODE:author") no longer names the room."""
    like = f"submission@%{code}%"
    rows = session.execute(select(DeckRecord.id, DeckRecord.source).where(DeckRecord.source.like(like))).all()
    for deck_id, source in rows:
        session.execute(update(DeckRecord).where(DeckRecord.id == deck_id)
                        .values(source=source.replace(f" {code}", " –")).execution_options(synchronize_session=False))
    return len(rows)


def expired_rooms(db: Database, retention_days: int, now: dt.datetime | None = None) -> list[str]:
    """Codes of rooms created longer ago than the retention period."""
    cutoff = (now or utcnow()) - dt.timedelta(days=retention_days)
    with db.transaction() as session:
        return list(session.scalars(select(RoomRecord.code).where(RoomRecord.created_at < cutoff).order_by(RoomRecord.id)))


def purge(db: Database, retention_days: int, now: dt.datetime | None = None) -> list[str]:
    """Delete every room older than the retention period, one transaction per room; return their codes."""
    purged = []
    for code in expired_rooms(db, retention_days, now):
        delete_room(db, None, code)
        purged.append(code)
    return purged
