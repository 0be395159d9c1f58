"""Role groups: the default grouping, the form's text, and its refusals."""
from __future__ import annotations

import pytest

from game.rules.errors import RuleViolation
from game.rules.role_groups import as_text, defaults_for, group_of_roles, parse

ROLES = ("Bestuurder / directeur", "MT-lid", "Leidinggevende", "HR", "Medewerker", "OR-lid")


def test_the_default_grouping_puts_leadership_hr_and_employees_together():
    groups = group_of_roles(ROLES, None)
    assert {groups[r] for r in ROLES[:3]} == {"Leiding"}
    assert groups["HR"] == "HR"
    assert groups["Medewerker"] == groups["OR-lid"] == "Medewerkers en OR"


def test_a_role_in_no_group_is_a_group_of_its_own():
    groups = group_of_roles(ROLES + ("Extern adviseur",), [{"name": "Lijn", "roles": ["MT-lid", "Leidinggevende"]}])
    assert groups["Extern adviseur"] == "Extern adviseur"
    assert groups["MT-lid"] == groups["Leidinggevende"] == "Lijn"
    assert groups["HR"] == "HR"


def test_role_names_match_whatever_their_case_and_spacing():
    assert group_of_roles(("mt-lid",), [{"name": "Lijn", "roles": ["MT-lid"]}]) == {"mt-lid": "Lijn"}


def test_the_form_text_round_trips():
    groups = defaults_for(ROLES)
    assert parse(as_text(groups), ROLES) == groups


@pytest.mark.parametrize(("text", "code"), [
    ("Leiding MT-lid", "role_groups/format"),
    ("Leiding: MT-lid, Directeur", "role_groups/unknown_role"),
    ("Leiding: MT-lid\nLijn: MT-lid", "role_groups/twice"),
])
def test_a_wrong_line_is_refused_with_its_reason(text: str, code: str):
    with pytest.raises(RuleViolation) as caught:
        parse(text, ROLES)
    assert caught.value.code == code


# --- No group below the minimum can be derived, whatever the grouping (Hypothesis) ---

from fractions import Fraction  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from game.rules.privacy import OTHER, release_breakdowns  # noqa: E402

TEAMS = ("Team A", "Team B", "Team C", "Team D")
VALUES = (1, 2, 3)


def published(voters: dict, group_of: dict, min_group: int) -> list[set]:
    """The sets of people whose vote counts a card shows: its total and every shown group of the role-group,
    team and role breakdowns, released as the report releases them (game/report/aggregate.py _breakdowns)."""
    member_of = {"role_group": lambda v: group_of[v[0]], "team": lambda v: v[1], "role": lambda v: v[0]}
    dimensions = {name: {p: of(v) for p, v in voters.items()} for name, of in member_of.items()}
    released = release_breakdowns(dimensions, {p: v[2] for p, v in voters.items()}, VALUES, min_group)
    sets = [set(voters)]
    for name, of in member_of.items():
        shown = {g.group for g in released[name].groups if g.group != OTHER}
        for g in released[name].groups:
            members = {p for p, v in voters.items() if (of(v) not in shown if g.group == OTHER else of(v) == g.group)}
            assert len(members) == g.n >= min_group     # every group shown is at least the minimum ...
            sets.append(members)
    return sets


def _echelon(rows: list[list[Fraction]]) -> list[list[Fraction]]:
    basis: list[list[Fraction]] = []
    for row in rows:
        row = _reduce(row, basis)
        if any(row):
            basis.append(row)
    return basis


def _reduce(row: list[Fraction], basis: list[list[Fraction]]) -> list[Fraction]:
    row = row[:]
    for b in basis:
        pivot = next(i for i, x in enumerate(b) if x)
        if row[pivot]:
            factor = row[pivot] / b[pivot]
            row = [x - factor * y for x, y in zip(row, b)]
    return row


def derivable_small_groups(voters: dict, sets: list[set], min_group: int) -> list[set]:
    """Every non-empty set of fewer than min_group voters whose vote count follows from the published counts
    (its indicator lies in the span of the published sets', differences and sums included)."""
    # People no published set tells apart form one atom; a derivable set is a union of atoms.
    atoms: dict[tuple, set] = {}
    for p in voters:
        atoms.setdefault(tuple(p in s for s in sets), set()).add(p)
    atom_list = list(atoms.values())
    basis = _echelon([[Fraction(int(next(iter(a)) in s)) for a in atom_list] for s in sets])
    small = [i for i, a in enumerate(atom_list) if len(a) < min_group]
    found = []

    def grow(start: int, chosen: list[int], size: int) -> None:
        for k in range(start, len(small)):
            i = small[k]
            if size + len(atom_list[i]) >= min_group:
                continue
            picked = chosen + [i]
            vector = [Fraction(int(j in picked)) for j in range(len(atom_list))]
            if not any(_reduce(vector, basis)):
                found.append(set().union(*(atom_list[j] for j in picked)))
            grow(k + 1, picked, size + len(atom_list[i]))
    grow(0, [], 0)
    return found


ROLES_OF_ROOM = st.lists(st.sampled_from(ROLES), min_size=1, max_size=6, unique=True)


@st.composite
def rooms(draw) -> tuple[dict, dict, int]:  # noqa: ANN001
    roles = draw(ROLES_OF_ROOM)
    # Any grouping the form accepts: each role in at most one of up to four groups, the rest on their own.
    slot = draw(st.lists(st.integers(min_value=-1, max_value=3), min_size=len(roles), max_size=len(roles)))
    configured = [{"name": f"Groep {g}", "roles": [r for r, s in zip(roles, slot) if s == g]} for g in range(4)]
    group_of = group_of_roles(roles, [g for g in configured if g["roles"]] or None)
    voters = draw(st.dictionaries(st.integers(min_value=1, max_value=10_000),
                                  st.tuples(st.sampled_from(roles), st.sampled_from(TEAMS), st.sampled_from(VALUES)),
                                  min_size=1, max_size=30))
    return voters, group_of, draw(st.integers(min_value=3, max_value=6))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(room=rooms())
def test_no_group_below_the_minimum_can_be_derived_from_a_card_whatever_the_grouping(room):
    voters, group_of, min_group = room
    sets = published(voters, group_of, min_group)
    if len(voters) >= min_group:
        # ... and no sum or difference of the counts shown is about fewer than min_group people.
        assert derivable_small_groups(voters, sets, min_group) == []


def test_the_oracle_finds_a_small_group_when_two_overlapping_groups_are_shown():
    """The check above can fail: shown side by side, two groups of six sharing four people give away the two
    outside each, the four they share and the four outside both (total minus the shared)."""
    voters = {p: None for p in range(8)}
    sets = [set(range(8)), set(range(6)), set(range(2, 8))]
    assert {frozenset(s) for s in derivable_small_groups(voters, sets, 5)} == {
        frozenset({0, 1}), frozenset({6, 7}), frozenset({2, 3, 4, 5}), frozenset({0, 1, 6, 7})}


def test_24_players_in_six_roles_of_four_show_two_role_groups_of_at_least_five():
    """The issue's room: no role alone reaches five, the default role groups do."""
    group_of = group_of_roles(ROLES, None)
    voters = {i: (ROLES[i % 6], TEAMS[i % 4], VALUES[i % 3]) for i in range(24)}
    sets = published(voters, group_of, 5)
    dimensions = {"role_group": {p: group_of[v[0]] for p, v in voters.items()}}
    shown = release_breakdowns(dimensions, {p: v[2] for p, v in voters.items()}, VALUES, 5)["role_group"].groups
    assert len(shown) >= 2 and all(g.n >= 5 for g in shown)
    assert derivable_small_groups(voters, sets, 5) == []
