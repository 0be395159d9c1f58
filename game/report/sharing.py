"""Read-only share links for a room's report, and the link from a follow-up room to an earlier one."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from game.rules.privacy import DEFAULT_MIN_GROUP, LOWEST_MIN_GROUP
from game.rules.errors import RuleViolation
from game.store.db import Database
from game.store.models import DeckRecord, ReportShareRecord, RoomRecord, utcnow

TOKEN_BYTES = 32                  # 256 bits: unguessable; only its SHA-256 is stored
DEFAULT_EXPIRY_DAYS = 30
MAX_EXPIRY_DAYS = 366
MAX_MIN_GROUP = 20


@dataclass(frozen=True)
class ShareAccess:
    """What a valid token opens: one room's report, at the anonymity threshold the link was made with."""

    room_id: int
    min_group: int
    expires_at: dt.datetime


class ShareGone(Exception):
    """A link that existed but was revoked or has expired (HTTP 410)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "revoked" | "expired"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_share(db: Database, facilitator_id: int, room_id: int, days: int = DEFAULT_EXPIRY_DAYS,
                 min_group: int = DEFAULT_MIN_GROUP, label: str = "", now: dt.datetime | None = None) -> str:
    """Create a share link; return the token (shown once: the database keeps only its hash)."""
    if not 1 <= days <= MAX_EXPIRY_DAYS:
        raise RuleViolation("share/expiry", "Choose a validity of 1 to %(n)s days.", n=MAX_EXPIRY_DAYS)
    if not LOWEST_MIN_GROUP <= min_group <= MAX_MIN_GROUP:
        raise RuleViolation("share/min_group", "The minimum group size is %(low)s to %(high)s.", low=LOWEST_MIN_GROUP, high=MAX_MIN_GROUP)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = now or utcnow()
    with db.transaction() as session:
        _owned(session, facilitator_id, room_id)
        session.add(ReportShareRecord(room_id=room_id, token_hash=hash_token(token), created_by=facilitator_id,
                                      created_at=now, expires_at=now + dt.timedelta(days=days), min_group=min_group,
                                      label=" ".join(label.split())[:80]))
    return token


def resolve_share(db: Database, token: str, now: dt.datetime | None = None) -> ShareAccess:
    """The room a token opens; LookupError for an unknown token, ShareGone for a revoked or expired one."""
    if not token or len(token) > 200:
        raise LookupError("unknown")
    now = now or utcnow()
    with db.transaction() as session:
        share = session.scalar(select(ReportShareRecord).where(ReportShareRecord.token_hash == hash_token(token)))
        if share is None:
            raise LookupError("unknown")
        if share.revoked_at is not None:
            raise ShareGone("revoked")
        if share.expires_at <= now:
            raise ShareGone("expired")
        return ShareAccess(share.room_id, share.min_group, share.expires_at)


def revoke_share(db: Database, facilitator_id: int, room_id: int, share_id: int) -> None:
    """Revoke a link at once (it then shows a 'revoked' page)."""
    with db.transaction() as session:
        _owned(session, facilitator_id, room_id)
        share = session.get(ReportShareRecord, share_id)
        if share is None or share.room_id != room_id:
            raise RuleViolation("share/not_found", "This share link does not exist.")
        if share.revoked_at is None:
            share.revoked_at = utcnow()


def shares_of(db: Database, facilitator_id: int, room_id: int, now: dt.datetime | None = None) -> list[dict]:
    """A room's share links, newest first, with their state."""
    now = now or utcnow()
    with db.transaction() as session:
        _owned(session, facilitator_id, room_id)
        rows = session.scalars(select(ReportShareRecord).where(ReportShareRecord.room_id == room_id)
                               .order_by(ReportShareRecord.id.desc()))
        return [{"id": s.id, "label": s.label, "created_at": s.created_at, "expires_at": s.expires_at,
                 "min_group": s.min_group, "revoked_at": s.revoked_at,
                 "state": "revoked" if s.revoked_at else "expired" if s.expires_at <= now else "active"} for s in rows]


def earlier_rooms(db: Database, facilitator_id: int, room_id: int) -> list[dict]:
    """Rooms of the same facilitator and the same deck, created before this one: candidates to compare with."""
    with db.transaction() as session:
        room = _owned(session, facilitator_id, room_id)
        slug = session.get(DeckRecord, room.deck_id).slug
        rows = session.execute(
            select(RoomRecord.id, RoomRecord.code, RoomRecord.title, RoomRecord.created_at)
            .join(DeckRecord, DeckRecord.id == RoomRecord.deck_id)
            .where(RoomRecord.facilitator_id == facilitator_id, DeckRecord.slug == slug, RoomRecord.id != room.id,
                   RoomRecord.id < room.id)
            .order_by(RoomRecord.created_at.desc()))
        return [{"id": r.id, "code": r.code, "title": r.title, "created_at": r.created_at} for r in rows]


def link_previous(db: Database, facilitator_id: int, room_id: int, previous_id: int | None) -> None:
    """Link this room to an earlier room of the same deck (None: unlink)."""
    if previous_id is not None and previous_id not in {r["id"] for r in earlier_rooms(db, facilitator_id, room_id)}:
        raise RuleViolation("report/previous_room", "Choose an earlier session with the same card deck.")
    with db.transaction() as session:
        _owned(session, facilitator_id, room_id).previous_room_id = previous_id


def _owned(session, facilitator_id: int, room_id: int) -> RoomRecord:  # noqa: ANN001
    room = session.get(RoomRecord, room_id)
    if room is None or room.facilitator_id != facilitator_id:
        raise RuleViolation("room/not_your_room", "This is not your session.")
    return room
