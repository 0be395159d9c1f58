"""How HR, management and employees see it: 24 players in six roles (4 each) fill the role-group page."""
from __future__ import annotations

import io
import json

import pytest

from game.report.aggregate import ReportOptions
from game.report.service import render, room_id_for_code, room_report
from tests.report.conftest import play_room


def _predictor(number, team, player, kind, choices):  # noqa: ANN001, ANN202
    return choices[0] if kind == "dilemma" else 1


@pytest.fixture
def report(db, facilitator_id):  # noqa: ANN001, ANN201
    def chooser(number, team, player, choices, rng):  # noqa: ANN001, ANN202
        # Players 0-2 of each team are leadership roles (i % 6 over the seats): they lean to the first choice.
        return choices[0] if player % 2 == 0 else choices[-1]
    code = play_room(db, facilitator_id, teams=4, players=24, cards=4, seed=5, chooser=chooser, predictor=_predictor)
    return room_report(db, room_id_for_code(db, code), ReportOptions(min_group=5))


def test_every_card_compares_at_least_two_role_groups_with_what_each_expected(report):
    for card in report.cards:
        groups = card.breakdowns["role_group"].groups
        assert len(groups) >= 2, card.key
        assert all(g.n >= 5 for g in groups)            # none under the minimum ...
        assert all(g.n >= 5 for g in card.breakdowns["role"].groups)   # ... and no single role of four people
        assert card.groups is not None and card.groups.same_lean is not None
    expected = [g.expected for card in report.cards for g in card.groups.groups]
    assert any(e is not None for e in expected)
    assert all(e is None or e.total >= 5 for e in expected)
    # In this room leadership leans to the first choice and the rest to the last: the groups differ.
    assert report.note.groups_differ


def test_the_role_group_page_is_in_every_format(report):
    html = render(report, "html").body.decode()
    assert 'id="groups"' in html and "Leiding" in html
    data = json.loads(render(report, "json").body)
    assert all(len(c["breakdowns"]["role_group"]["groups"]) >= 2 for c in data["cards"])
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(render(report, "xlsx").body))
    sheet = next(s for s in book.worksheets if s.title in ("Rolgroepen", "Role groups"))
    assert sheet.max_row >= 1 + 2 * len(report.cards)


def test_a_room_can_set_its_own_role_groups(db, facilitator_id):
    from game.rules.settings import RoomSettings

    groups = [{"name": "Lijn", "roles": ["MT-lid", "Leidinggevende", "Bestuurder / directeur"]},
              {"name": "Staf", "roles": ["HR", "Medewerker", "OR-lid"]}]
    code = play_room(db, facilitator_id, teams=2, players=12, cards=1, settings=RoomSettings(role_groups=groups))
    report = room_report(db, room_id_for_code(db, code), ReportOptions(min_group=5))
    names = {g.group for g in report.cards[0].breakdowns["role_group"].groups}
    assert names == {"Lijn", "Staf"}
    assert [g.name for g in report.role_groups] == ["Lijn", "Staf"]


def test_the_dashboard_shows_the_role_groups_live_and_only_to_the_facilitator(app, db, facilitator_id, browser):
    code = play_room(db, facilitator_id, teams=4, players=24, cards=2, seed=5, finish=False)
    page = browser.get(f"/rooms/{code}").get_data(as_text=True)
    assert "role-groups-live" in page
    fragment = browser.get(f"/rooms/{code}/groups")
    assert fragment.status_code == 200
    html = fragment.get_data(as_text=True)
    assert 'data-testid="groups-live"' in html and "Leiding" in html
    assert app.test_client().get(f"/rooms/{code}/groups").status_code in (302, 401, 403)
