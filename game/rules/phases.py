"""Phases as data: which moves each phase allows, who may make them, and what comes next."""
from __future__ import annotations

import enum


class Phase(str, enum.Enum):
    DRAW = "draw"          # waiting for the turn player to draw the next card
    VOTE = "vote"          # everyone votes privately; others see only who voted
    DISCUSS = "discuss"    # votes revealed; prompts shown; arguments posted
    DECIDE = "decide"      # the turn player records the team's shared position
    FINISHED = "finished"  # all cards played


class Move(str, enum.Enum):
    DRAW_CARD = "draw_card"
    CAST_VOTE = "cast_vote"
    CLOSE_VOTE = "close_vote"
    POST_ARGUMENT = "post_argument"
    START_DECISION = "start_decision"
    RECORD_DECISION = "record_decision"


# Which moves each phase allows. Anything else is `<area>/wrong_phase`.
PHASE_MOVES: dict[Phase, frozenset[Move]] = {
    Phase.DRAW: frozenset({Move.DRAW_CARD}),
    Phase.VOTE: frozenset({Move.CAST_VOTE, Move.CLOSE_VOTE}),
    Phase.DISCUSS: frozenset({Move.POST_ARGUMENT, Move.START_DECISION}),
    Phase.DECIDE: frozenset({Move.POST_ARGUMENT, Move.RECORD_DECISION}),
    Phase.FINISHED: frozenset(),
}

# Moves that only the turn player (or the room's facilitator) may make.
TURN_MOVES = frozenset({Move.DRAW_CARD, Move.CLOSE_VOTE, Move.START_DECISION, Move.RECORD_DECISION})

# Moves the facilitator may make on a team's behalf (a turn player whose tablet died).
FACILITATOR_MOVES = frozenset({Move.DRAW_CARD, Move.CLOSE_VOTE, Move.START_DECISION})

# The phase a successful move leads to (RECORD_DECISION: DRAW, or FINISHED after the last card).
NEXT_PHASE: dict[Move, Phase] = {
    Move.DRAW_CARD: Phase.VOTE,
    Move.CLOSE_VOTE: Phase.DISCUSS,
    Move.START_DECISION: Phase.DECIDE,
    Move.RECORD_DECISION: Phase.DRAW,
}

# The error-code area of each move, e.g. "vote/wrong_phase".
MOVE_AREA: dict[Move, str] = {
    Move.DRAW_CARD: "draw",
    Move.CAST_VOTE: "vote",
    Move.CLOSE_VOTE: "vote",
    Move.POST_ARGUMENT: "argument",
    Move.START_DECISION: "decide",
    Move.RECORD_DECISION: "decide",
}
