"""Read a team from the database into the rules' values: TeamState and TeamSnapshot."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from game.decks import card_from_data
from game.rules.phases import Phase
from game.rules.turns import TeamState
from game.rules.views import ArgumentInfo, DecisionInfo, SeatInfo, TeamSnapshot
from game.store.models import (
    ArgumentRecord, DecisionRecord, PlayerRecord, RoomCardRecord, RoomRecord, RoundRecord, TeamRecord,
    VoteRecord,
)


def current_round(session: Session, team: TeamRecord) -> RoundRecord | None:
    """The round in play (a card is drawn and not yet decided), if any."""
    if Phase(team.phase) in (Phase.DRAW, Phase.FINISHED):
        return None
    return session.scalar(select(RoundRecord).where(RoundRecord.team_id == team.id, RoundRecord.number == team.rounds_done + 1))


def load_team_state(session: Session, team: TeamRecord) -> tuple[TeamState, RoundRecord | None]:
    """The pure state the rules judge, plus the current round record (for writing)."""
    room = session.get(RoomRecord, team.room_id)
    player_ids = tuple(session.scalars(select(PlayerRecord.id).where(PlayerRecord.team_id == team.id).order_by(PlayerRecord.id)))
    rnd = current_round(session, team)
    card = voter_ids = None
    if rnd is not None:
        card = card_from_data(session.get(RoomCardRecord, rnd.room_card_id).card)
        voter_ids = frozenset(session.scalars(select(VoteRecord.player_id).where(VoteRecord.round_id == rnd.id, VoteRecord.ballot == 1)))
    state = TeamState(
        room_open=room.is_open,
        phase=Phase(team.phase),
        player_ids=player_ids,
        rounds_done=team.rounds_done,
        cards_total=room.cards_total,
        round_number=rnd.number if rnd else None,
        card=card,
        turn_player_id=rnd.turn_player_id if rnd else None,
        voter_ids=voter_ids or frozenset(),
    )
    return state, rnd


def load_snapshot(session: Session, team: TeamRecord, online: set[int] | frozenset[int] = frozenset()) -> TeamSnapshot:
    """Everything a view of this team may draw on (the view functions decide what is shown)."""
    state, rnd = load_team_state(session, team)
    room = session.get(RoomRecord, team.room_id)
    players = session.scalars(select(PlayerRecord).where(PlayerRecord.team_id == team.id).order_by(PlayerRecord.id))
    seats = tuple(SeatInfo(p.id, p.display_name, p.role, p.id in online) for p in players)
    votes: tuple[tuple[int, int], ...] = ()
    arguments: tuple[ArgumentInfo, ...] = ()
    if rnd is not None:
        votes = tuple(session.execute(
            select(VoteRecord.player_id, VoteRecord.choice).where(VoteRecord.round_id == rnd.id, VoteRecord.ballot == 1)
        ).all())
        arguments = tuple(
            ArgumentInfo(a.id, a.player_id, _stance_out(a.stance), a.text)
            for a in session.scalars(select(ArgumentRecord).where(ArgumentRecord.round_id == rnd.id).order_by(ArgumentRecord.id))
        )
    return TeamSnapshot(
        room_code=room.code, room_title=room.title, language=room.language, roles=tuple(room.roles),
        team_id=team.id, team_name=team.name, state=state, seats=seats, votes=votes,
        arguments=arguments, decisions=_decisions(session, team, room.language),
    )


def _decisions(session: Session, team: TeamRecord, language: str) -> tuple[DecisionInfo, ...]:
    rows = session.execute(
        select(RoundRecord.number, RoomCardRecord.card, DecisionRecord)
        .join(DecisionRecord, DecisionRecord.round_id == RoundRecord.id)
        .join(RoomCardRecord, RoomCardRecord.id == RoundRecord.room_card_id)
        .where(RoundRecord.team_id == team.id)
        .order_by(RoundRecord.number)
    ).all()
    result = []
    for number, card_data, decision in rows:
        card = card_from_data(card_data)
        labels = dict(zip(card.choices(), card.choice_labels(language)))
        result.append(DecisionInfo(
            round_number=number, card_title=card.title, position=decision.position,
            position_label=labels.get(decision.position) if decision.position is not None else None,
            rationale=decision.rationale, action_what=decision.action_what,
            action_owner=decision.action_owner, action_due=decision.action_due,
        ))
    return tuple(result)


def stance_in(stance: int | str | None) -> str | None:
    return None if stance is None else str(stance)


def _stance_out(stance: str | None) -> int | str | None:
    return int(stance) if stance is not None and stance.isdigit() else stance
