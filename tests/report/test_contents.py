"""The report's later sections, from rooms played through the use cases: mutual perceptions (predictions),
"can you live with it?", dilemmas players brought in, observers, and an English deck end to end."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
from sqlalchemy import select

from game.report.render_html import render_html
from game.report.render_tables import render_xlsx
from game.report.model import Comfort
from game.report.text import strings
from game.rules.settings import RoomSettings
from game.store.models import PlayerRecord, RoomRecord, SubmissionRecord
from tests.report.conftest import play_room
from tests.report.test_aggregate import report_of

THREE_ROLES = ("HR", "MT-lid", "Leidinggevende")


def four_to_one(number, team, player, choices, rng):  # noqa: ANN001, ANN201
    """In every team, four players choose the first option (or 'helemaal oneens'), one the last."""
    return choices[-1] if player == 4 else choices[0]


def predict(number, team, player, kind, choices):  # noqa: ANN001, ANN201
    """Team A (all HR) predicts its majority right, team B (MT-lid) wrong, team C right for players 0, 2, 4."""
    right, wrong = (choices[0], choices[-1]) if kind == "dilemma" else (-1, 1)
    if team == 0:
        return right
    if team == 1:
        return wrong
    return right if player % 2 == 0 else wrong


def test_perceptions_count_right_predictions_per_role_and_list_the_cards_where_expectation_and_vote_differ(db, facilitator_id):
    # Seat i sits in team i % 3 with role i % 3: each team is one role of five people.
    code = play_room(db, facilitator_id, cards=2, players=15, roles=THREE_ROLES, chooser=four_to_one, predictor=predict)
    report = report_of(db, code)
    p = report.perceptions
    assert p["available"] and (p["predictions"], p["right"]) == (30, 16)
    by_role = {g["group"]: (g["n"], g["predictions"], g["right"]) for g in p["by_role"]["groups"]}
    assert by_role == {"HR": (5, 10, 10), "MT-lid": (5, 10, 0), "Leidinggevende": (5, 10, 6)}
    assert [g["group"] for g in p["by_role"]["groups"]] == ["HR", "Leidinggevende", "MT-lid"]  # best first
    for row in p["cards"]:
        assert (row["predictions"], row["right"]) == (15, 8)
        # Expected 8:7 over the first and the last answer; voted 12:3. Half the absolute differences:
        assert abs(row["gap"] - 0.5 * (abs(8 / 15 - 12 / 15) + abs(7 / 15 - 3 / 15))) < 1e-3
        assert row["listed"] and row["expected_top"] == row["actual_top"]
    html = render_html(report)
    assert 'id="perceptions"' in html and "Goed voorspeld, per rol" in html and 'data-testid="perceptions-note"' not in html
    section = html.split('id="perceptions"')[1].split("</section>")[0]
    assert "Leidinggevende" in section
    # A camp is shown as its kind's definition marks it: an option's letter, a side of the scale by name.
    for row in p["cards"]:
        top = "A" if row["kind"] == "dilemma" else "oneens"
        assert f"<strong>{top} 80%</strong>" in section and f"<strong>{top} 53%</strong>" in section, row["kind"]


def test_perceptions_hide_roles_below_the_minimum_group_size(db, facilitator_id):
    code = play_room(db, facilitator_id, cards=1, players=15, chooser=four_to_one, predictor=predict)  # six roles of 2-3
    by_role = report_of(db, code).perceptions["by_role"]
    assert by_role == {"shown": False, "groups": [], "note": "all_small"}
    assert all(g["n"] >= 3 for g in report_of(db, code, min_group=3).perceptions["by_role"]["groups"])


def test_low_comfort_answers_are_counted_anonymously_and_put_the_card_on_the_agenda(db, facilitator_id):
    code = play_room(db, facilitator_id, cards=2, players=15, settings=RoomSettings(comfort=True),
                     chooser=lambda n, t, p, choices, rng: choices[0],
                     comfort=lambda number, team, player: (1 if player == 0 else 4) if number == 1 else 5)
    report = report_of(db, code)
    first, second = report.cards
    assert first.comfort == Comfort(answers=15, low=3, low_max=2)
    assert second.comfort == Comfort(answers=15, low=0, low_max=2)
    assert report.comfort == {"asked": True, "answers": 30, "low": 3, "low_max": 2, "withheld": 0, "cards": [first.key]}
    html = render_html(report)
    assert "3 van de 15 antwoorden" in html and 'data-testid="comfort-summary"' in html


def test_dilemmas_brought_in_are_listed_without_author_and_without_rejected_ones(db, facilitator_id, played_room):
    with db.transaction() as s:
        room = s.scalar(select(RoomRecord).where(RoomRecord.code == played_room))
        player = s.scalar(select(PlayerRecord).where(PlayerRecord.room_id == room.id))
        for title, status in (("Thuiswerken na de fusie", "new"), ("De stille kracht", "accepted"), ("Afgewezen idee", "rejected")):
            s.add(SubmissionRecord(room_id=room.id, player_id=player.id, title=title, text=f"Tekst van {title}.",
                                   options=["Ja", "Nee"], status=status))
    report = report_of(db, played_room)
    assert report.submissions == [
        {"title": "Thuiswerken na de fusie", "text": "Tekst van Thuiswerken na de fusie.", "options": ["Ja", "Nee"], "status": "new"},
        {"title": "De stille kracht", "text": "Tekst van De stille kracht.", "options": ["Ja", "Nee"], "status": "accepted"},
    ]
    html = render_html(report)
    assert 'id="submissions"' in html and "De stille kracht" in html and "Afgewezen idee" not in html
    assert "Speler" not in html  # no author
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    assert [row[0] for row in book["Ingebracht"].iter_rows(min_row=2, values_only=True)] == ["Thuiswerken na de fusie", "De stille kracht"]


def test_observers_are_not_counted_as_participants(db, facilitator_id):
    code = play_room(db, facilitator_id, cards=1, players=10, observers=2)
    report = report_of(db, code)
    assert report.participants == 10 == sum(r.count for r in report.participants_by_role)
    assert sum(r.count for r in report.participants_by_team) == 10


def test_an_english_deck_gives_an_english_report_in_every_format(db, facilitator_id):
    code = play_room(db, facilitator_id, cards=3, players=15, deck="talking-about-mobility",
                     language_roles=("HR", "Line manager", "MT member"), predictor=predict)
    report = report_of(db, code)
    assert report.language == "en"
    html = render_html(report)
    en, nl = strings("en"), strings("nl")
    for key in ("note", "note_agree", "note_decide", "note_moved", "note_actions", "cards", "perceptions", "actions", "method"):
        assert en[key] in html, key
        assert nl[key] not in html, key
    statements = [c for c in report.cards if c.kind == "statement"]
    assert all(c.choices[0].label == "strongly disagree" for c in statements)
    sheets = openpyxl.load_workbook(io.BytesIO(render_xlsx(report))).sheetnames
    assert sheets[0] == en["sheet_note"] == "Decision note" and "Perceptions" in sheets
    assert not set(sheets) & {nl[k] for k in ("sheet_note", "sheet_cards", "sheet_votes", "sheet_actions")}


def test_every_spreadsheet_header_is_in_the_report_language_dates_are_dates_and_the_summary_counts_the_lists(db, facilitator_id):
    code = play_room(db, facilitator_id, cards=4, players=15, second_vote=True)
    report = report_of(db, code)
    nl, en = strings("nl"), strings("en")
    english_only = {v for k, v in en.items() if v != nl[k]}
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    for sheet in book.worksheets:
        header = [c.value for c in sheet[1] if c.value is not None]
        assert not set(header) & english_only, (sheet.title, header)
        # A header starts with a capital, as a column title does (a symbol such as "n" or "p (toeval)" aside).
        assert all(h[0].isupper() for h in header if isinstance(h, str) and h not in ("n",) and not h.startswith("p ")), \
            (sheet.title, header)
    actions = list(book[nl["sheet_actions"]].iter_rows(min_row=2, values_only=True))
    assert actions and all(isinstance(row[2], dt.date) for row in actions)     # "Wanneer": a date, not text
    summary = {row[0]: row[1] for row in book[nl["sheet_summary"]].iter_rows(values_only=True) if row and row[0]}
    assert isinstance(summary[nl["date"]], dt.date)
    places = [c.place for c in report.cards]
    assert [summary[nl[f"note_{k}"]] for k in ("agree", "decide", "moved")] == [places.count(k) for k in ("agree", "decide", "moved")]
    assert summary[nl["note_actions"]] == len(report.actions) > 0


def test_the_decision_note_sheet_has_the_role_groups_as_the_note_has_them(db, facilitator_id):
    code = play_room(db, facilitator_id, teams=4, players=24, cards=4)
    report = report_of(db, code)
    nl = strings("nl")
    assert report.note.groups_differ or report.note.groups_share
    rows = list(openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))[nl["sheet_note"]].iter_rows(values_only=True))
    for key, entries in (("note_groups_differ", report.note.groups_differ), ("note_groups_share", report.note.groups_share)):
        assert [(r[1], r[2]) for r in rows if r and r[0] == nl[key]] == \
            [(f"{g.position}. {g.title}", " · ".join(g.leans)) for g in entries]
