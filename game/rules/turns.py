"""The rules of a team's round: pure checks and outcomes, no Flask, no database, no clock."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from game.rules.cards import Card, CardKind
from game.rules.errors import RuleViolation
from game.rules.phases import (
    AFTER_VOTE, BALLOT, FACILITATOR_MOVES, MOVE_AREA, NEXT_PHASE, PHASE_MOVES, PLENARY_FACILITATOR_MOVES, TURN_MOVES,
    Move, Phase,
)
from game.rules.settings import RoomSettings

STANCES_STATEMENT = ("for", "against")
# A prediction on a statement card is a side of the scale: disagree (-1), neutral (0), agree (1).
STATEMENT_SIDES = (-1, 0, 1)
MAX_ARGUMENT_CHARS = 280
MAX_RATIONALE_CHARS = 200
MAX_ACTION_CHARS = 200
MAX_DUE_YEARS = 3
# Initials such as "AB", "A.B.", "JdV", "JvdB": capitals, with Dutch particles in lower case.
INITIALS = re.compile(r"^[A-Z]\.?(?:(?:[a-z]\.?){0,2}[A-Z]\.?){0,3}$")
# What a full personal name looks like: two or more capitalised words or initials ("Jan de Vries",
# "J. Jansen", "Anna Smit"), the particles between them ignored, at least one of them a whole word.
NAME_PARTICLES = frozenset({"van", "de", "der", "den", "het", "ten", "ter", "te", "op", "in", "'t", "von", "la", "le", "du", "da", "di", "el"})
NAME_WORD = re.compile(r"^[A-ZÀ-Ý][a-zà-ÿ'’-]+$")
NAME_INITIAL = re.compile(r"^(?:[A-Z]\.)+$")
# Words that make it a function title, not a name ("Hoofd Personeelszaken", "Manager Finance").
TITLE_WORDS = ("manager", "hoofd", "direct", "leider", "leiding", "lead", "coördinator", "coordinator", "advis", "medewerker",
               "officer", "controller", "secretar", "voorzitter", "bestuur", "team", "afdeling", "specialist", "consultant",
               "business", "head", "chief", "eigenaar", "owner", "staf", "beleid", "functionaris", "planner", "recruit", "coach",
               "trainer", "partner", "personeel", "zaken", "finance", "financ", "juridisch", "communicatie", "hr", "mt", "ict")


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
    voter_ids: frozenset[int] = frozenset()    # who has voted in the current ballot
    eligible_ids: frozenset[int] | None = None  # who may vote this round (seated at the draw); None = everyone
    paused: bool = False
    # Whose tablet is connected now; None = not known (a use case called without presence).
    present_ids: frozenset[int] | None = None
    settings: RoomSettings = RoomSettings()

    @property
    def ballot(self) -> int:
        return BALLOT.get(self.phase, 1)

    def voters_eligible(self) -> frozenset[int]:
        """Who may vote on this card: the players seated at the draw and still in the team."""
        seated = frozenset(self.player_ids)
        return seated if self.eligible_ids is None else self.eligible_ids & seated

    def voters_needed(self) -> frozenset[int]:
        """Whose ballot completes the vote ("x of y"): the eligible players who are present, plus
        those who already voted and then went away (their vote counts). A tablet that is offline
        does not hold up the reveal; its vote is refused if it arrives after the close."""
        eligible = self.voters_eligible()
        if self.present_ids is None:
            return eligible
        return eligible & (self.present_ids | self.voter_ids)

    def quorum_met(self) -> bool:
        """A table starts its first card once a quorum of players is seated (the facilitator can
        start it by hand); later cards need no quorum."""
        return self.rounds_done > 0 or len(self.player_ids) >= max(1, self.settings.team_quorum)

    def next_turn_player(self) -> int | None:
        """Whose turn it is to draw: turns rotate through the team in seat order."""
        if not self.player_ids:
            return None
        return self.player_ids[self.rounds_done % len(self.player_ids)]

    def due_turn_player(self) -> int | None:
        """Whose turn it is: the next in seat order while drawing, else the round's turn player."""
        return self.turn_player_id if self.phase is not Phase.DRAW else self.next_turn_player()

    def acting_turn_player(self) -> int | None:
        """Who makes the turn player's moves now. While the turn player's tablet is away (asleep, out of
        Wi-Fi, on a server process that died) the next present player in seat order stands in, so the
        team is not held up by one tablet; the turn returns when the turn player is back. With presence
        unknown (a use case called without it) the turn player alone."""
        turn = self.due_turn_player()
        if self.present_ids is None or turn in self.present_ids:
            return turn
        order = self.player_ids
        start = order.index(turn) + 1 if turn in order else 0
        stand_in = next((p for p in order[start:] + order[:start] if p in self.present_ids), None)
        return turn if stand_in is None else stand_in


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
        raise RuleViolation("room/closed", "This session has ended; nothing can be changed any more.")
    if move not in PHASE_MOVES[state.phase]:
        raise RuleViolation(f"{area}/wrong_phase", "That is not possible in the phase '%(phase)s'.", phase=state.phase.value)
    if actor.is_facilitator:
        if move not in FACILITATOR_MOVES:
            raise RuleViolation(f"{area}/not_allowed", "Only players can do this.")
        return
    if state.paused:
        raise RuleViolation("room/paused", "The facilitator has paused the game.")
    if actor.player_id not in state.player_ids:
        raise RuleViolation("seat/not_in_team", "You are not (or no longer) a player in this team.")
    if move is Move.SKIP_CARD:
        raise RuleViolation("skip/not_allowed", "Only the facilitator can skip a card.")
    if state.settings.plenary and move in PLENARY_FACILITATOR_MOVES:
        raise RuleViolation(f"{area}/facilitator_drives", "In this session the facilitator takes the next step.")
    if move in TURN_MOVES:
        if actor.player_id != state.acting_turn_player():
            raise RuleViolation(f"{area}/not_your_turn", "The player whose turn it is does that.")


def _check_round(state: TeamState, move: Move, round_number: int) -> None:
    expected = state.rounds_done + 1 if move is Move.DRAW_CARD else state.round_number
    if round_number != expected:
        area = MOVE_AREA[move]
        raise RuleViolation(f"{area}/stale_round", "This belongs to round %(sent)s; the round is now %(now)s.", sent=round_number, now=expected)


def draw_card(state: TeamState, actor: Actor, round_number: int) -> Phase:
    """Draw the next card: the round starts and voting opens."""
    check_move(state, Move.DRAW_CARD, actor)
    _check_round(state, Move.DRAW_CARD, round_number)
    if state.rounds_done >= state.cards_total:
        raise RuleViolation("draw/no_cards_left", "All cards have been played.")
    if not state.player_ids:
        raise RuleViolation("draw/no_players", "Nobody is in this team yet.")
    if not actor.is_facilitator and not state.quorum_met():
        raise RuleViolation("draw/quorum", "Wait for your team: the first card is drawn once %(n)s players are at the table.",
                            n=state.settings.team_quorum)
    return NEXT_PHASE[Move.DRAW_CARD]


def cast_vote(state: TeamState, actor: Actor, round_number: int, choice: int, prediction: int | None = None) -> bool:
    """Check a private vote (and prediction); return True when it completes the ballot (reveal now)."""
    check_move(state, Move.CAST_VOTE, actor)
    _check_round(state, Move.CAST_VOTE, round_number)
    assert state.card is not None
    if actor.player_id not in state.voters_eligible():
        raise RuleViolation("vote/next_card", "You joined during this card; you vote from the next card on.")
    if choice not in state.card.choices():
        raise RuleViolation("vote/invalid_choice", "Choose one of %(choices)s.", choices=list(state.card.choices()))
    if prediction is not None:
        check_prediction(state, prediction)
    # The tablet sends the vote and the prediction as one act (or the vote after the player chose to
    # skip predicting): a stored vote is a complete ballot, so the last voter has predicted too.
    voters = state.voter_ids | {actor.player_id}
    return state.voters_needed() <= voters and bool(voters)


def check_prediction(state: TeamState, prediction: int) -> None:
    """A prediction of the team's majority: an option of a dilemma, a side of a statement's scale."""
    assert state.card is not None
    if not state.settings.predictions or state.ballot != 1:
        raise RuleViolation("vote/no_predictions", "This ballot takes no prediction.")
    legal = state.card.choices() if state.card.kind is CardKind.DILEMMA else STATEMENT_SIDES
    if prediction not in legal:
        raise RuleViolation("vote/invalid_prediction", "Predict one of %(choices)s.", choices=list(legal))


def close_vote(state: TeamState, actor: Actor, round_number: int) -> Phase:
    """Close the vote early with whoever voted; the distribution is revealed."""
    check_move(state, Move.CLOSE_VOTE, actor)
    _check_round(state, Move.CLOSE_VOTE, round_number)
    if not state.voter_ids:
        raise RuleViolation("vote/no_votes", "Nobody has voted yet.")
    return AFTER_VOTE[state.phase]


def start_revote(state: TeamState, actor: Actor, round_number: int) -> Phase:
    """After the discussion, the same question again (the first vote stays hidden from this ballot)."""
    check_move(state, Move.START_REVOTE, actor)
    _check_round(state, Move.START_REVOTE, round_number)
    if not state.settings.second_vote:
        raise RuleViolation("revote/off", "This session has no second vote.")
    return NEXT_PHASE[Move.START_REVOTE]


def mark_helpful(state: TeamState, actor: Actor, round_number: int, author_id: int) -> None:
    """A player finds another player's argument helpful (never their own)."""
    check_move(state, Move.MARK_HELPFUL, actor)
    _check_round(state, Move.MARK_HELPFUL, round_number)
    if author_id == actor.player_id:
        raise RuleViolation("argument/own", "You cannot mark your own argument as helpful.")


def skip_card(state: TeamState, actor: Actor, round_number: int) -> Phase:
    """The facilitator skips the card in play: no decision is recorded; the turn passes."""
    check_move(state, Move.SKIP_CARD, actor)
    _check_round(state, Move.SKIP_CARD, round_number)
    return Phase.FINISHED if state.rounds_done + 1 >= state.cards_total else NEXT_PHASE[Move.SKIP_CARD]


def post_argument(state: TeamState, actor: Actor, round_number: int, stance: int | str | None, text: str) -> str:
    """Check an argument and return its normalised text."""
    check_move(state, Move.POST_ARGUMENT, actor)
    _check_round(state, Move.POST_ARGUMENT, round_number)
    assert state.card is not None
    if stance is not None:
        legal = state.card.choices() if state.card.kind is CardKind.DILEMMA else STANCES_STATEMENT
        if stance not in legal or isinstance(stance, bool):
            raise RuleViolation("argument/invalid_stance", "Choose one of %(choices)s or none.", choices=list(legal))
    text = " ".join(text.split())
    if not text:
        raise RuleViolation("argument/empty", "Write an argument.")
    if len(text) > MAX_ARGUMENT_CHARS:
        raise RuleViolation("argument/too_long", "At most %(n)s characters.", n=MAX_ARGUMENT_CHARS)
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
        raise RuleViolation("decide/invalid_position", "Choose one of %(choices)s or 'no agreement'.", choices=list(state.card.choices()))
    if len(" ".join(rationale.split())) > MAX_RATIONALE_CHARS:
        raise RuleViolation("decide/rationale_too_long", "The rationale has at most %(n)s characters.", n=MAX_RATIONALE_CHARS)
    if action is not None:
        check_action(action, roles, today)
    if state.rounds_done + 1 >= state.cards_total:
        return Phase.FINISHED
    return NEXT_PHASE[Move.RECORD_DECISION]


def check_action(action: Action, roles: tuple[str, ...], today: dt.date) -> None:
    """A follow-up action names a role or initials, never a person, and is due in the future."""
    if not action.what.strip():
        raise RuleViolation("decide/action_empty", "Describe the action.")
    if len(action.what) > MAX_ACTION_CHARS:
        raise RuleViolation("decide/action_too_long", "The action has at most %(n)s characters.", n=MAX_ACTION_CHARS)
    if not action.owner.strip() or looks_like_a_name(action.owner) and action.owner not in roles:
        raise RuleViolation(
            "decide/invalid_owner",
            "Owner: a role, a function title or initials (e.g. 'teamleider', 'HR' or 'JdV'), never a person's full name.",
        )
    if action.due < today:
        raise RuleViolation("decide/due_in_past", "The date is in the past.")
    if action.due > today + dt.timedelta(days=366 * MAX_DUE_YEARS):
        raise RuleViolation("decide/due_too_far", "Choose a date within %(n)s years.", n=MAX_DUE_YEARS)


def looks_like_a_name(owner: str) -> bool:
    """True for what reads as a person's full name; roles, function titles and initials pass."""
    words = [w for w in owner.split() if w.lower() not in NAME_PARTICLES]
    if len(words) < 2 or any(t in w.lower() for w in words for t in TITLE_WORDS if len(t) > 3 or w.lower() == t):
        return False
    return all(NAME_WORD.match(w) or NAME_INITIAL.match(w) for w in words) and any(NAME_WORD.match(w) for w in words)


def check_comfort(state: TeamState, actor: Actor, round_number: int, score: int) -> None:
    """'Can you live with it?': a private 1-5 answer on the decision just recorded."""
    if not state.room_open:
        raise RuleViolation("room/closed", "This session has ended; nothing can be changed any more.")
    if not state.settings.comfort:
        raise RuleViolation("comfort/off", "This question is switched off in this session.")
    if actor.player_id not in state.player_ids:
        raise RuleViolation("seat/not_in_team", "You are not (or no longer) a player in this team.")
    if round_number != state.rounds_done or round_number < 1:
        raise RuleViolation("comfort/stale_round", "This is about another decision.")
    if score not in range(1, 6):
        raise RuleViolation("comfort/invalid_score", "Choose 1 to 5.")
