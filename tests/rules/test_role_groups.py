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
