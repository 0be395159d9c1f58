"""Facilitator accounts: the first one from the set-up page, later ones by a facilitator or the CLI."""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from game.rules.errors import RuleViolation
from game.store.db import Database
from game.store.models import FacilitatorRecord, RoomRecord

MIN_PASSWORD = 10
# Werkzeug's scrypt: a current memory-hard algorithm, salted.
HASH_METHOD = "scrypt"
# A hash to check against for unknown users, so a login takes as long whether the user exists or not.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method=HASH_METHOD)


def has_facilitators(db: Database) -> bool:
    with db.transaction() as session:
        return bool(session.scalar(select(func.count()).select_from(FacilitatorRecord)))


def create_facilitator(db: Database, username: str, password: str, *, first: bool = False) -> int:
    """Create an account; with first=True only while there is none (the set-up page)."""
    username = username.strip()
    if not 3 <= len(username) <= 80:
        raise RuleViolation("account/invalid_username", "Username: 3 to 80 characters.")
    if len(password) < MIN_PASSWORD:
        raise RuleViolation("account/weak_password", "Password: at least %(n)s characters.", n=MIN_PASSWORD)
    try:
        with db.transaction() as session:
            if first and session.scalar(select(func.count()).select_from(FacilitatorRecord)):
                raise RuleViolation("account/setup_done", "There already is a facilitator; log in.")
            # A random first session version: SQLite gives a removed account's id to the next account created,
            # and a cookie kept from the removed one must not match the new account's version (issue 17).
            record = FacilitatorRecord(username=username, password_hash=generate_password_hash(password, method=HASH_METHOD),
                                       session_version=secrets.randbelow(2**30))
            session.add(record)
            session.flush()
            return record.id
    except IntegrityError:
        raise RuleViolation("account/exists", "This username already exists.") from None


def verify_login(db: Database, username: str, password: str) -> int | None:
    """The facilitator's id when the password is right, else None."""
    with db.transaction() as session:
        record = session.scalar(select(FacilitatorRecord).where(FacilitatorRecord.username == username.strip()))
    if record is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return record.id if check_password_hash(record.password_hash, password) else None


def facilitator_name(db: Database, facilitator_id: int) -> str | None:
    with db.transaction() as session:
        record = session.get(FacilitatorRecord, facilitator_id)
        return record.username if record else None


def signed_in(db: Database, facilitator_id: object, version: object) -> str | None:
    """The facilitator's name while a session of `version` is still valid, else None (account removed,
    or logout / password change / "log out everywhere" ended every session up to now)."""
    if not isinstance(facilitator_id, int) or not isinstance(version, int):
        return None
    with db.transaction() as session:
        record = session.get(FacilitatorRecord, facilitator_id)
        return record.username if record is not None and record.session_version == version else None


def session_version(db: Database, facilitator_id: int) -> int:
    with db.transaction() as session:
        record = session.get(FacilitatorRecord, facilitator_id)
        return record.session_version if record else -1


def end_sessions(db: Database, facilitator_id: int) -> int:
    """End every session of the account (each one carries the version it started with); the new version."""
    with db.transaction() as session:
        record = session.get(FacilitatorRecord, facilitator_id, with_for_update=True)
        if record is None:
            return -1
        record.session_version = (record.session_version or 0) + 1
        return record.session_version


@dataclass(frozen=True)
class FacilitatorListing:
    """One account as `inzetspel users list` shows it."""

    username: str
    rooms: int
    created_at: dt.datetime | None


def list_facilitators(db: Database) -> list[FacilitatorListing]:
    """Every account with the number of rooms it owns, by username."""
    with db.transaction() as session:
        rooms = (select(RoomRecord.facilitator_id, func.count().label("n")).group_by(RoomRecord.facilitator_id)
                 .subquery())
        rows = session.execute(select(FacilitatorRecord.username, func.coalesce(rooms.c.n, 0), FacilitatorRecord.created_at)
                               .outerjoin(rooms, rooms.c.facilitator_id == FacilitatorRecord.id)
                               .order_by(FacilitatorRecord.username))
        return [FacilitatorListing(username, int(n), created_at) for username, n, created_at in rows]


def facilitator_id_of(db: Database, username: str) -> int | None:
    with db.transaction() as session:
        return session.scalar(select(FacilitatorRecord.id).where(FacilitatorRecord.username == username.strip()))


def remove_facilitator(db: Database, facilitator_id: int, rooms_to: int | None = None) -> int:
    """Remove an account in one transaction; the number of rooms handed over.

    Rooms keep their data: an account that owns rooms is removed only when they go to `rooms_to` (another
    existing account), else nothing changes. Its saved room settings go with it (ON DELETE CASCADE), and so
    do its sessions: signed_in finds no record, so a copied cookie is refused and a live socket on any
    process is refused at its next event (issue 17)."""
    with db.transaction() as session:
        # Locked first: on PostgreSQL a room being created for the account meanwhile (its foreign key check)
        # either commits before the count below or waits for this transaction and then fails.
        record = session.get(FacilitatorRecord, facilitator_id, with_for_update=True)
        if record is None:
            raise RuleViolation("account/unknown", "This account does not exist.")
        if rooms_to is not None:
            if rooms_to == facilitator_id:
                raise RuleViolation("account/rooms_to_self", "Hand the rooms to another account than the one you remove.")
            if session.get(FacilitatorRecord, rooms_to) is None:  # removed meanwhile: the rooms' foreign key refuses
                raise RuleViolation("account/unknown_rooms_to", "The account to hand the rooms to does not exist.")
        owned = session.scalar(select(func.count()).select_from(RoomRecord).where(RoomRecord.facilitator_id == facilitator_id))
        if owned and rooms_to is None:
            raise RuleViolation("account/has_rooms", "Rooms of this account: %(n)s. Name another account to hand them to.", n=owned)
        if owned:
            session.execute(update(RoomRecord).where(RoomRecord.facilitator_id == facilitator_id)
                            .values(facilitator_id=rooms_to).execution_options(synchronize_session=False))
        session.delete(record)
        return owned


def change_password(db: Database, facilitator_id: int, current: str, new: str) -> None:
    """Replace a facilitator's password after checking the current one (issue 8)."""
    if len(new) < MIN_PASSWORD:
        raise RuleViolation("account/weak_password", "Password: at least %(n)s characters.", n=MIN_PASSWORD)
    with db.transaction() as session:
        record = session.get(FacilitatorRecord, facilitator_id, with_for_update=True)
        if record is None or not check_password_hash(record.password_hash, current):
            raise RuleViolation("account/wrong_password", "The current password is wrong.")
        if check_password_hash(record.password_hash, new):
            raise RuleViolation("account/same_password", "Choose a password other than the current one.")
        record.password_hash = generate_password_hash(new, method=HASH_METHOD)
        # A changed password ends every other session, copied cookies included (issue 17).
        record.session_version = (record.session_version or 0) + 1
