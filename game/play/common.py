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

from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError, OperationalError
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
                    raise RuleViolation("server/busy", "It is busy right now; please try again.") from None
                time.sleep(random.uniform(0, 0.02 * attempt))  # jitter: racing retries do not collide again
            except OperationalError as exc:
                log.warning("%s: database unavailable: %s", fn.__name__, exc.orig)
                raise RuleViolation("server/unavailable", "The database cannot be reached right now; please try again.") from None
        raise AssertionError("unreachable")

    return wrapper
