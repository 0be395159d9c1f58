"""Agreement measures on cases computed by hand (docs/report.md shows the same numbers)."""
from __future__ import annotations

import math

import pytest

from game.report import measures as m


def test_a_unanimous_statement_has_full_consensus():
    assert m.ordinal_consensus([0, 0, 0, 9, 0]) == 1.0
    assert m.ordinal_consensus([4, 0, 0, 0, 0]) == 1.0


def test_an_even_split_over_the_two_extremes_has_no_consensus():
    assert m.ordinal_consensus([5, 0, 0, 0, 5]) == 0.0


def test_a_uniform_spread_over_five_points_is_in_between():
    # mean 3; |x - 3| / 4 = .5, .25, 0, .25, .5 -> 1 + .2 * (2 * log2(.5) + 2 * log2(.75)) = 0.434
    expected = 1 + 0.2 * (2 * math.log2(0.5) + 2 * math.log2(0.75))
    assert m.ordinal_consensus([1, 1, 1, 1, 1]) == pytest.approx(expected, abs=1e-6)
    assert m.ordinal_consensus([1, 1, 1, 1, 1]) == pytest.approx(0.4339, abs=1e-4)


def test_half_agree_half_disagree_is_lower_than_agree_and_strongly_agree():
    split = m.ordinal_consensus([0, 5, 0, 5, 0])          # mean 3, every vote 1/4 away: 1 + log2(.75)
    near = m.ordinal_consensus([0, 0, 0, 5, 5])           # mean 4.5, every vote 1/8 away: 1 + log2(.875)
    assert split == pytest.approx(1 + math.log2(0.75), abs=1e-6)
    assert near == pytest.approx(1 + math.log2(0.875), abs=1e-6)
    assert near > split


def test_no_votes_has_no_score():
    assert m.ordinal_consensus([0, 0, 0, 0, 0]) is None
    assert m.nominal_agreement([0, 0]) is None
    assert m.reading("statement", [0] * 5) is None


def test_a_unanimous_dilemma_has_full_agreement():
    assert m.nominal_agreement([0, 7, 0, 0]) == 1.0


def test_a_dilemma_spread_evenly_over_all_options_has_no_agreement():
    assert m.nominal_agreement([3, 3, 3, 3]) == 0.0
    assert m.nominal_agreement([4, 4]) == 0.0


def test_nominal_agreement_is_one_minus_normalised_entropy():
    # 9 : 1 over two options: H = -(.9 log2 .9 + .1 log2 .1) = 0.469 bits -> 0.531
    assert m.nominal_agreement([9, 1]) == pytest.approx(0.531, abs=1e-3)
    # 2 : 2 : 0 : 0 over four options: H = 1 bit of log2(4) = 2 -> 0.5
    assert m.nominal_agreement([2, 2, 0, 0]) == pytest.approx(0.5)


@pytest.mark.parametrize(("kind", "counts", "expected"), [
    ("statement", [0, 0, 0, 6, 4], m.STRONG),
    ("statement", [0, 1, 2, 7, 0], m.MODERATE),
    ("statement", [1, 1, 1, 1, 1], m.DIVIDED),
    ("statement", [5, 0, 0, 0, 5], m.POLARISED),
    ("dilemma", [9, 1], m.STRONG),
    ("dilemma", [8, 2], m.MODERATE),
    ("dilemma", [7, 3], m.DIVIDED),
    ("dilemma", [5, 5], m.POLARISED),
    ("dilemma", [3, 3, 3, 3], m.DIVIDED),
])
def test_readings_follow_the_named_thresholds(kind, counts, expected):
    assert m.reading(kind, counts) == expected


def test_the_majority_is_the_single_largest_choice():
    assert m.majority([1, 4, 2]) == 2
    assert m.majority([3, 3, 0]) is None
    assert m.majority([0, 0]) is None


def test_groups_at_or_above_the_minimum_are_shown():
    decision = m.suppress({"HR": 5, "MT": 6}, 5)
    assert decision.shown == ("HR", "MT") and not decision.merged and not decision.suppressed


def test_small_groups_merge_into_other_when_together_they_are_large_enough():
    decision = m.suppress({"HR": 6, "MT": 2, "OR": 3}, 5)
    assert decision.shown == ("HR",)
    assert set(decision.merged) == {"MT", "OR"} and decision.other_size == 5 and decision.other_shown


def test_a_too_small_rest_pulls_the_smallest_shown_group_in_complementary_suppression():
    # 'OR' alone (2) could be computed as total - HR - MT; so MT (the smallest shown) joins it.
    decision = m.suppress({"HR": 8, "MT": 5, "OR": 2}, 5)
    assert decision.shown == ("HR",)
    assert set(decision.merged) == {"MT", "OR"} and decision.other_size == 7 and decision.other_shown


def test_when_only_one_group_could_be_shown_the_breakdown_is_withheld():
    decision = m.suppress({"HR": 6, "MT": 2}, 5)
    assert decision.suppressed and decision.shown == ()


def test_two_overlapping_breakdowns_that_isolate_two_people_leak():
    # Team A = 4 HR + 1 MT, HR = 4 in team A + 1 in team B: team A minus HR = (MT in A) - (HR in B).
    roles = {**{f"a{i}": "HR" for i in range(4)}, "a4": "MT", "b0": "HR", **{f"b{i}": "MT" for i in range(1, 5)}}
    teams = {p: p[0] for p in roles}
    assert m.min_cut_across(roles, teams) == 2
    assert m.leaks_across(roles, teams, 5)


def test_nested_breakdowns_do_not_leak():
    roles = {f"p{i}": "HR" if i < 5 else "MT" for i in range(10)}
    teams = dict(roles)  # each team is exactly one role
    assert m.min_cut_across(roles, teams) is None
    assert not m.leaks_across(roles, teams, 5)
