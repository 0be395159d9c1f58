"""The rules of a team's round: pure checks and outcomes, no Flask, no database, no clock."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from game.rules.cards import Card, CardKind
from game.rules.errors import RuleViolation
from game.rules.phases import (
    FACILITATOR_MOVES, MOVE_AREA, NEXT_PHASE, PHASE_MOVES, TURN_MOVES, Move, Phase,
)

STANCES_STATEMENT = ("for", "against")
MAX_ARGUMENT_CHARS = 280
MAX_RATIONALE_CHARS = 200
MAX_ACTION_CHARS = 200
MAX_DUE_YEARS = 3
# Initials such as "AB", "A.B.", "JdV", "JvdB": capitals, with Dutch particles in lower case.
# A first name like "Piet" does not match, which keeps named employees out of the record.
INITIALS = re.compile(r"^[A-Z]\.?(?:(?:[a-z]\.?){0,2}[A-Z]\.?){0,3}$")


@dataclass(frozen=True)
class Actor:
    """Who asks: a seated player (by id) or the room's facilitator."""

    player_id: int | None = None
    is_facilitator: bool = False


@dataclass(frozen=True)
class TeamState:
    """What the rules need to know about one team at one moment."""

    room_open: bool
    phase: Phase
    player_ids: tuple[int, ...]          # in seat order: the order turns rotate in
    rounds_done: int                     # rounds with a recorded decision
    cards_total: int
    round_number: int | None = None      # the round in play, once a card is drawn
    card: Card | None = None
    turn_player_id: int | None = None    # the player whose turn the current round is
    voter_ids: frozenset[int] = frozenset()

    def next_turn_player(self) -> int | None:
        """Whose turn it is to draw: turns rotate through the team in seat order."""
        if not self.player_ids:
            return None
        return self.player_ids[self.rounds_done % len(self.player_ids)]


@dataclass(frozen=True)
class Action:
    """A follow-up action: what, who (a role or initials) and by when."""

    what: str
    owner: str
    due: dt.date


def check_move(state: TeamState, move: Move, actor: Actor) -> None:
    """Raise RuleViolation unless `actor` may make `move` in `state`."""
    area = MOVE_AREA[move]
    if not state.room_open:
        raise RuleViolation("room/closed", "Deze sessie is afgelopen; er kan niets meer worden gewijzigd.")
    if move not in PHASE_MOVES[state.phase]:
        raise RuleViolation(f"{area}/wrong_phase", f"Dat kan niet in de fase '{state.phase.value}'.")
    if actor.is_facilitator:
        if move not in FACILITATOR_MOVES:
            raise RuleViolation(f"{area}/not_allowed", "Alleen spelers kunnen dit doen.")
        return
    if actor.player_id not in state.player_ids:
        raise RuleViolation("seat/not_in_team", "Je zit niet in dit team.")
    if move in TURN_MOVES:
        turn = state.turn_player_id if move is not Move.DRAW_CARD else state.next_turn_player()
        if actor.player_id != turn:
            raise RuleViolation(f"{area}/not_your_turn", "Dat doet de speler die aan de beurt is.")


def _check_round(state: TeamState, move: Move, round_number: int) -> None:
    expected = state.rounds_done + 1 if move is Move.DRAW_CARD else state.round_number
    if round_number != expected:
        area = MOVE_AREA[move]
        raise RuleViolation(f"{area}/stale_round", f"Dit hoort bij ronde {round_number}; de ronde is nu {expected}.")


def draw_card(state: TeamState, actor: Actor, round_number: int) -> Phase:
    """Draw the next card: the round starts and voting opens."""
    check_move(state, Move.DRAW_CARD, actor)
    _check_round(state, Move.DRAW_CARD, round_number)
    if state.rounds_done >= state.cards_total:
        raise RuleViolation("draw/no_cards_left", "Alle kaarten zijn gespeeld.")
    return NEXT_PHASE[Move.DRAW_CARD]


def cast_vote(state: TeamState, actor: Actor, round_number: int, choice: int) -> bool:
    """Check a private vote; return True when it completes the team's votes (reveal now)."""
    check_move(state, Move.CAST_VOTE, actor)
    _check_round(state, Move.CAST_VOTE, round_number)
    assert state.card is not None
    if choice not in state.card.choices():
        raise RuleViolation("vote/invalid_choice", f"Kies een van {list(state.card.choices())}.")
    voters = state.voter_ids | {actor.player_id}
    return set(state.player_ids) <= voters


def close_vote(state: TeamState, actor: Actor, round_number: int) -> Phase:
    """Close the vote early with whoever voted; the distribution is revealed."""
    check_move(state, Move.CLOSE_VOTE, actor)
    _check_round(state, Move.CLOSE_VOTE, round_number)
    if not state.voter_ids:
        raise RuleViolation("vote/no_votes", "Er is nog niet gestemd.")
    return NEXT_PHASE[Move.CLOSE_VOTE]


def post_argument(state: TeamState, actor: Actor, round_number: int, stance: int | str | None, text: str) -> str:
    """Check an argument and return its normalised text."""
    check_move(state, Move.POST_ARGUMENT, actor)
    _check_round(state, Move.POST_ARGUMENT, round_number)
    assert state.card is not None
    if stance is not None:
        legal = state.card.choices() if state.card.kind is CardKind.DILEMMA else STANCES_STATEMENT
        if stance not in legal or isinstance(stance, bool):
            raise RuleViolation("argument/invalid_stance", f"Kies een van {list(legal)} of geen.")
    text = " ".join(text.split())
    if not text:
        raise RuleViolation("argument/empty", "Schrijf een argument.")
    if len(text) > MAX_ARGUMENT_CHARS:
        raise RuleViolation("argument/too_long", f"Maximaal {MAX_ARGUMENT_CHARS} tekens.")
    return text


def start_decision(state: TeamState, actor: Actor, round_number: int) -> Phase:
    """The turn player moves the team from discussion to recording its decision."""
    check_move(state, Move.START_DECISION, actor)
    _check_round(state, Move.START_DECISION, round_number)
    return NEXT_PHASE[Move.START_DECISION]


def record_decision(
    state: TeamState,
    actor: Actor,
    round_number: int,
    position: int | None,
    rationale: str,
    action: Action | None,
    roles: tuple[str, ...],
    today: dt.date,
) -> Phase:
    """Check the team's shared position (None = no agreement); return the next phase."""
    check_move(state, Move.RECORD_DECISION, actor)
    _check_round(state, Move.RECORD_DECISION, round_number)
    assert state.card is not None
    if position is not None and position not in state.card.choices():
        raise RuleViolation("decide/invalid_position", f"Kies een van {list(state.card.choices())} of 'geen overeenstemming'.")
    if len(" ".join(rationale.split())) > MAX_RATIONALE_CHARS:
        raise RuleViolation("decide/rationale_too_long", f"De toelichting is maximaal {MAX_RATIONALE_CHARS} tekens.")
    if action is not None:
        check_action(action, roles, today)
    if state.rounds_done + 1 >= state.cards_total:
        return Phase.FINISHED
    return NEXT_PHASE[Move.RECORD_DECISION]


def check_action(action: Action, roles: tuple[str, ...], today: dt.date) -> None:
    """A follow-up action names a role or initials, never a person, and is due in the future."""
    if not action.what.strip():
        raise RuleViolation("decide/action_empty", "Beschrijf de actie.")
    if len(action.what) > MAX_ACTION_CHARS:
        raise RuleViolation("decide/action_too_long", f"De actie is maximaal {MAX_ACTION_CHARS} tekens.")
    if action.owner not in roles and not INITIALS.match(action.owner):
        raise RuleViolation(
            "decide/invalid_owner",
            "Eigenaar: een rol of initialen (bijv. 'HR' of 'JdV'), nooit de naam van een medewerker.",
        )
    if action.due < today:
        raise RuleViolation("decide/due_in_past", "De datum ligt in het verleden.")
    if action.due > today + dt.timedelta(days=366 * MAX_DUE_YEARS):
        raise RuleViolation("decide/due_too_far", f"Kies een datum binnen {MAX_DUE_YEARS} jaar.")
