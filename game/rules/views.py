"""What each viewer may see: one place decides that votes stay secret until the reveal."""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from dataclasses import dataclass

from game.rules.alerts import team_alerts
from game.rules.cards import Card, CardKind
from game.rules.phases import Phase
from game.rules.points import RoundFacts, badges, majority, player_points
from game.rules.turns import TeamState

# Where each ballot's distribution may be seen. The first vote is hidden again during the second
# ballot, so nobody is anchored by it; both are shown while the team decides.
FIRST_VISIBLE = frozenset({Phase.DISCUSS, Phase.DECIDE})
SECOND_VISIBLE = frozenset({Phase.DECIDE})
Vote = tuple  # (player_id, choice) or (player_id, choice, prediction)


def _prediction(vote: Vote) -> int | None:
    return vote[2] if len(vote) > 2 else None


@dataclass(frozen=True)
class SeatInfo:
    player_id: int
    name: str
    role: str
    online: bool
    observer: bool = False


@dataclass(frozen=True)
class ArgumentInfo:
    argument_id: int
    player_id: int
    stance: int | str | None
    text: str
    helpful_by: frozenset[int] = frozenset()


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
    votes: tuple[Vote, ...]           # first ballot of the current round: SECRET
    arguments: tuple[ArgumentInfo, ...]
    decisions: tuple[DecisionInfo, ...]
    votes2: tuple[Vote, ...] = ()     # second ballot: SECRET
    message: str | None = None
    seconds_left: int | None = None
    phase_seconds: int | None = None
    facts: tuple[RoundFacts, ...] = ()
    # The team row's version, bumped by every action: with several server processes a view can reach
    # a client after a newer one (each process publishes when it is done), so clients drop older ones.
    version: int = 0
    comfort_due: tuple[int, frozenset[int]] | None = None


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
        "themes": list(card.themes),
    }


def distribution(card: Card, votes: tuple[Vote, ...]) -> list[dict]:
    """Counts per choice, in choice order, zeros included: no names attached."""
    counts = Counter(vote[1] for vote in votes)
    return [{"value": v, "count": counts.get(v, 0)} for v in card.choices()]


def predictions_summary(card: Card, votes: tuple[Vote, ...]) -> dict:
    """How many predicted the team's majority right: a count, never who."""
    made = {vote[0]: _prediction(vote) for vote in votes if _prediction(vote) is not None}
    winners = majority(card.kind, {vote[0]: vote[1] for vote in votes})
    return {"made": len(made), "right": sum(1 for pred in made.values() if pred in winners),
            "majority": sorted(winners)}


def view_round(state: TeamState) -> int:
    """The round a client acts on: the one in play, or the next one while drawing."""
    return state.round_number if state.phase is not Phase.DRAW and state.round_number else state.rounds_done + 1


def team_view(snap: TeamSnapshot) -> dict:
    """The team's shared screen: who voted (not what) until the reveal, then the distribution."""
    state = snap.state
    card = state.card if state.phase is not Phase.DRAW else None
    first = card is not None and state.phase in FIRST_VISIBLE
    second = card is not None and state.phase in SECOND_VISIBLE and bool(snap.votes2)
    # "x of y": only the players present and seated count (presence unknown when nobody is online).
    present = frozenset(s.player_id for s in snap.seats if s.online)
    # Whose turn: the turn player, or a present player standing in while the turn player is away.
    turn = (dataclasses.replace(state, present_ids=present) if present else state).acting_turn_player()
    due = state.due_turn_player()
    state = dataclasses.replace(state, present_ids=present) if present and card is not None else state
    eligible = state.voters_eligible() if card is not None else frozenset(state.player_ids)
    needed = state.voters_needed() if card is not None else eligible
    settings = state.settings
    view = {
        "room": {"code": snap.room_code, "title": snap.room_title, "language": snap.language, "roles": list(snap.roles)},
        "team": {"id": snap.team_id, "name": snap.team_name},
        "version": snap.version,
        "settings": settings.as_dict(),
        "phase": state.phase.value,
        "ballot": state.ballot,
        "round": view_round(state),
        "rounds_done": state.rounds_done,
        "cards_total": state.cards_total,
        "room_open": state.room_open,
        "paused": state.paused,
        "message": snap.message,
        "seconds_left": snap.seconds_left,
        "phase_seconds": snap.phase_seconds,
        "turn_player_id": turn,
        "turn_stand_in_for": due if turn != due else None,  # the absent turn player the stand-in replaces
        "players": [
            {"id": s.player_id, "name": s.name, "role": s.role, "online": s.online, "observer": s.observer,
             "voted": s.player_id in state.voter_ids, "votes_this_card": s.player_id in eligible}
            for s in snap.seats
        ],
        "card": card_view(card, snap.language),
        "votes_cast": len(state.voter_ids),
        "votes_needed": len(needed),
        "votes_absent": len(eligible - needed),  # eligible players whose tablet is offline: not waited for
        "distribution": distribution(card, snap.votes) if first else None,
        "distribution2": distribution(card, snap.votes2) if second else None,
        "predictions": predictions_summary(card, snap.votes) if first and settings.predictions else None,
        "arguments": [{"id": a.argument_id, "stance": a.stance, "text": a.text, "helpful": len(a.helpful_by)}
                      for a in snap.arguments],
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
        "points": sum(player_points(list(snap.facts)).values()) if settings.points else None,
    }
    view["alerts"] = team_alerts(view)
    return view


def voted_view(team_id: int, version: int, state: TeamState, voter_ids: frozenset[int]) -> dict:
    """After a vote that did not complete the ballot: who has voted now (never what). A client applies
    it to a team view of the same round and phase with a lower version; otherwise it asks for the state."""
    return {"team_id": team_id, "version": version, "round": state.round_number, "phase": state.phase.value,
            "voter_ids": sorted(voter_ids), "votes_cast": len(voter_ids)}


def is_newer(known: dict | None, view: dict) -> bool:
    """Should a client replace the team view it shows (`known`) with `view`? Not when `view` is older:
    with several server processes a broadcast can arrive after a newer one (static/js/team_views.js)."""
    return known is None or known["team"]["id"] != view["team"]["id"] or view["version"] >= known["version"]


def with_votes(view: dict | None, voted: dict) -> dict | None:
    """A team view after a `voted` event, as a client applies it (static/js/team_views.js): `view`
    itself when the event is not newer or not this team's; None when it belongs to another round or
    phase (the client missed a step and fetches the whole state)."""
    if view is None or voted["team_id"] != view["team"]["id"] or voted["version"] <= view["version"]:
        return view
    if voted["round"] != view["round"] or voted["phase"] != view["phase"]:
        return None
    ids = set(voted["voter_ids"])
    return {**view, "version": voted["version"], "votes_cast": voted["votes_cast"],
            "players": [{**p, "voted": p["id"] in ids} for p in view["players"]]}


def seat_view(snap: TeamSnapshot, player_id: int) -> dict:
    """What only this player sees: who they are, their own votes, prediction, points and badges."""
    state = snap.state
    me = next((s for s in snap.seats if s.player_id == player_id), None)
    first = next(((v[1], _prediction(v)) for v in snap.votes if v[0] == player_id), (None, None))
    second = next((v[1] for v in snap.votes2 if v[0] == player_id), None)
    facts = list(snap.facts)
    comfort = None
    if snap.comfort_due is not None and player_id not in snap.comfort_due[1] and not (me and me.observer):
        comfort = snap.comfort_due[0]
    return {
        "player_id": player_id,
        "round": view_round(state),
        "name": me.name if me else None,
        "role": me.role if me else None,
        "observer": bool(me and me.observer),
        "my_vote": second if state.phase is Phase.REVOTE else first[0],
        "my_first_vote": first[0],
        "my_second_vote": second,
        "my_prediction": first[1],
        "may_vote": state.card is not None and player_id in state.voters_eligible(),
        "my_argument_ids": [a.argument_id for a in snap.arguments if a.player_id == player_id],
        "helpful_given": [a.argument_id for a in snap.arguments if player_id in a.helpful_by],
        "my_points": player_points(facts).get(player_id, 0) if state.settings.points else None,
        "my_badges": sorted(b for b, who in badges(facts).items() if player_id in who)
        if state.settings.points and state.phase is Phase.FINISHED else [],
        "comfort_due": comfort,
    }


def statement_side_labels(kind: CardKind) -> list[dict] | None:
    """The prediction choices of a statement card: the sides of the scale."""
    if kind is not CardKind.STATEMENT:
        return None
    return [{"value": -1, "label": "oneens"}, {"value": 0, "label": "neutraal"}, {"value": 1, "label": "eens"}]
