"""'Can you live with it?': the private answers on a decision, and the counts the facilitator may see."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from game.rules.alerts import comfort_alerts, comfort_flags
from game.rules.settings import RoomSettings
from game.store.models import ComfortRecord, RoomCardRecord, RoundRecord


def record_comfort(session: Session, team_id: int, round_number: int, player_id: int, score: int) -> None:
    """The player's answer on the team's round `round_number` (a second answer replaces the first)."""
    rnd = session.scalar(select(RoundRecord).where(RoundRecord.team_id == team_id, RoundRecord.number == round_number))
    record = session.scalar(select(ComfortRecord).where(ComfortRecord.round_id == rnd.id, ComfortRecord.player_id == player_id))
    if record is None:
        session.add(ComfortRecord(round_id=rnd.id, player_id=player_id, score=score))
    else:
        record.score = score


def comfort_due(session: Session, team_id: int, rounds_done: int, settings: RoomSettings) -> tuple[int, frozenset[int]] | None:
    """With 'can you live with it?' on: the last decided round and who has answered it."""
    if not settings.comfort or rounds_done == 0:
        return None
    rnd = session.scalar(select(RoundRecord).where(RoundRecord.team_id == team_id, RoundRecord.number == rounds_done))
    if rnd is None or rnd.skipped:
        return None
    answered = frozenset(session.scalars(select(ComfortRecord.player_id).where(ComfortRecord.round_id == rnd.id)))
    return rnd.number, answered


def comfort_of_teams(session: Session, team_ids: list[int]) -> list[dict]:
    """'Can you live with it?' per team for the facilitator: counts and alerts, never who answered what."""
    rows = session.execute(
        select(RoundRecord.team_id, RoundRecord.number, RoomCardRecord.card, ComfortRecord.score)
        .join(RoundRecord, RoundRecord.id == ComfortRecord.round_id)
        .join(RoomCardRecord, RoomCardRecord.id == RoundRecord.room_card_id)
        .where(RoundRecord.team_id.in_(team_ids)).order_by(RoundRecord.number)).all()
    result = []
    for team_id in team_ids:
        flags = comfort_flags([(n, card["title"], score) for t, n, card, score in rows if t == team_id])
        result.append({"team_id": team_id, **flags, "alerts": comfort_alerts(flags)})
    return result
