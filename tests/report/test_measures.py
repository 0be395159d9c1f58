"""A card's distribution as the report shows it (game/report/tally.py) and the breakdown suppression it
relies on (game/rules/privacy.py), on cases computed by hand. The agreement measure itself is tested in
tests/rules/test_agreement.py."""
from __future__ import annotations

from game.report import model as rm
from game.report.tally import camp_label, tally
from game.rules import agreement as ag
from game.rules import privacy as p
from game.rules.kinds import kind_of

DILEMMA, STATEMENT = kind_of("dilemma"), kind_of("statement")
OPTIONS = [rm.Choice(1, "A", "Blijven"), rm.Choice(2, "B", "Detacheren"), rm.Choice(3, "C", "Omscholen"),
           rm.Choice(4, "D", "Vertrekken")]
SCALE = [rm.Choice(v, str(v), label) for v, label in
         zip(range(1, 6), ("helemaal oneens", "oneens", "neutraal", "eens", "helemaal eens"))]


def test_a_tally_names_the_largest_camp_with_its_count_and_reading():
    shown = tally(DILEMMA, OPTIONS, [14, 4, 2, 0], 5)
    assert (shown.total, shown.majority, shown.camps) == (20, 1, [14, 4, 2, 0])
    assert shown.agreement == rm.Reading(ag.MODERATE, 0.7, 14, 20, 1, "A. Blijven", False)
    assert shown.mean is None and not shown.unanimous


def test_a_statement_tally_reads_its_sides_and_keeps_the_mean_of_the_scale():
    shown = tally(STATEMENT, SCALE, [3, 0, 0, 0, 17], 5)
    assert shown.camps == [3, 0, 17]
    assert (shown.agreement.reading, shown.agreement.top_camp, shown.agreement.top_label) == (ag.STRONG, 1, "eens")
    assert shown.mean == round((3 * 1 + 17 * 5) / 20, 3) == 4.4
    assert shown.majority == 5


def test_a_tie_has_no_majority_and_says_so_in_its_reading():
    shown = tally(DILEMMA, OPTIONS, [0, 10, 10, 0], 5)
    assert shown.majority is None and shown.agreement.tied and shown.agreement.reading == ag.POLARISED


def test_fewer_voters_than_the_minimum_give_no_tally_and_a_unanimous_group_is_marked():
    assert tally(DILEMMA, OPTIONS, [2, 1, 1, 0], 5) is None
    assert tally(DILEMMA, OPTIONS, [0, 5, 0, 0], 5).unanimous


def test_camp_labels_are_the_option_with_its_mark_or_the_side_in_the_report_language():
    assert camp_label(DILEMMA, OPTIONS, 2) == "B. Detacheren"
    assert camp_label(STATEMENT, SCALE, -1) == "oneens"
    english = [rm.Choice(c.value, c.mark, label) for c, label in
               zip(SCALE, ("strongly disagree", "disagree", "neutral", "agree", "strongly agree"))]
    assert camp_label(STATEMENT, english, 1) == "agree"


# --- breakdown suppression (the report's breakdowns pass through these) ---

def test_groups_at_or_above_the_minimum_are_shown():
    decision = p.suppress({"HR": 5, "MT": 6}, 5)
    assert decision.shown == ("HR", "MT") and not decision.merged and not decision.suppressed


def test_small_groups_merge_into_other_when_together_they_are_large_enough():
    decision = p.suppress({"HR": 6, "MT": 2, "OR": 3}, 5)
    assert decision.shown == ("HR",)
    assert set(decision.merged) == {"MT", "OR"} and decision.other_size == 5 and decision.other_shown


def test_a_too_small_rest_pulls_the_smallest_shown_group_in_complementary_suppression():
    # 'OR' alone (2) could be computed as total - HR - MT; so MT (the smallest shown) joins it.
    decision = p.suppress({"HR": 8, "MT": 5, "OR": 2}, 5)
    assert decision.shown == ("HR",)
    assert set(decision.merged) == {"MT", "OR"} and decision.other_size == 7 and decision.other_shown


def test_when_only_one_group_could_be_shown_the_breakdown_is_withheld():
    decision = p.suppress({"HR": 6, "MT": 2}, 5)
    assert decision.suppressed and decision.shown == ()


def test_two_overlapping_breakdowns_that_isolate_two_people_leak():
    # Team A = 4 HR + 1 MT, HR = 4 in team A + 1 in team B: team A minus HR = (MT in A) - (HR in B).
    roles = {**{f"a{i}": "HR" for i in range(4)}, "a4": "MT", "b0": "HR", **{f"b{i}": "MT" for i in range(1, 5)}}
    teams = {person: person[0] for person in roles}
    assert p.min_cut_across(roles, teams) == 2
    assert p.leaks_across(roles, teams, 5)


def test_nested_breakdowns_do_not_leak():
    roles = {f"p{i}": "HR" if i < 5 else "MT" for i in range(10)}
    teams = dict(roles)  # each team is exactly one role
    assert p.min_cut_across(roles, teams) is None
    assert not p.leaks_across(roles, teams, 5)
