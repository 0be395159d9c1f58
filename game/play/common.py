"""What the use cases share: the seat that asks, the outcome they return, and retries on conflicts."""
from __future__ import annotations

import functools
import hashlib
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ParamSpec, TypeVar

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session

from game.rules.errors import RuleViolation
from game.store.models import TeamRecord

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")
ATTEMPTS = 4
_TEAMS = TeamRecord.__table__
# Built once, SET columns taken from the parameters: SQLAlchemy compiles each combination of changed
# columns once, where a statement built per call cost a cache-key walk per vote (docs/benchmarks.md).
_SAVE_TEAM = _TEAMS.update().where(_TEAMS.c.id == bindparam("b_id"), _TEAMS.c.version == bindparam("b_version"))


@dataclass(frozen=True)
class Seat:
    """A player's seat as resolved from the seat token on the server (never from the payload)."""

    player_id: int
    team_id: int
    room_id: int
    room_code: str


@dataclass
class Outcome:
    """What a use case did: the reply for the sender and the team views to broadcast after commit."""

    reply: dict = field(default_factory=dict)
    team_views: dict[int, dict] = field(default_factory=dict)  # team_id -> team_view
    # A vote that did not complete the ballot changes only who has voted: team_id -> (room code,
    # voted_view). Sent instead of the whole view: a vote is the hottest action (docs/benchmarks.md).
    votes_cast: dict[int, tuple[str, dict]] = field(default_factory=dict)
    room_ids: set[int] = field(default_factory=set)          # rooms whose overview changed
    moved_players: dict[int, int] = field(default_factory=dict)  # player_id -> new team_id
    removed_players: set[int] = field(default_factory=set)
    # Events only the room's facilitators receive (dashboard): (room code, event name, payload).
    notices: list[tuple[str, str, dict]] = field(default_factory=list)


class Conflict(Exception):
    """Another action on the same team committed first; the use case runs again."""


# PostgreSQL aborted the transaction to break a lock cycle or a serialization conflict: nothing was
# written and the database is fine, so the use case lost a race and runs again (psycopg raises these
# as OperationalError subclasses: DeadlockDetected, SerializationFailure).
LOST_RACE_SQLSTATES = frozenset({"40001", "40P01"})


def lost_race(exc: BaseException) -> bool:
    """An OperationalError that is a lost race (deadlock, serialization failure), not a database down."""
    return isinstance(exc, OperationalError) and getattr(exc.orig, "sqlstate", None) in LOST_RACE_SQLSTATES


def busy() -> RuleViolation:
    return RuleViolation("server/busy", "It is busy right now; please try again.")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def save_team(session: Session, team: TeamRecord, **changes: object) -> None:
    """Write team changes only if nobody else changed the team since we read it (optimistic)."""
    # A Core UPDATE on the table: the ORM's bulk-update machinery cost a sixth of a vote's CPU
    # (docs/benchmarks.md). Like before, the in-memory `team` is not synchronised; pending ORM
    # changes are flushed by the next query or at commit, in the same transaction.
    result = session.execute(_SAVE_TEAM, {"b_id": team.id, "b_version": team.version, "version": team.version + 1, **changes})
    if result.rowcount != 1:
        raise Conflict(f"team {team.id} changed concurrently")


def lock_room_teams(session: Session, room_id: int) -> list[TeamRecord]:
    """Lock every team row of a room (PostgreSQL), always in id order. Without the ORDER BY the rows
    are locked in their physical order, which changes as teams are updated: two seatings could lock
    the same teams in opposite orders and deadlock (docs/benchmarks.md, "Seating burst on PostgreSQL").
    A use case that locks several teams one by one locks them in id order too."""
    return list(session.scalars(select(TeamRecord).where(TeamRecord.room_id == room_id).order_by(TeamRecord.id).with_for_update()))


def retried(fn: Callable[P, T]) -> Callable[P, T]:
    """Run a use case again when it lost a race (version conflict, unique constraint, deadlock or
    serialization failure). A pool with no free connection is `server/busy`, not a database down."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return fn(*args, **kwargs)
            except (Conflict, IntegrityError, OperationalError) as exc:
                if isinstance(exc, OperationalError) and not lost_race(exc):
                    log.warning("%s: database unavailable: %s", fn.__name__, exc.orig)
                    raise RuleViolation("server/unavailable", "The database cannot be reached right now; please try again.") from None
                if attempt == ATTEMPTS:
                    log.warning("%s gave up after %d attempts: %s", fn.__name__, attempt, getattr(exc, "orig", exc))
                    raise busy() from None
                time.sleep(random.uniform(0, 0.02 * attempt))  # jitter: racing retries do not collide again
            except PoolTimeout as exc:  # every pooled connection stayed in use for the pool timeout: nothing was done
                log.warning("%s: no database connection free: %s", fn.__name__, exc)
                raise busy() from None
        raise AssertionError("unreachable")

    return wrapper
