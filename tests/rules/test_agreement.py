"""The agreement measure and the chance tests (game/rules/agreement.py) on cases computed by hand and on
published worked examples; docs/report.md ("Measures", "Chance") shows the same numbers."""
from __future__ import annotations

from fractions import Fraction

import pytest

from game.rules import agreement as ag
from game.rules.kinds import kind_of

DILEMMA, STATEMENT = kind_of("dilemma"), kind_of("statement")


def scale(disagree_strongly: int = 0, disagree: int = 0, neutral: int = 0, agree: int = 0, agree_strongly: int = 0) -> list[int]:
    """Counts over a statement's five points, by name."""
    return [disagree_strongly, disagree, neutral, agree, agree_strongly]


# --- the reading ---

def test_a_ten_ten_split_over_two_of_four_options_reads_polarised_exactly_as_on_a_two_option_card():
    four, two = DILEMMA.read([10, 10, 0, 0]), DILEMMA.read([10, 10])
    assert four.reading == two.reading == ag.POLARISED
    assert (four.top_count, four.total, four.share, four.tied) == (two.top_count, two.total, two.share, two.tied) == (10, 20, 0.5, True)


def test_the_options_nobody_chose_never_change_a_dilemma_reading():
    for counts in ([7, 3], [9, 1], [5, 5], [12, 5, 3]):
        padded = counts + [0] * (4 - len(counts))
        assert DILEMMA.read(padded) == DILEMMA.read(counts)


def test_an_even_split_is_never_agreement():
    for counts in ([1, 1], [5, 5, 0, 0], [3, 3, 3, 3], [4, 4, 4]):
        assert DILEMMA.read(counts).reading in (ag.POLARISED, ag.DIVIDED)
    assert STATEMENT.read(scale(disagree=6, agree=6)).reading == ag.POLARISED


def test_eighty_five_percent_on_one_side_with_fifteen_at_the_other_extreme_reads_strong():
    # 17 of 20 "helemaal eens", 3 of 20 "helemaal oneens": camps (disagree, neutral, agree) = (3, 0, 17).
    # 3 < 35 % of 20 = 7, so not polarised; 17 >= 75 % of 20 = 15, so strong.
    reading = STATEMENT.read(scale(disagree_strongly=3, agree_strongly=17))
    assert (reading.reading, reading.top_count, reading.total, reading.share) == (ag.STRONG, 17, 20, 0.85)
    assert STATEMENT.camp_values(5)[reading.top_camp] == 1   # the agree side


def test_a_forty_sixty_split_between_disagree_and_agree_reads_polarised():
    # 8 "oneens", 12 "eens": both sides hold at least 35 % (7 of 20).
    reading = STATEMENT.read(scale(disagree=8, agree=12))
    assert reading.reading == ag.POLARISED and (reading.top_count, reading.total) == (12, 20)


def test_the_two_points_of_one_side_are_one_camp():
    assert STATEMENT.camp_counts(scale(2, 3, 1, 4, 5)) == [5, 1, 9]
    assert STATEMENT.read(scale(agree=5, agree_strongly=10)).reading == ag.STRONG   # 15 of 15 agree


@pytest.mark.parametrize("counts", [[7, 3], [7, 3, 0, 0], [7, 2, 1, 0]])
def test_seventy_thirty_reads_moderate_on_a_dilemma(counts):
    # 3 < 3.5 (35 % of 10): not polarised; 7 >= 6 (60 %) but < 7.5 (75 %): moderate.
    assert DILEMMA.read(counts).reading == ag.MODERATE


@pytest.mark.parametrize("counts", [scale(disagree=3, agree=7), scale(neutral=3, agree_strongly=7),
                                    scale(disagree_strongly=7, agree=3)])
def test_seventy_thirty_reads_moderate_on_a_statement(counts):
    assert STATEMENT.read(counts).reading == ag.MODERATE


@pytest.mark.parametrize(("counts", "expected"), [
    ([75, 25], ag.STRONG),            # exactly 75 %: strong
    ([74, 26], ag.MODERATE),          # just below
    ([3, 1], ag.STRONG),              # 3 of 4 = 75 % exactly, with small numbers
    ([60, 20, 20], ag.MODERATE),      # exactly 60 %: moderate
    ([59, 21, 20], ag.DIVIDED),       # just below
    ([3, 1, 1], ag.MODERATE),         # 3 of 5 = 60 % exactly
    ([35, 35, 30], ag.POLARISED),     # the second camp exactly 35 %: polarised
    ([36, 34, 30], ag.DIVIDED),       # just below 35 %, and no camp holds 60 %
    ([65, 35], ag.POLARISED),         # polarised is checked before moderate
    ([7, 13], ag.POLARISED),          # 7 of 20 = 35 % exactly
])
def test_the_readings_switch_exactly_at_75_60_and_35_percent(counts, expected):
    assert DILEMMA.read(counts).reading == expected


def test_the_statement_thresholds_are_the_same_numbers():
    assert STATEMENT.read(scale(agree=75, neutral=25)).reading == ag.STRONG
    assert STATEMENT.read(scale(agree=74, neutral=26)).reading == ag.MODERATE
    assert STATEMENT.read(scale(agree=60, neutral=40)).reading == ag.MODERATE
    assert STATEMENT.read(scale(agree=59, neutral=41)).reading == ag.DIVIDED
    assert STATEMENT.read(scale(disagree=35, neutral=30, agree=35)).reading == ag.POLARISED
    assert STATEMENT.read(scale(disagree=34, neutral=31, agree=35)).reading == ag.DIVIDED


def test_a_large_neutral_camp_with_equal_small_sides_is_not_polarised():
    # Opposing camps are the sides, not the two largest camps: 60 neutral, 20 / 20 -> moderate.
    assert STATEMENT.read(scale(disagree=20, neutral=60, agree=20)).reading == ag.MODERATE


def test_the_thresholds_are_exact_fractions_not_rounded_shares():
    assert (ag.STRONG_MIN, ag.MODERATE_MIN, ag.POLARISED_MIN) == (Fraction(3, 4), Fraction(3, 5), Fraction(7, 20))
    # 60.1 % and 59.9 % both print as "60 %": the reading follows the exact counts, never a rounded share.
    assert ag.read([601, 300, 99]).reading == ag.MODERATE
    assert ag.read([599, 302, 99]).reading == ag.DIVIDED


def test_no_votes_has_no_reading_and_a_single_vote_reads_strong():
    assert DILEMMA.read([0, 0, 0]) is None and STATEMENT.read(scale()) is None
    assert DILEMMA.read([0, 1]).reading == ag.STRONG


def test_the_largest_camp_is_the_first_of_tied_ones_and_says_it_is_tied():
    reading = ag.read([2, 5, 5])
    assert (reading.top_camp, reading.tied) == (1, True)
    assert not ag.read([2, 5, 4]).tied


# --- chance: McNemar's exact test for the same people voting twice ---

def test_mcnemar_exact_of_one_against_seven_is_0_0703_as_in_fagerland_lydersen_and_laake_2013():
    # Fagerland, Lydersen & Laake (2013), BMC Medical Research Methodology 13:91, Table 1: b = 1, c = 7,
    # exact conditional McNemar p = 2 * (C(8,0) + C(8,1)) / 2^8 = 18 / 256 = 0.0703.
    assert ag.mcnemar_exact(1, 7) == pytest.approx(18 / 256) == pytest.approx(0.0703, abs=5e-5)
    assert ag.mcnemar_exact(7, 1) == ag.mcnemar_exact(1, 7)


def test_mcnemar_exact_of_five_moving_one_way_is_one_in_sixteen():
    # Five people changed, all into the camp: 2 * (1/2)^5 = 0.0625 -- not below 0.05.
    assert ag.mcnemar_exact(5, 0) == pytest.approx(0.0625)
    assert ag.mcnemar_exact(6, 0) == pytest.approx(2 / 64)
    assert not ag.paired_difference(5, 0).beyond_chance and ag.paired_difference(6, 0).beyond_chance


def test_mcnemar_exact_is_one_when_nobody_changed_or_changes_cancel_out():
    assert ag.mcnemar_exact(0, 0) == 1.0 and ag.mcnemar_exact(3, 3) == 1.0
    assert ag.paired_difference(0, 0) == ag.Difference("mcnemar-exact", 1.0, False)


# --- chance: Fisher's exact test for independent groups ---

def test_fisher_exact_of_the_lady_tasting_tea_is_0_4857():
    # Fisher (1935), The Design of Experiments: 8 cups, 3 of 4 milk-first cups guessed right.
    # Two-sided p = (1 + 16 + 16 + 1) / C(8,4) = 34 / 70 = 0.4857.
    assert ag.fisher_exact(3, 1, 1, 3) == pytest.approx(34 / 70) == pytest.approx(0.4857, abs=5e-5)


def test_fisher_exact_of_the_convicted_twins_is_0_000537():
    # Fisher (1962, 1970), criminal convictions of like-sex twins, the worked example of R's fisher.test
    # (after Agresti, Categorical Data Analysis): dizygotic 2 convicted / 15 not, monozygotic 10 / 3;
    # two-sided p-value = 0.0005367.
    assert ag.fisher_exact(2, 15, 10, 3) == pytest.approx(0.0005367, abs=5e-8)
    assert ag.independent_difference(2, 17, 10, 13) == ag.Difference("fisher-exact", 0.0005, True)


def test_fisher_exact_is_symmetric_and_one_for_equal_groups_or_an_empty_margin():
    assert ag.fisher_exact(10, 3, 2, 15) == ag.fisher_exact(2, 15, 10, 3) == ag.fisher_exact(15, 2, 3, 10)
    assert ag.fisher_exact(5, 5, 5, 5) == pytest.approx(1.0)
    assert ag.fisher_exact(0, 0, 3, 4) == 1.0 and ag.fisher_exact(3, 0, 4, 0) == 1.0


def test_several_groups_compare_the_two_furthest_apart_with_a_bonferroni_correction():
    # Three groups: 2 of 17, 6 of 12, 10 of 13 in the camp. Furthest apart: 2/17 and 10/13, Fisher p =
    # 0.0005367; three pairs could have been picked, so p = 3 * 0.0005367 = 0.0016.
    d = ag.groups_difference([2, 6, 10], [17, 12, 13])
    assert d.test == "fisher-exact-bonferroni" and d.p == round(3 * ag.fisher_exact(10, 3, 2, 15), 4) == 0.0016
    assert d.beyond_chance
    # The tea table with three groups: 3 * 0.4857 > 1, capped at 1.
    assert ag.groups_difference([3, 2, 1], [4, 4, 4]).p == 1.0
    assert ag.groups_difference([3], [4]) is None
