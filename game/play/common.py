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

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from game.rules.errors import RuleViolation
from game.store.models import TeamRecord

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
    """What a use case did: the reply for the sender and the team views to broadcast after commit."""

    reply: dict = field(default_factory=dict)
    team_views: dict[int, dict] = field(default_factory=dict)  # team_id -> team_view
    room_ids: set[int] = field(default_factory=set)          # rooms whose overview changed


class Conflict(Exception):
    """Another action on the same team committed first; the use case runs again."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def save_team(session: Session, team: TeamRecord, **changes: object) -> None:
    """Write team changes only if nobody else changed the team since we read it (optimistic)."""
    result = session.execute(
        update(TeamRecord)
        .where(TeamRecord.id == team.id, TeamRecord.version == team.version)
        .values(version=team.version + 1, **changes)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(f"team {team.id} changed concurrently")


def retried(fn: Callable[P, T]) -> Callable[P, T]:
    """Run a use case again when it lost a race (version conflict or unique constraint)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return fn(*args, **kwargs)
            except (Conflict, IntegrityError) as exc:
                if attempt == ATTEMPTS:
                    log.warning("%s gave up after %d attempts: %s", fn.__name__, attempt, exc)
                    raise RuleViolation("server/busy", "Het is even druk; probeer het opnieuw.") from None
                time.sleep(random.uniform(0, 0.02 * attempt))  # jitter: racing retries do not collide again
            except OperationalError as exc:
                log.warning("%s: database unavailable: %s", fn.__name__, exc.orig)
                raise RuleViolation("server/unavailable", "De database is even niet bereikbaar; probeer het opnieuw.") from None
        raise AssertionError("unreachable")

    return wrapper
