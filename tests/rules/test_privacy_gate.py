"""The privacy gate (game/rules/privacy.py): minimum group, unanimity, breakdowns, counts."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from game.rules.privacy import (
    ALL_SMALL, CROSS_WITHHELD, HIDDEN, MERGED, OTHER, release_breakdown, release_breakdowns, release_count,
    release_group,
)

VALUES = (1, 2, 3, 4)


def test_a_group_below_the_minimum_is_withheld() -> None:
    assert release_group([1, 2, 1, 0], 5) is None


def test_a_unanimous_group_below_the_minimum_is_withheld() -> None:
    assert release_group([0, 0, 3, 0], 5) is None
    assert release_group([1], 5) is None


def test_a_unanimous_group_at_the_minimum_is_shown_as_everyone_agreed() -> None:
    released = release_group([0, 5, 0], 5)
    assert released is not None and released.unanimous and released.n == 5


def test_all_but_one_at_the_minimum_is_shown_as_an_ordinary_distribution() -> None:
    released = release_group([4, 1], 5)
    assert released is not None and not released.unanimous and released.counts == (4, 1)


def test_a_count_of_a_one_player_team_is_withheld() -> None:
    assert release_count(1, 1, 5) is None
    assert release_count(3, 3, 5) is None


def test_a_count_of_a_large_enough_group_is_shown() -> None:
    assert release_count(2, 6, 5) == (2, 6)


def test_ten_line_managers_three_mt_and_two_hr_show_as_line_managers_and_the_rest() -> None:
    roles = {p: ("lm" if p < 10 else "mt" if p < 13 else "hr") for p in range(15)}
    answers = {p: 1 + p % 4 for p in range(15)}
    result = release_breakdown(roles, answers, VALUES, 5)
    assert [g.group for g in result.groups] == ["lm", OTHER]
    assert [g.n for g in result.groups] == [10, 5]
    assert result.note == MERGED


def test_a_large_group_beside_a_small_rest_is_hidden_because_the_rest_would_be_the_difference() -> None:
    roles = {p: ("lm" if p < 10 else "mt") for p in range(13)}
    result = release_breakdown(roles, {p: 1 for p in range(13)}, VALUES, 5)
    assert result.groups == () and result.note == HIDDEN


def test_a_breakdown_of_only_small_groups_is_withheld() -> None:
    teams = {p: p % 4 for p in range(12)}
    result = release_breakdown(teams, {p: 2 for p in range(12)}, VALUES, 5)
    assert result.groups == () and result.note == ALL_SMALL


def test_people_who_did_not_answer_are_not_counted() -> None:
    teams = {p: p % 2 for p in range(12)}
    answers = {p: 1 for p in range(12) if p % 2 == 0 or p == 1}  # team 0: six answered; team 1: only person 1
    result = release_breakdown(teams, answers, VALUES, 5)
    # Team 0 alone would be the total minus one person: both are withheld.
    assert result.groups == () and result.note == HIDDEN
    full = release_breakdown(teams, {p: 1 for p in range(12)}, VALUES, 5)
    assert [(g.group, g.n) for g in full.groups] == [(0, 6), (1, 6)]


def test_a_second_breakdown_that_isolates_a_small_group_with_the_first_is_withheld() -> None:
    # Teams of 6 and 6; roles: 10 in "a" and 2 in "b", both "b" people sit at team 0.
    # Team 0 minus its "a" people gives the two "b" people: the roles are withheld.
    teams = {p: 0 if p < 6 else 1 for p in range(12)}
    roles = {p: "b" if p < 2 else "a" for p in range(12)}
    roles_big = {p: "b" if p < 5 else "a" for p in range(12)}
    answers = {p: 1 + p % 2 for p in range(12)}
    safe = release_breakdowns({"team": teams, "role": roles_big}, answers, VALUES, 5)
    assert safe["team"].note is None
    # roles_big: b = 0..4 (all at team 0), a = 5..11: team 0 minus b = person 5 alone -> withheld
    assert safe["role"].note == CROSS_WITHHELD
    unsafe = release_breakdowns({"team": teams, "role": roles}, answers, VALUES, 5)
    assert unsafe["role"].groups == ()


def test_the_first_dimension_is_never_withheld_for_crossing() -> None:
    teams = {p: p % 2 for p in range(20)}
    roles = {p: p % 3 for p in range(20)}
    out = release_breakdowns({"team": teams, "role": roles}, {p: 1 + p % 4 for p in range(20)}, VALUES, 5)
    assert out["team"] == release_breakdown(teams, {p: 1 + p % 4 for p in range(20)}, VALUES, 5)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.dictionaries(st.integers(0, 60), st.tuples(st.integers(0, 6), st.sampled_from(VALUES)), max_size=45),
       st.integers(3, 8))
def test_no_hidden_group_is_the_difference_between_shown_groups_and_the_total(people: dict, min_group: int) -> None:
    members = {p: g for p, (g, _a) in people.items()}
    answers = {p: a for p, (_g, a) in people.items()}
    result = release_breakdown(members, answers, VALUES, min_group)
    shown = sum(g.n for g in result.groups)
    assert all(g.n >= min_group for g in result.groups)
    assert shown in (0, len(answers))  # the shown cells cover everyone or nobody: nothing left to subtract
    for g in result.groups:
        if g.unanimous:
            assert g.n >= min_group


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.integers(0, 12), min_size=2, max_size=5), st.integers(3, 8))
def test_a_released_group_never_has_fewer_than_the_minimum(counts: list, min_group: int) -> None:
    released = release_group(counts, min_group)
    assert (released is None) == (sum(counts) < min_group)
    if released is not None:
        assert released.unanimous == (sum(1 for c in counts if c) == 1)


def test_a_breakdown_that_would_isolate_few_people_with_tables_shown_elsewhere_is_withheld():
    """Issue 15: tables of 5 and 6 were shown live; a role group of the first table's five and one of the second
    would be that one person's vote minus nothing (the group minus the first table)."""
    answers = {p: 1 + p % 2 for p in range(1, 12)}
    roles = {p: ("G1" if p <= 6 else "G2") for p in answers}
    live = {p: ("T1" if p <= 5 else "T2") for p in answers}
    alone = release_breakdowns({"role": roles}, answers, [1, 2], 5)
    assert [g.group for g in alone["role"].groups] == ["G1", "G2"]
    beside = release_breakdowns({"role": roles}, answers, [1, 2], 5, published=[live])
    assert beside["role"].groups == () and beside["role"].note == CROSS_WITHHELD
    # A published breakdown that splits nobody small leaves the groups alone.
    same = release_breakdowns({"role": roles}, answers, [1, 2], 5, published=[{p: roles[p] for p in answers}])
    assert [g.group for g in same["role"].groups] == ["G1", "G2"]
