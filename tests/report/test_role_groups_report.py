"""How HR, management and employees see it: 24 players in six roles (4 each) fill the role-group page."""
from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from pypdf import PdfReader

from game.report.aggregate import ReportOptions
from game.report.groups import expected_matches
from game.report.service import render, room_id_for_code, room_report
from tests.report.conftest import play_room


def _predictor(number, team, player, kind, choices):  # noqa: ANN001, ANN202
    return choices[0] if kind == "dilemma" else 1


@pytest.fixture
def report(db, facilitator_id):  # noqa: ANN001, ANN201
    def chooser(number, team, player, choices, rng):  # noqa: ANN001, ANN202
        # Seat i = team + 4 * player has role i % 6; roles 0-2 are leadership: they lean to the first choice
        # (all but one of them), the rest to the last.
        if (team + 4 * player) % 6 < 3:
            return choices[1] if (team, player) == (0, 0) else choices[0]
        return choices[-1]
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
    merged = "HR + Medewerkers en OR"      # HR: four people, below the minimum, counted with the employees
    html = render(report, "html").body.decode()
    section = html[html.index('id="groups"'):html.index("</section>", html.index('id="groups"'))]
    assert section.count('class="groups-card"') == len(report.cards)
    assert section.count('class="group-name"') >= 2 * len(report.cards) and merged in section
    assert 'data-testid="groups-merged"' in section
    # What each group expected against what it chose, in words: leadership chose the first option and expected it.
    assert "zoals ze zelf koos" in section and "anders dan ze zelf koos" in section
    data = json.loads(render(report, "json").body)
    assert all(len(c["breakdowns"]["role_group"]["groups"]) >= 2 for c in data["cards"])
    assert all(g["n"] >= 5 for c in data["cards"] for g in c["groups"]["groups"])
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(render(report, "xlsx").body))
    sheet = next(s for s in book.worksheets if s.title in ("Rolgroepen", "Role groups"))
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) >= 2 * len(report.cards) and all(r[3] >= 5 for r in rows)
    assert {r[2] for r in rows} == {"Leiding", merged}
    groups_csv = zipfile.ZipFile(io.BytesIO(render(report, "csv").body)).read("groups.csv").decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(groups_csv)))[1:]
    assert len(lines) == len(rows) and {line[2] for line in lines} == {"Leiding", merged}
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(render(report, "pdf").body)).pages)
    assert "Hoe HR, leiding en medewerkers het zien" in text and merged in text
    assert text.count("Leiding (n = 12)") >= len(report.cards)


def test_what_a_group_expected_is_compared_with_what_it_chose(report):
    leiding = [g for card in report.cards if card.kind == "dilemma" for g in card.groups.groups if g.group == "Leiding"]
    assert leiding and all(expected_matches(g) is True for g in leiding)  # chose the first option, predicted it
    others = [g for card in report.cards if card.kind == "dilemma" for g in card.groups.groups if g.other]
    assert others and all(expected_matches(g) is False for g in others)   # chose the last option, predicted the first


def test_a_room_can_set_its_own_role_groups(db, facilitator_id):
    from game.rules.settings import RoomSettings

    groups = [{"name": "Lijn", "roles": ["MT-lid", "Leidinggevende", "Bestuurder / directeur"]},
              {"name": "Staf", "roles": ["HR", "Medewerker", "OR-lid"]}]
    # One table: its figure shown live is the room itself, so the role groups split nothing already published.
    code = play_room(db, facilitator_id, teams=1, players=12, cards=1, settings=RoomSettings(role_groups=groups))
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


def test_the_live_picture_shows_a_card_only_once_every_table_has_finished_it(db, facilitator_id, browser):
    """A card still in play at one table is left out: between two refreshes its figures would change by
    that table's few members (or by one vote not yet revealed). The live report counts the same cards."""
    from sqlalchemy import select

    from game.play import rooms
    from game.store.models import RoomCardRecord, RoomRecord, RoundRecord, TeamRecord

    code = play_room(db, facilitator_id, teams=4, players=24, cards=2, seed=5, finish=False)
    with db.transaction() as s:
        room = s.scalar(select(RoomRecord).where(RoomRecord.code == code))
        second = s.scalar(select(RoundRecord).join(TeamRecord).join(RoomCardRecord)
                          .where(TeamRecord.room_id == room.id, RoomCardRecord.position == 2).order_by(RoundRecord.id))
        second.revealed_at = None          # one table is still voting on card 2
        s.get(TeamRecord, second.team_id).rounds_done = 1
    html = browser.get(f"/rooms/{code}/groups").get_data(as_text=True)
    assert html.count("<tr data-card=") == 1 and 'data-card="mb-01"' in html
    assert 'data-testid="groups-live-waiting"' in html and ": 1." in html
    live = browser.get(f"/rooms/{code}/report?format=json").get_json()
    votes = {c["position"]: c["votes_total"] for c in live["cards"]}
    assert votes[1] == 24 and votes[2] == 0, votes
    rooms.end_room(db, facilitator_id, code)
    html = browser.get(f"/rooms/{code}/groups").get_data(as_text=True)
    assert html.count("<tr data-card=") == 2 and "groups-live-waiting" not in html


def test_the_decision_note_says_where_every_role_group_leans_the_same_way(db, facilitator_id):
    """Agreement across groups (Pol.is' consensus across opinion groups): the strongest line of a shared vision."""
    def chooser(number, team, player, choices, rng):  # noqa: ANN001, ANN202
        # Everyone leans to the first choice; on card 2 leadership to the last instead.
        leadership = (team + 4 * player) % 6 < 3
        return choices[-1] if number == 2 and leadership else choices[0] if player != 5 else choices[1]
    code = play_room(db, facilitator_id, teams=4, players=24, cards=3, seed=5, chooser=chooser)
    report = room_report(db, room_id_for_code(db, code), ReportOptions(min_group=5))
    share = [e.position for e in report.note.groups_share]
    differ = [e.position for e in report.note.groups_differ]
    assert share == [1, 3] and differ == [2]
    assert report.cards[1].groups.difference.beyond_chance
    html = render(report, "html").body.decode()
    note = html[html.index('id="summary"'):html.index('id="groups"')]
    assert "een gedeelde lijn" in note and "het gesprek voor het MT" in note
    assert note.index("een gedeelde lijn") > note.index("het gesprek voor het MT")
