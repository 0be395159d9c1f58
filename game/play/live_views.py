"""Read models for the room's dashboards and big screen: loaded here, released through the privacy gate."""
from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from game.decks import card_from_data
from game.play import rooms
from game.rules.live_figures import (
    comfort_view, finished_cards, gate_overview, min_group_of, released_teams, settled_rounds, watch_view,
)
from game.rules.screen_view import screen_view
from game.rules.views import card_view
from game.store.db import Database
from game.store.models import PlayerRecord, RoomCardRecord, RoomRecord, RoundRecord, TeamRecord, VoteRecord


def dashboard_overview(db: Database, facilitator_id: int, typed_code: str, online: frozenset[int] = frozenset()) -> dict:
    """The facilitator's overview (players by name, who voted) with every figure gated."""
    return gate_overview(rooms.room_overview(db, facilitator_id, typed_code, online))


def screen_state(db: Database, typed_code: str, online: frozenset[int] = frozenset()) -> dict:
    """The big screen's whole state: no names, no roles, gated figures (game/rules/screen_view.py)."""
    overview = rooms.screen_overview(db, typed_code, online)
    with db.transaction() as session:
        room = session.scalar(select(RoomRecord).where(RoomRecord.code == overview["room"]["code"]))
        history = _history(session, room)
    return screen_view(overview, history)


def _history(session, room: RoomRecord) -> dict[int, dict]:  # noqa: ANN001
    """Every revealed ballot of the room: round -> card and the counts per team (never who)."""
    rows = session.execute(
        select(RoundRecord.id, RoundRecord.team_id, RoundRecord.number, RoundRecord.revealed_at,
               RoundRecord.revote_revealed_at, RoomCardRecord.card)
        .join(TeamRecord, TeamRecord.id == RoundRecord.team_id)
        .join(RoomCardRecord, RoomCardRecord.id == RoundRecord.room_card_id)
        .where(TeamRecord.room_id == room.id, RoundRecord.revealed_at.is_not(None))).all()
    if not rows:
        return {}
    votes = session.execute(select(VoteRecord.round_id, VoteRecord.ballot, VoteRecord.choice)
                            .where(VoteRecord.round_id.in_([r.id for r in rows]))).all()
    tally = Counter((v.round_id, v.ballot, v.choice) for v in votes)
    history: dict[int, dict] = {}
    for r in rows:
        card = card_from_data(r.card)
        entry = history.setdefault(r.number, {"card": card_view(card, room.language), "first": {}, "second": {}})
        entry["first"][r.team_id] = [tally[(r.id, 1, c)] for c in card.choices()]
        if r.revote_revealed_at is not None:
            entry["second"][r.team_id] = [tally[(r.id, 2, c)] for c in card.choices()]
    return history


def team_sizes_of_room(db: Database, code: str) -> dict[int, int]:
    """Seated voters per team (observers and removed seats excluded), for the gate's complement rule."""
    with db.transaction() as session:
        team_ids = session.scalars(select(TeamRecord.id).join(RoomRecord, RoomRecord.id == TeamRecord.room_id)
                                   .where(RoomRecord.code == code)).all()
        sizes = dict.fromkeys(team_ids, 0)
        rows = session.execute(select(PlayerRecord.team_id, func.count()).where(
            PlayerRecord.team_id.in_(team_ids), PlayerRecord.observer.is_(False), PlayerRecord.removed_at.is_(None))
            .group_by(PlayerRecord.team_id)).all() if team_ids else []
        sizes.update({team_id: n for team_id, n in rows})
        return sizes


def watch_views(db: Database, code: str, views: list[dict]) -> list[dict]:
    """Changed team views as the room's dashboards may receive them."""
    if not views:
        return []
    shown = released_teams(team_sizes_of_room(db, code), min_group_of(views[0]))
    return [watch_view(v, v["team"]["id"] in shown) for v in views]


def comfort_notice(db: Database, code: str, entry: dict) -> dict:
    """A team's comfort counts for the dashboards, through the gate (complete rounds only)."""
    sizes = team_sizes_of_room(db, code)
    with db.transaction() as session:
        room = session.scalar(select(RoomRecord).where(RoomRecord.code == code))
        team = session.get(TeamRecord, entry["team_id"])
        min_group = min_group_of({"settings": room.settings or {}})
        settled = settled_rounds(entry, sizes.get(team.id, 0), team.rounds_done, team.phase, room.is_open)
    return comfort_view(entry, min_group, entry["team_id"] in released_teams(sizes, min_group), settled)


def settled_cards(db: Database, room_id: int) -> set[int]:
    """Positions of the room's cards every table with seated players has finished (decided or skipped), or
    every card once the room has ended: the same rule as the report of a room still playing
    (game/report/load.py), so the dashboard's live role-group picture no longer changes between refreshes."""
    with db.transaction() as session:
        room = session.get(RoomRecord, room_id)
        position_of = dict(session.execute(select(RoomCardRecord.id, RoomCardRecord.position)
                                           .where(RoomCardRecord.room_id == room_id)).all())
        if not room.is_open:
            return set(position_of.values())
        seated = set(session.scalars(select(PlayerRecord.team_id).where(
            PlayerRecord.room_id == room_id, PlayerRecord.observer.is_(False), PlayerRecord.removed_at.is_(None))))
        rounds_done = dict(session.execute(select(TeamRecord.id, TeamRecord.rounds_done).where(TeamRecord.room_id == room_id)).all())
        rounds = session.execute(
            select(RoundRecord.team_id, RoundRecord.room_card_id, RoundRecord.number, RoundRecord.skipped)
            .join(TeamRecord, TeamRecord.id == RoundRecord.team_id).where(TeamRecord.room_id == room_id)).all()
    return {position_of[card_id] for card_id in finished_cards(rounds, rounds_done, seated)}
