"""Points and badges reward dialogue, never conformity."""
from __future__ import annotations

from game.rules.cards import CardKind
from game.rules.points import (
    ACTION_POINTS, HELPFUL_POINTS, PREDICTION_POINTS, ArgumentFact, RoundFacts, badges, majority, player_points,
)

A, B, C, D = 1, 2, 3, 4  # players


def dilemma(votes, **kw) -> RoundFacts:
    return RoundFacts(kind=CardKind.DILEMMA, votes=votes, **kw)


def test_voting_with_the_majority_never_scores():
    facts = dilemma({A: 1, B: 1, C: 1, D: 2})
    assert player_points([facts]) == {}


def test_a_right_prediction_of_the_majority_scores():
    facts = dilemma({A: 1, B: 1, C: 2}, predictions={A: 1, B: 2, C: 1})
    assert player_points([facts]) == {A: PREDICTION_POINTS, C: PREDICTION_POINTS}


def test_a_tie_makes_every_tied_option_a_right_prediction():
    facts = dilemma({A: 1, B: 2}, predictions={A: 2, B: 1})
    assert player_points([facts]) == {A: PREDICTION_POINTS, B: PREDICTION_POINTS}


def test_a_statement_prediction_is_about_the_side_of_the_scale():
    facts = RoundFacts(kind=CardKind.STATEMENT, votes={A: 4, B: 5, C: 2}, predictions={A: 1, B: 0, C: -1})
    assert majority(CardKind.STATEMENT, facts.votes) == {1}
    assert player_points([facts]) == {A: PREDICTION_POINTS}


def test_an_argument_found_helpful_by_someone_else_scores_for_its_author():
    facts = dilemma({A: 1, B: 2}, arguments=(ArgumentFact(10, A, 1),), helpful=((10, B), (10, A)))
    assert player_points([facts]) == {A: HELPFUL_POINTS}  # marking your own argument gives nothing


def test_a_decision_with_an_action_scores_for_who_recorded_it():
    assert player_points([dilemma({A: 1}, decided_by=A, with_action=True)]) == {A: ACTION_POINTS}
    assert player_points([dilemma({A: 1}, decided_by=A, with_action=False)]) == {}


def test_the_best_predictor_is_mensenkenner_and_ties_share_the_badge():
    rounds = [dilemma({A: 1, B: 1, C: 2}, predictions={A: 1, B: 1, C: 2})] * 2
    assert badges(rounds)["mensenkenner"] == {A, B}


def test_bruggenbouwer_counts_helpful_marks_only_from_players_who_voted_differently():
    same_side = dilemma({A: 1, B: 1, C: 2}, arguments=(ArgumentFact(1, A, 1),), helpful=((1, B),))
    other_side = dilemma({A: 1, B: 1, C: 2}, arguments=(ArgumentFact(2, C, 2),), helpful=((2, A),))
    assert badges([same_side, other_side])["bruggenbouwer"] == {C}


def test_dwarsdenker_voted_with_a_minority_and_argued_for_it():
    facts = dilemma({A: 1, B: 1, C: 2, D: 2, 5: 1}, arguments=(ArgumentFact(1, C, 2), ArgumentFact(2, D, 1)))
    assert badges([facts])["dwarsdenker"] == {C}  # D argued for the majority option, not for its own vote


def test_nobody_gets_a_badge_for_nothing():
    assert badges([dilemma({A: 1, B: 1})]) == {"mensenkenner": set(), "bruggenbouwer": set(), "dwarsdenker": set()}


# --- ties: one rule for both card kinds -------------------------------------------------------------

def test_a_statement_tie_between_agree_and_disagree_makes_both_sides_the_majority():
    votes = {A: 1, B: 5}
    assert majority(CardKind.STATEMENT, votes) == {-1, 1}
    facts = RoundFacts(kind=CardKind.STATEMENT, votes=votes, predictions={A: 1, B: 0, C: -1})
    assert player_points([facts]) == {A: PREDICTION_POINTS, C: PREDICTION_POINTS}  # neutral was nobody's vote


def test_a_statement_majority_is_the_most_voted_side_neutral_included():
    assert majority(CardKind.STATEMENT, {A: 3, B: 3, C: 4}) == {0}
    assert majority(CardKind.STATEMENT, {A: 3, B: 4}) == {0, 1}


def test_ties_work_the_same_for_both_kinds():
    assert majority(CardKind.DILEMMA, {A: 1, B: 2, C: 3}) == {1, 2, 3}
    assert majority(CardKind.STATEMENT, {A: 1, B: 3, C: 5}) == {-1, 0, 1}
    assert majority(CardKind.DILEMMA, {}) == majority(CardKind.STATEMENT, {}) == set()


def test_a_tied_voter_is_never_in_the_minority():
    facts = RoundFacts(kind=CardKind.STATEMENT, votes={A: 1, B: 5}, arguments=(ArgumentFact(1, A, "against"),))
    assert badges([facts])["dwarsdenker"] == set()
