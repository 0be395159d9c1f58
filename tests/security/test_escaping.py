"""User text is data everywhere it goes: room titles, names, arguments, decisions, follow-up actions,
submitted dilemmas and deck text, each holding script, markup and spreadsheet formulas, through the pages
(facilitator dashboard, big screen, tablet state), the report (HTML, the HTML WeasyPrint lays out, PDF,
CSV, XLSX, JSON) and the deck export."""
from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from sqlalchemy import select, update

from game.report.aggregate import ReportOptions
from game.report.service import render, room_report
from game.rules.codes import screen_token
from game.store.models import ArgumentRecord, DecisionRecord, PlayerRecord, RoomRecord, SubmissionRecord
from tests.report.conftest import play_room
from tests.security.test_authorisation import FAC_A, http_client

SCRIPT = "<script>alert('xss')</script>"
MARKUP = '"><img src=x onerror=alert(1)>'
FORMULAS = ('=HYPERLINK("http://evil.example","klik")', "+1+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3+cmd")


@pytest.fixture
def hostile_room(world) -> str:
    """A played room whose every user text is hostile."""
    code = play_room(world.db, world.fac_a, teams=1, players=5, cards=2, seed=4)
    with world.db.transaction() as s:
        room = s.scalar(select(RoomRecord).where(RoomRecord.code == code))
        s.execute(update(RoomRecord).where(RoomRecord.id == room.id).values(title=f"{FORMULAS[0]} {SCRIPT}"))
        s.execute(update(PlayerRecord).where(PlayerRecord.room_id == room.id).values(display_name=MARKUP[:40]))
        for i, argument in enumerate(s.scalars(select(ArgumentRecord))):
            argument.text = f"{FORMULAS[i % len(FORMULAS)]} {SCRIPT}"
        for i, decision in enumerate(s.scalars(select(DecisionRecord))):
            decision.rationale = FORMULAS[(i + 1) % len(FORMULAS)]
            decision.action_what, decision.action_owner = f"{FORMULAS[2]} {MARKUP}", "HR"
            decision.action_due = decision.action_due or __import__("datetime").date(2027, 1, 1)
        s.add(SubmissionRecord(room_id=room.id, title=FORMULAS[3][:80], text=f"{SCRIPT} {MARKUP}", options=[FORMULAS[0]]))
    return code


def _room_id(world, code: str) -> int:
    with world.db.transaction() as s:
        return s.scalar(select(RoomRecord.id).where(RoomRecord.code == code))


def assert_escaped(html: str) -> None:
    assert SCRIPT not in html and "<img src=x" not in html, "user text reached the page as markup"
    assert "&lt;script&gt;" in html  # ... it is there, as text


def test_pages_show_user_text_as_text(world, hostile_room):
    client = http_client(world, FAC_A)
    for url in (f"/rooms/{hostile_room}", f"/rooms/{hostile_room}/report", f"/rooms/{hostile_room}/submissions",
                f"/screen/{hostile_room}/{screen_token(world.app.config['SECRET_KEY'], hostile_room)}"):
        response = client.get(url)
        if response.status_code == 404 and "submissions" in url:
            continue  # the submissions page is not in every build
        if response.status_code == 410 and url.startswith("/screen/"):
            assert SCRIPT not in response.get_data(as_text=True)  # an ended room's screen shows nothing (issue 17)
            continue
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert SCRIPT not in html and "<img src=x" not in html, url


def test_the_report_escapes_user_text_in_html_and_in_the_pdf_source(world, hostile_room):
    report = room_report(world.db, _room_id(world, hostile_room), ReportOptions())
    assert_escaped(render(report, "html").body.decode())
    from game.report.render_html import render_html

    assert_escaped(render_html(report, for_pdf=True))  # what WeasyPrint lays out: no markup, so nothing fetched
    pdf = render(report, "pdf").body
    assert pdf.startswith(b"%PDF") and b"/JavaScript" not in pdf and b"/URI (http://evil" not in pdf
    data = json.loads(render(report, "json").body)
    assert data["room"]["title"] == f"{FORMULAS[0]} {SCRIPT}"  # JSON is data for programs: kept as it was


def test_csv_and_xlsx_never_hold_a_formula(world, hostile_room):
    report = room_report(world.db, _room_id(world, hostile_room), ReportOptions())
    archive = zipfile.ZipFile(io.BytesIO(render(report, "csv").body))
    import csv

    seen = 0
    for name in archive.namelist():
        for row in csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))):
            for cell in row:
                if re.fullmatch(r"-?\d+(\.\d+)?", cell):
                    continue  # a number (e.g. -0.5) is a number
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (name, cell)
                seen += any(f in cell for f in FORMULAS)
    assert seen, "the hostile texts should be in the CSV files (neutralised)"
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(render(report, "xlsx").body))
    texts = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                texts += isinstance(cell.value, str) and any(f in cell.value for f in FORMULAS)
    assert texts, "the hostile texts should be in the workbook (as text)"


def test_a_deck_export_neutralises_formulas(world):
    from game.deck_io import to_csv
    from game.play import library

    deck = library.get_deck(world.db, "mobiliteit-bespreekbaar")
    content = {**deck["content"], "cards": [{**deck["content"]["cards"][0], "title": FORMULAS[0], "text": FORMULAS[1]}]}
    out = to_csv(content).decode("utf-8-sig")
    assert "'" + FORMULAS[0].replace('"', '""') in out and "'" + FORMULAS[1] in out
