"""Read one room's stored play into plain values for the aggregate (the report's only queries)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from game.rules.live_figures import finished_cards
from game.store.models import (
    ArgumentRecord, ComfortRecord, DecisionRecord, HelpfulMarkRecord, PlayerRecord, RoomCardRecord, RoomRecord, RoundRecord, SubmissionRecord,
    TeamRecord, VoteRecord,
)

# Submissions the report shows: waiting for review ("new") or taken into a deck ("accepted"), never
# rejected ones (the statuses of SubmissionRecord.status).
SUBMISSION_STATUSES = ("new", "accepted")


@dataclass(frozen=True)
class Vote:
    round_id: int
    player_id: int
    ballot: int
    choice: int
    prediction: int | None = None   # first ballot: the team majority the player expected


@dataclass(frozen=True)
class Argument:
    """An argument as the report sees it: no author."""

    round_id: int
    stance: str | None
    text: str
    helpful: int = 0   # *nuttig* taps by other players


@dataclass(frozen=True)
class Decision:
    round_id: int
    position: int | None
    rationale: str
    action_what: str | None
    action_owner: str | None
    action_due: dt.date | None
    status: str = "open"   # the action's follow-through: open, done, dropped


@dataclass(frozen=True)
class Round:
    id: int
    team_id: int
    room_card_id: int
    number: int
    skipped: bool = False


@dataclass(frozen=True)
class Comfort:
    """A 'can you live with it?' answer (1-5) on a team's decision: no player attached."""

    round_id: int
    score: int


@dataclass(frozen=True)
class Submission:
    """A dilemma a player brought in: no author."""

    title: str
    text: str
    options: list
    status: str


@dataclass
class RoomData:
    """Everything the report is computed from; display names are deliberately not loaded."""

    id: int
    code: str
    title: str
    language: str
    deck_slug: str
    deck_title: str
    created_at: dt.datetime
    ended_at: dt.datetime | None
    is_open: bool
    roles: list[str]
    cards_total: int
    teams: list[tuple[int, str]]                          # (team id, name) in position order
    players: dict[int, tuple[str, int]]                   # player id -> (role, team id)
    participant_ids: set[int]                             # seated players, not observers (plus anyone who voted)
    cards: list[tuple[int, int, dict]]                    # (room card id, position, card data)
    rounds: list[Round] = field(default_factory=list)
    votes: list[Vote] = field(default_factory=list)
    arguments: list[Argument] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    comfort: list[Comfort] = field(default_factory=list)
    submissions: list[Submission] = field(default_factory=list)
    settings: dict = field(default_factory=dict)        # the room's settings (game/rules/settings.py)


def load_room(session: Session, room: RoomRecord) -> RoomData:
    """The stored play of one room."""
    teams = session.scalars(select(TeamRecord).where(TeamRecord.room_id == room.id).order_by(TeamRecord.position)).all()
    rows = session.execute(select(PlayerRecord.id, PlayerRecord.role, PlayerRecord.team_id, PlayerRecord.observer,
                                  PlayerRecord.removed_at).where(PlayerRecord.room_id == room.id)).all()
    players = {pid: (role, team_id) for pid, role, team_id, _, _ in rows}
    cards = [(c.id, c.position, c.card) for c in session.scalars(
        select(RoomCardRecord).where(RoomCardRecord.room_id == room.id).order_by(RoomCardRecord.position))]
    in_room = select(RoundRecord.id).join(TeamRecord, TeamRecord.id == RoundRecord.team_id).where(TeamRecord.room_id == room.id)
    rounds = [Round(*row) for row in session.execute(
        select(RoundRecord.id, RoundRecord.team_id, RoundRecord.room_card_id, RoundRecord.number, RoundRecord.skipped)
        .join(TeamRecord, TeamRecord.id == RoundRecord.team_id).where(TeamRecord.room_id == room.id))]
    votes = [Vote(*row) for row in session.execute(
        select(VoteRecord.round_id, VoteRecord.player_id, VoteRecord.ballot, VoteRecord.choice, VoteRecord.prediction)
        .where(VoteRecord.round_id.in_(in_room)))]
    helpful = (select(func.count()).select_from(HelpfulMarkRecord)
               .where(HelpfulMarkRecord.argument_id == ArgumentRecord.id, HelpfulMarkRecord.player_id != ArgumentRecord.player_id)
               .correlate(ArgumentRecord).scalar_subquery())
    arguments = [Argument(*row) for row in session.execute(
        select(ArgumentRecord.round_id, ArgumentRecord.stance, ArgumentRecord.text, helpful)
        .where(ArgumentRecord.round_id.in_(in_room)).order_by(ArgumentRecord.id))]
    decisions = [Decision(*row) for row in session.execute(
        select(DecisionRecord.round_id, DecisionRecord.position, DecisionRecord.rationale, DecisionRecord.action_what,
               DecisionRecord.action_owner, DecisionRecord.action_due, DecisionRecord.action_status)
        .where(DecisionRecord.round_id.in_(in_room)))]
    comfort = [Comfort(*row) for row in session.execute(
        select(ComfortRecord.round_id, ComfortRecord.score).where(ComfortRecord.round_id.in_(in_room)))]
    submissions = [Submission(*row) for row in session.execute(
        select(SubmissionRecord.title, SubmissionRecord.text, SubmissionRecord.options, SubmissionRecord.status)
        .where(SubmissionRecord.room_id == room.id, SubmissionRecord.status.in_(SUBMISSION_STATUSES))
        .order_by(SubmissionRecord.id))]
    if room.is_open:
        votes, comfort = _settled_only(rounds, votes, comfort, {t.id: t.rounds_done for t in teams},
                                       {team_id for _, _, team_id, observer, removed in rows if not observer and removed is None})
    # Participants: everyone seated to play (observers only watch), and anyone whose vote counts,
    # even if the facilitator removed them later.
    voted = {v.player_id for v in votes}
    participant_ids = {pid for pid, _, _, observer, removed in rows if not observer and removed is None} | voted
    return RoomData(
        id=room.id, code=room.code, title=room.title, language=room.language, deck_slug=room.deck.slug,
        deck_title=room.deck.title, created_at=room.created_at, ended_at=room.ended_at, is_open=room.is_open,
        roles=list(room.roles), cards_total=room.cards_total, teams=[(t.id, t.name) for t in teams],
        players=players, participant_ids=participant_ids, cards=cards, rounds=rounds, votes=votes, arguments=arguments,
        decisions=decisions, comfort=comfort, submissions=submissions, settings=dict(room.settings or {}),
    )


def _settled_only(rounds: list[Round], votes: list[Vote], comfort: list[Comfort], rounds_done: dict[int, int],
                  seated_teams: set[int]) -> tuple[list[Vote], list[Comfort]]:
    """While a room plays, only the votes of cards every seated table has finished (decided or skipped), and
    a round's comfort answers once its table has drawn a later card.

    A figure that grows answer by answer gives each answer away as the difference between two reloads of the
    report (docs/privacy.md, "Time"): a vote not yet revealed, or one small table's reveal beside the others."""
    settled = finished_cards(((r.team_id, r.room_card_id, r.number, r.skipped) for r in rounds), rounds_done, seated_teams)
    last_round: dict[int, int] = {}
    for r in rounds:
        last_round[r.team_id] = max(last_round.get(r.team_id, 0), r.number)
    counted = {r.id for r in rounds if r.room_card_id in settled}
    answered_all = {r.id for r in rounds if r.id in counted and r.number < last_round[r.team_id]}
    return [v for v in votes if v.round_id in counted], [c for c in comfort if c.round_id in answered_all]
