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

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from game.play.events import Event, TeamEvent
from game.rules.errors import RuleViolation
from game.store.teams import Conflict

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")
ATTEMPTS = 4


@dataclass(frozen=True)
class Seat:
    """A player's seat as resolved from the seat token on the server (never from the payload)."""

    player_id: int
    team_id: int
    room_id: int
    room_code: str


@dataclass
class Outcome:
    """What a use case did: the reply for its sender, and what happened (game/play/events.py), which
    game/live/broadcast.py sends on after the commit."""

    reply: dict = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)

    @property
    def team_views(self) -> dict[int, dict]:
        """The view of each team the events changed (the newest per team), as its tablets receive it."""
        return {event.team_id: event.view for event in self.events if isinstance(event, TeamEvent)}


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
