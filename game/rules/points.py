"""Points and badges that reward dialogue, never conformity: voting with the majority scores nothing.

Points: a right prediction of the team's majority, an argument someone else found helpful, a decision
recorded with a follow-up action. Badges at the end: Mensenkenner (best predictor), Bruggenbouwer
(arguments found helpful by players who voted differently), Dwarsdenker (voted with a minority and
argued for it).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from game.rules.cards import CardKind

PREDICTION_POINTS = 2
HELPFUL_POINTS = 1
ACTION_POINTS = 2

BADGES = {
    "mensenkenner": "Mensenkenner",
    "bruggenbouwer": "Bruggenbouwer",
    "dwarsdenker": "Dwarsdenker",
}


@dataclass(frozen=True)
class ArgumentFact:
    argument_id: int
    author_id: int
    stance: int | str | None


@dataclass(frozen=True)
class RoundFacts:
    """What happened in one team's round, as far as points and badges are concerned."""

    kind: CardKind
    votes: dict[int, int]                       # player -> first-ballot choice
    predictions: dict[int, int] = field(default_factory=dict)  # player -> predicted majority
    arguments: tuple[ArgumentFact, ...] = ()
    helpful: tuple[tuple[int, int], ...] = ()   # (argument_id, marker_id)
    decided_by: int | None = None
    with_action: bool = False


def side(choice: int) -> int:
    """The side of the 5-point scale a statement vote is on: -1 disagree, 0 neutral, 1 agree."""
    return (choice > 3) - (choice < 3)


def majority(kind: CardKind, votes: dict[int, int]) -> set[int]:
    """The team's majority, one rule for both card kinds (docs/protocol.md, "Ties"): count the votes per
    prediction value (a dilemma's options; a statement's sides -1/0/1 of the scale) and take the most
    counted; when several tie, every tied value is the majority (a prediction of any of them is right,
    nobody who voted for one of them is in the minority). No votes: no majority."""
    return most_counted(Counter(side(c) if kind is CardKind.STATEMENT else c for c in votes.values()))


def most_counted(counts: Mapping[int, int]) -> set[int]:
    """The tie rule itself, for counts per prediction value (an option, or a side): every value with the
    most votes; none without votes. The report asks it too (a team's decision against its first vote)."""
    top = max(counts.values(), default=0)
    return {value for value, n in counts.items() if n == top} if top else set()


def right_predictions(facts: RoundFacts) -> set[int]:
    """Players whose prediction named the majority (any of the tied options counts)."""
    winners = majority(facts.kind, facts.votes)
    return {player for player, predicted in facts.predictions.items() if predicted in winners}


def _in_minority(facts: RoundFacts, player: int) -> bool:
    if player not in facts.votes:
        return False
    winners = majority(facts.kind, facts.votes)
    mine = side(facts.votes[player]) if facts.kind is CardKind.STATEMENT else facts.votes[player]
    return mine not in winners


def _argued_for_own_vote(facts: RoundFacts, player: int) -> bool:
    choice = facts.votes.get(player)
    for arg in facts.arguments:
        if arg.author_id != player or choice is None:
            continue
        if facts.kind is CardKind.DILEMMA and arg.stance == choice:
            return True
        if facts.kind is CardKind.STATEMENT and arg.stance == {1: "for", -1: "against"}.get(side(choice)):
            return True
    return False


def player_points(rounds: list[RoundFacts]) -> Counter[int]:
    """Each player's points over the rounds played."""
    points: Counter[int] = Counter()
    for facts in rounds:
        for player in right_predictions(facts):
            points[player] += PREDICTION_POINTS
        authors = {a.argument_id: a.author_id for a in facts.arguments}
        for argument_id, marker in facts.helpful:
            author = authors.get(argument_id)
            if author is not None and author != marker:
                points[author] += HELPFUL_POINTS
        if facts.decided_by is not None and facts.with_action:
            points[facts.decided_by] += ACTION_POINTS
    return points


def badges(rounds: list[RoundFacts]) -> dict[str, set[int]]:
    """Badge -> the players who earned it (the best at it, ties share; nobody at zero)."""
    predictors: Counter[int] = Counter()
    bridges: Counter[int] = Counter()
    contrarians: Counter[int] = Counter()
    for facts in rounds:
        predictors.update(right_predictions(facts))
        authors = {a.argument_id: a.author_id for a in facts.arguments}
        for argument_id, marker in facts.helpful:
            author = authors.get(argument_id)
            if author is None or author == marker or author not in facts.votes or marker not in facts.votes:
                continue
            if facts.votes[author] != facts.votes[marker]:
                bridges[author] += 1
        for player in facts.votes:
            if _in_minority(facts, player) and _argued_for_own_vote(facts, player):
                contrarians[player] += 1
    return {"mensenkenner": _best(predictors), "bruggenbouwer": _best(bridges), "dwarsdenker": _best(contrarians)}


def _best(counter: Counter[int]) -> set[int]:
    if not counter:
        return set()
    top = max(counter.values())
    return {player for player, n in counter.items() if n == top and n > 0}
