"""Phases as data: which moves each phase allows, who may make them, and what comes next."""
from __future__ import annotations

import enum


class Phase(str, enum.Enum):
    DRAW = "draw"          # waiting for the turn player to draw the next card
    VOTE = "vote"          # everyone votes privately; others see only who voted
    DISCUSS = "discuss"    # votes revealed; prompts shown; arguments posted
    REVOTE = "revote"      # the second vote after the discussion (when the room has it on)
    DECIDE = "decide"      # the turn player records the team's shared position
    FINISHED = "finished"  # all cards played


class Move(str, enum.Enum):
    DRAW_CARD = "draw_card"
    CAST_VOTE = "cast_vote"
    CLOSE_VOTE = "close_vote"
    POST_ARGUMENT = "post_argument"
    MARK_HELPFUL = "mark_helpful"
    START_REVOTE = "start_revote"
    START_DECISION = "start_decision"
    RECORD_DECISION = "record_decision"
    SKIP_CARD = "skip_card"


# Which moves each phase allows. Anything else is `<area>/wrong_phase`.
PHASE_MOVES: dict[Phase, frozenset[Move]] = {
    Phase.DRAW: frozenset({Move.DRAW_CARD}),
    Phase.VOTE: frozenset({Move.CAST_VOTE, Move.CLOSE_VOTE, Move.SKIP_CARD}),
    Phase.DISCUSS: frozenset({Move.POST_ARGUMENT, Move.MARK_HELPFUL, Move.START_REVOTE, Move.START_DECISION, Move.SKIP_CARD}),
    Phase.REVOTE: frozenset({Move.CAST_VOTE, Move.CLOSE_VOTE, Move.SKIP_CARD}),
    Phase.DECIDE: frozenset({Move.POST_ARGUMENT, Move.MARK_HELPFUL, Move.RECORD_DECISION, Move.SKIP_CARD}),
    Phase.FINISHED: frozenset(),
}

# Moves that only the turn player (or the room's facilitator) may make.
TURN_MOVES = frozenset({Move.DRAW_CARD, Move.CLOSE_VOTE, Move.START_REVOTE, Move.START_DECISION, Move.RECORD_DECISION})

# In plenary pacing the facilitator drives these for every team; players may not.
PLENARY_FACILITATOR_MOVES = frozenset({Move.DRAW_CARD, Move.CLOSE_VOTE, Move.START_REVOTE, Move.START_DECISION})

# Moves the facilitator may make on a team's behalf (a turn player whose tablet died; plenary).
FACILITATOR_MOVES = frozenset({Move.DRAW_CARD, Move.CLOSE_VOTE, Move.START_REVOTE, Move.START_DECISION, Move.SKIP_CARD})

# The phase a successful move leads to (RECORD_DECISION and SKIP_CARD: DRAW, or FINISHED after the last card).
NEXT_PHASE: dict[Move, Phase] = {
    Move.DRAW_CARD: Phase.VOTE,
    Move.START_REVOTE: Phase.REVOTE,
    Move.START_DECISION: Phase.DECIDE,
    Move.RECORD_DECISION: Phase.DRAW,
    Move.SKIP_CARD: Phase.DRAW,
}

# What closing a vote leads to: the first vote opens the discussion, the second the decision.
AFTER_VOTE: dict[Phase, Phase] = {Phase.VOTE: Phase.DISCUSS, Phase.REVOTE: Phase.DECIDE}
BALLOT: dict[Phase, int] = {Phase.VOTE: 1, Phase.REVOTE: 2}

# The facilitator's "next phase" for a team: the natural move of each phase.
ADVANCE: dict[Phase, Move] = {
    Phase.DRAW: Move.DRAW_CARD,
    Phase.VOTE: Move.CLOSE_VOTE,
    Phase.DISCUSS: Move.START_DECISION,
    Phase.REVOTE: Move.CLOSE_VOTE,
}


def advance_move(phase: Phase, second_vote: bool) -> Move | None:
    """The facilitator's "next phase": after the discussion the second vote comes first when the room has it."""
    if phase is Phase.DISCUSS and second_vote:
        return Move.START_REVOTE
    return ADVANCE.get(phase)


# The error-code area of each move, e.g. "vote/wrong_phase".
MOVE_AREA: dict[Move, str] = {
    Move.DRAW_CARD: "draw",
    Move.CAST_VOTE: "vote",
    Move.CLOSE_VOTE: "vote",
    Move.POST_ARGUMENT: "argument",
    Move.MARK_HELPFUL: "argument",
    Move.START_REVOTE: "revote",
    Move.START_DECISION: "decide",
    Move.RECORD_DECISION: "decide",
    Move.SKIP_CARD: "skip",
}
