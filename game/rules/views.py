"""What each viewer may see: one place decides that votes stay secret until the reveal."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from game.rules.cards import Card
from game.rules.phases import Phase
from game.rules.turns import TeamState

REVEALED_PHASES = frozenset({Phase.DISCUSS, Phase.DECIDE})


@dataclass(frozen=True)
class SeatInfo:
    player_id: int
    name: str
    role: str
    online: bool


@dataclass(frozen=True)
class ArgumentInfo:
    argument_id: int
    player_id: int
    stance: int | str | None
    text: str


@dataclass(frozen=True)
class DecisionInfo:
    round_number: int
    card_title: str
    position: int | None
    position_label: str | None
    rationale: str
    action_what: str | None = None
    action_owner: str | None = None
    action_due: dt.date | None = None


@dataclass(frozen=True)
class TeamSnapshot:
    """Everything about one team that any viewer could see, secrets included (votes)."""

    room_code: str
    room_title: str
    language: str
    roles: tuple[str, ...]
    team_id: int
    team_name: str
    state: TeamState
    seats: tuple[SeatInfo, ...]
    votes: tuple[tuple[int, int], ...]      # (player_id, choice) of the current round: SECRET
    arguments: tuple[ArgumentInfo, ...]
    decisions: tuple[DecisionInfo, ...]


def card_view(card: Card | None, language: str) -> dict | None:
    if card is None:
        return None
    return {
        "key": card.key,
        "kind": card.kind.value,
        "title": card.title,
        "text": card.text,
        "choices": [{"value": v, "label": label} for v, label in zip(card.choices(), card.choice_labels(language))],
        "prompts": list(card.prompts),
    }


def distribution(card: Card, votes: tuple[tuple[int, int], ...]) -> list[dict]:
    """Counts per choice, in choice order, zeros included: no names attached."""
    counts = Counter(choice for _, choice in votes)
    return [{"value": v, "count": counts.get(v, 0)} for v in card.choices()]


def view_round(state: TeamState) -> int:
    """The round a client acts on: the one in play, or the next one while drawing."""
    return state.round_number if state.phase is not Phase.DRAW and state.round_number else state.rounds_done + 1


def team_view(snap: TeamSnapshot) -> dict:
    """The team's shared screen: who voted (not what) until the reveal, then the distribution."""
    state = snap.state
    revealed = state.phase in REVEALED_PHASES and state.card is not None
    return {
        "room": {"code": snap.room_code, "title": snap.room_title, "language": snap.language, "roles": list(snap.roles)},
        "team": {"id": snap.team_id, "name": snap.team_name},
        "phase": state.phase.value,
        "round": view_round(state),
        "rounds_done": state.rounds_done,
        "cards_total": state.cards_total,
        "room_open": state.room_open,
        "turn_player_id": state.turn_player_id if state.phase is not Phase.DRAW else state.next_turn_player(),
        "players": [
            {"id": s.player_id, "name": s.name, "role": s.role, "online": s.online, "voted": s.player_id in state.voter_ids}
            for s in snap.seats
        ],
        "card": card_view(state.card, snap.language) if state.phase is not Phase.DRAW else None,
        "votes_cast": len(state.voter_ids),
        "distribution": distribution(state.card, snap.votes) if revealed else None,
        "arguments": [{"id": a.argument_id, "stance": a.stance, "text": a.text} for a in snap.arguments],
        "decisions": [
            {
                "round": d.round_number, "card_title": d.card_title, "position": d.position,
                "position_label": d.position_label, "rationale": d.rationale,
                "action": None if d.action_what is None else {
                    "what": d.action_what, "owner": d.action_owner,
                    "due": d.action_due.isoformat() if d.action_due else None,
                },
            }
            for d in snap.decisions
        ],
    }


def seat_view(snap: TeamSnapshot, player_id: int) -> dict:
    """What only this player sees: who they are and their own vote and arguments."""
    me = next((s for s in snap.seats if s.player_id == player_id), None)
    my_vote = next((choice for pid, choice in snap.votes if pid == player_id), None)
    return {
        "player_id": player_id,
        "round": view_round(snap.state),
        "name": me.name if me else None,
        "role": me.role if me else None,
        "my_vote": my_vote,
        "my_argument_ids": [a.argument_id for a in snap.arguments if a.player_id == player_id],
    }
