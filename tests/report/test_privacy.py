"""Anonymity: no breakdown lets a reader compute one person's vote, whatever the room looks like (Hypothesis)."""
from __future__ import annotations

from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.report import model as rm
from game.report.aggregate import _breakdowns
from game.rules.kinds import kind_of
from game.rules.privacy import OTHER

ROLES = ("HR", "MT-lid", "Leidinggevende", "Bestuurder", "OR-lid")
TEAMS = ("Team A", "Team B", "Team C", "Team D")
# Role groups (game/rules/role_groups.py): three roles form one group, two stay on their own.
GROUP_OF = {"HR": "HR", "MT-lid": "Leiding", "Leidinggevende": "Leiding", "Bestuurder": "Leiding", "OR-lid": "OR-lid"}
# How each published breakdown assigns a voter (role, team, choice) to a group.
MEMBERSHIP = {"role_group": lambda v: GROUP_OF[v[0]], "role": lambda v: v[0], "team": lambda v: v[1]}


def _rank(rows: list[list[Fraction]]) -> int:
    """Rank over the rationals (Gaussian elimination; the matrices here are tiny)."""
    rows = [r[:] for r in rows if any(r)]
    rank, width = 0, len(rows[0]) if rows else 0
    for col in range(width):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][col] != 0:
                factor = rows[i][col] / rows[rank][col]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[rank])]
        rank += 1
    return rank


def breakdowns(kind: str, values: tuple[int, ...], voters: dict, min_group: int) -> dict[str, rm.Breakdown]:
    """The breakdowns of one card (role group, team, role) as the report builds them (voter -> (role, team, choice))."""
    choices = [rm.Choice(v, str(v), str(v)) for v in values]
    return _breakdowns(kind_of(kind), choices, voters, min_group, GROUP_OF)


def published_sets(voters: dict, report: dict[str, rm.Breakdown]) -> list[set]:
    """The sets of people whose vote counts a reader sees: the card's total and every shown group of every
    breakdown (all of them together, as the report prints them side by side)."""
    assert set(report) == set(MEMBERSHIP), "a new breakdown must be added to this test"
    sets = [set(voters)]
    for name, member_of in MEMBERSHIP.items():
        groups = report[name].groups
        shown = {g.group for g in groups if not g.other}
        for g in groups:
            members = {p for p, v in voters.items()
                       if (member_of(v) not in shown if g.group == OTHER else member_of(v) == g.group)}
            sets.append(members)
    return sets


def isolates(person, people: list, sets: list[set]) -> bool:  # noqa: ANN001
    """True when person's indicator vector lies in the span of the published sets' indicators,
    i.e. some combination of published counts equals that one person's vote."""
    rows = [[Fraction(int(p in s)) for p in people] for s in sets]
    unit = [Fraction(int(p == person)) for p in people]
    return _rank(rows + [unit]) == _rank(rows)


population = st.dictionaries(
    keys=st.integers(min_value=1, max_value=10_000),
    values=st.tuples(st.sampled_from(ROLES), st.sampled_from(TEAMS), st.integers(min_value=1, max_value=5)),
    min_size=1, max_size=24,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(voters=population, min_group=st.integers(min_value=3, max_value=6))
def test_no_individual_vote_can_be_computed_from_the_breakdowns(voters, min_group):
    report = breakdowns("statement", (1, 2, 3, 4, 5), voters, min_group)
    people = sorted(voters)
    sets = published_sets(voters, report)
    # Every number shown is about at least min_group people ...
    for name in MEMBERSHIP:
        for group in report[name].groups:
            assert group.n >= min_group
            assert sum(group.counts) == group.n
    # ... and no combination of them (differences included) pins down one person, unless the total itself is one person.
    if len(voters) > 1:
        assert not any(isolates(p, people, sets) for p in people), report


@settings(max_examples=200, deadline=None)
@given(voters=population, min_group=st.integers(min_value=3, max_value=6))
def test_what_is_hidden_in_a_breakdown_is_either_nobody_or_at_least_the_minimum(voters, min_group):
    report = breakdowns("dilemma", (1, 2, 3, 4, 5), voters, min_group)
    for name in MEMBERSHIP:
        shown = sum(g.n for g in report[name].groups)
        hidden = len(voters) - shown
        assert hidden == 0 or hidden >= min_group or not report[name].groups


def test_a_breakdown_of_small_roles_is_merged_into_other_with_a_note():
    voters = {i: ("HR", "Team A", 4) for i in range(6)}
    voters.update({10: ("MT-lid", "Team A", 1), 11: ("MT-lid", "Team A", 2), 12: ("OR-lid", "Team A", 2),
                   13: ("Bestuurder", "Team A", 5), 14: ("Bestuurder", "Team A", 5)})
    role = breakdowns("statement", (1, 2, 3, 4, 5), voters, 5)["role"]
    assert [(g.group, g.n) for g in role.groups] == [("HR", 6), (OTHER, 5)]
    assert role.note == "merged"


def test_lowering_the_minimum_to_three_shows_more_groups():
    voters = {i: ("HR" if i < 4 else "MT-lid", "Team A", 3) for i in range(8)}
    assert not breakdowns("statement", (1, 2, 3, 4, 5), voters, 5)["role"].shown
    assert [g.n for g in breakdowns("statement", (1, 2, 3, 4, 5), voters, 3)["role"].groups] == [4, 4]


def test_the_team_breakdown_is_withheld_when_it_would_isolate_people_together_with_the_role_breakdown():
    voters = {**{i: ("HR", "Team A", 1) for i in range(4)}, 4: ("MT-lid", "Team A", 5),
              5: ("HR", "Team B", 3), **{i: ("MT-lid", "Team B", 2) for i in range(6, 10)}}
    result = breakdowns("statement", (1, 2, 3, 4, 5), voters, 5)
    assert result["role"].shown
    assert not result["team"].shown and result["team"].note == "cross_withheld"


# --- the card's own figures: tallies and the paired change go through the same gate ---

from types import SimpleNamespace  # noqa: E402

from game.report.aggregate import _change  # noqa: E402
from game.report.tally import tally  # noqa: E402

ballots = st.dictionaries(keys=st.integers(min_value=1, max_value=60),
                          values=st.tuples(st.integers(min_value=1, max_value=4),
                                           st.one_of(st.none(), st.integers(min_value=1, max_value=4))),
                          max_size=30)


@settings(max_examples=300, deadline=None)
@given(votes=ballots, min_group=st.integers(min_value=3, max_value=6))
def test_a_tally_or_a_paired_change_is_shown_only_for_at_least_the_minimum_and_unanimous_says_so(votes, min_group):
    kind = kind_of("dilemma")
    choices = [rm.Choice(v, "ABCD"[v - 1], f"optie {v}") for v in range(1, 5)]
    first = {p: SimpleNamespace(choice=a) for p, (a, _) in votes.items()}
    second = {p: SimpleNamespace(choice=b) for p, (_, b) in votes.items() if b is not None}
    counts = [sum(v.choice == c for v in first.values()) for c in range(1, 5)]
    shown = tally(kind, choices, counts, min_group)
    assert (shown is None) == (len(first) < min_group)
    if shown is not None:
        assert shown.unanimous == (sum(1 for n in counts if n) == 1)
        assert shown.total == len(first) and shown.agreement.top_count <= shown.total
    change = _change(kind, choices, first, second, min_group)
    paired = [p for p in second if p in first]
    # Withheld too when those who voted once only (a tally minus the paired) are fewer than the minimum (issue 15).
    once = [len(first) - len(paired), len(second) - len(paired)]
    assert (change is None) == (len(paired) < min_group or any(0 < n < min_group for n in once))
    if change is not None:
        # Only people who voted twice: every count in the change is about them, and adds up.
        assert change.paired == len(paired) and change.first_only == len(first) - len(paired)
        assert change.changed == sum(m.count for m in change.moves) == sum(first[p].choice != second[p].choice for p in paired)
        assert 0 <= change.before <= change.paired and 0 <= change.after <= change.paired


predicting = st.dictionaries(
    keys=st.integers(min_value=1, max_value=10_000),
    values=st.tuples(st.sampled_from(ROLES), st.sampled_from(TEAMS), st.integers(min_value=1, max_value=5),
                     st.one_of(st.none(), st.sampled_from((-1, 0, 1)))),
    min_size=1, max_size=24,
)


@settings(max_examples=200, deadline=None)
@given(voters=predicting, min_group=st.integers(min_value=3, max_value=6))
def test_a_role_groups_lean_and_expectation_are_shown_only_for_at_least_the_minimum(voters, min_group):
    from game.report.groups import card_groups
    from game.report.load import Vote

    kind = kind_of("statement")
    choices = [rm.Choice(v, str(v), str(v)) for v in range(1, 6)]
    breakdown = _breakdowns(kind, choices, {p: (r, t, c) for p, (r, t, c, _) in voters.items()}, min_group, GROUP_OF)
    first = {p: Vote(1, p, 1, c, prediction) for p, (_, _, c, prediction) in voters.items()}
    data = SimpleNamespace(players={p: (r, TEAMS.index(t)) for p, (r, t, _, _) in voters.items()})
    view = card_groups(kind, choices, breakdown["role_group"], first, GROUP_OF, data, min_group)
    assert [g.n for g in view.groups] == [g.n for g in breakdown["role_group"].groups]
    for group in view.groups:
        assert group.n >= min_group and group.lean.total == group.n
        # What a group expected is about at least min_group of its members who predicted, or not shown.
        assert (group.expected is None and group.expected_n == 0) or min_group <= group.expected_n <= group.n
        if group.expected is not None:
            assert group.expected.total == group.expected_n
