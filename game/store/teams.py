"""Team rows: lock one (one writer per team), save it with a version check, lock a room's teams in order."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session

from game.rules.errors import RuleViolation
from game.store.models import TeamRecord

_TEAMS = TeamRecord.__table__
# Built once, SET columns taken from the parameters: SQLAlchemy compiles each combination of changed
# columns once, where a statement built per call cost a cache-key walk per vote (docs/benchmarks.md).
_SAVE_TEAM = _TEAMS.update().where(_TEAMS.c.id == bindparam("b_id"), _TEAMS.c.version == bindparam("b_version"))
_Q_LOCK_TEAM = select(_TEAMS.c.id, _TEAMS.c.room_id, _TEAMS.c.phase, _TEAMS.c.rounds_done, _TEAMS.c.version,
                      _TEAMS.c.deadline_at).where(_TEAMS.c.id == bindparam("team_id")).with_for_update()


class Conflict(Exception):
    """Another action on the same team committed first; the use case runs again."""


def _not_found() -> RuleViolation:
    return RuleViolation("team/not_found", "This team does not exist.")


def lock_team(session: Session, team_id: int) -> TeamRecord:
    """Load the team and lock its row (PostgreSQL): one writer per team at a time, across processes.
    SQLite needs no row lock: BEGIN IMMEDIATE already serialises writers."""
    team = session.get(TeamRecord, team_id, with_for_update=True)
    if team is None:
        raise _not_found()
    return team


def lock_team_row(session: Session, team_id: int) -> Row:
    """lock_team as a Core row with the fields the players' use cases read (id, room_id, phase,
    rounds_done, version, deadline_at): the ORM's identity-map load was a sixth of a vote's CPU
    (docs/benchmarks.md). Writes go through save_team."""
    team = session.execute(_Q_LOCK_TEAM, {"team_id": team_id}).one_or_none()
    if team is None:
        raise _not_found()
    return team


def save_team(session: Session, team: TeamRecord | Row, **changes: object) -> None:
    """Write team changes only if nobody else changed the team since we read it (optimistic); the
    version goes up by one even without other changes: every action on a team is one version."""
    # A Core UPDATE on the table: the ORM's bulk-update machinery cost a sixth of a vote's CPU
    # (docs/benchmarks.md). The in-memory `team` is not synchronised; pending ORM changes are
    # flushed by the next query or at commit, in the same transaction.
    result = session.execute(_SAVE_TEAM, {"b_id": team.id, "b_version": team.version, "version": team.version + 1, **changes})
    if result.rowcount != 1:
        raise Conflict(f"team {team.id} changed concurrently")


def lock_room_teams(session: Session, room_id: int) -> list[TeamRecord]:
    """Lock every team row of a room (PostgreSQL), always in id order. Without the ORDER BY the rows
    are locked in their physical order, which changes as teams are updated: two seatings could lock
    the same teams in opposite orders and deadlock (docs/benchmarks.md, "Seating burst on PostgreSQL").
    A use case that locks several teams one by one locks them in id order too."""
    return list(session.scalars(select(TeamRecord).where(TeamRecord.room_id == room_id).order_by(TeamRecord.id).with_for_update()))


def teams_due(session: Session, now: dt.datetime) -> list[int]:
    """Teams whose phase timer has run out by `now`."""
    return list(session.scalars(select(TeamRecord.id).where(TeamRecord.deadline_at.is_not(None), TeamRecord.deadline_at <= now)))
