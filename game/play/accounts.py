"""Facilitator accounts: the first one from the set-up page, later ones by a facilitator or the CLI."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from game.rules.errors import RuleViolation
from game.store.db import Database
from game.store.models import FacilitatorRecord

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
            record = FacilitatorRecord(username=username, password_hash=generate_password_hash(password, method=HASH_METHOD))
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


def remove_facilitator(db: Database, facilitator_id: int) -> None:
    """Remove an account: its sessions end with it (signed_in finds no record)."""
    with db.transaction() as session:
        record = session.get(FacilitatorRecord, facilitator_id)
        if record is not None:
            session.delete(record)


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
