"""`inzetspel report CODE --format ...`: the JSON validates and adds up, the PDF has pages, the XLSX has named sheets."""
from __future__ import annotations

import datetime as dt
import io
import json
import re
import zlib
from pathlib import Path

import jsonschema
import openpyxl
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from game.cli import cli
from game.report.sections import all_tables
from game.report.text import strings
from game.store.models import RoomRecord, RoundRecord, TeamRecord, VoteRecord
from tests.conftest import ROOT
from tests.report.test_aggregate import report_of

SCHEMA = json.loads((ROOT / "docs" / "report.schema.json").read_text())


def run_report(monkeypatch, database_url: str, *args: str):  # noqa: ANN001, ANN201
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SECRET_KEY", "test-secret")
    monkeypatch.setenv("DECKS_DIR", str(ROOT / "decks"))
    result = CliRunner().invoke(cli, ["report", *args], catch_exceptions=False)
    return result


def pdf_pages(data: bytes) -> int:
    """Page objects in a PDF, also inside compressed object streams."""
    chunks = [data]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            chunks.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            pass
    return sum(len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", chunk)) for chunk in chunks)


def votes_per_card(db, code: str) -> dict[str, int]:
    with db.transaction() as s:
        rows = s.execute(select(RoundRecord.room_card_id, func.count()).select_from(VoteRecord).join(RoundRecord).join(TeamRecord)
                         .join(RoomRecord).where(RoomRecord.code == code, VoteRecord.ballot == 1).group_by(RoundRecord.room_card_id)).all()
        from game.store.models import RoomCardRecord
        return {s.get(RoomCardRecord, rc).card["id"]: n for rc, n in rows}


def test_the_json_report_validates_and_its_votes_equal_the_database(monkeypatch, database_url, db, played_room, tmp_path: Path):
    out = tmp_path / "r.json"
    result = run_report(monkeypatch, database_url, played_room, "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(report)
    assert {c["key"]: sum(c["first"]["counts"]) for c in report["cards"]} == votes_per_card(db, played_room)
    assert {c["key"]: c["votes_total"] for c in report["cards"]} == votes_per_card(db, played_room)
    assert {"room", "participants", "cards", "actions", "note"} <= set(report)
    assert all(c["first"]["agreement"]["reading"] in ("strong", "moderate", "divided", "polarised") for c in report["cards"])
    listed = [e["card"] for key in ("agree", "decide", "moved", "rest") for e in report["note"][key]]
    assert sorted(listed) == sorted(c["key"] for c in report["cards"])


def test_the_pdf_report_is_a_multi_page_pdf(monkeypatch, database_url, played_room, tmp_path: Path):
    out = tmp_path / "r.pdf"
    assert run_report(monkeypatch, database_url, played_room, "--format", "pdf", "-o", str(out)).exit_code == 0
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-64:]
    assert pdf_pages(data) >= 6


def test_the_xlsx_report_opens_with_one_named_sheet_per_section(monkeypatch, database_url, db, played_room, tmp_path: Path):
    out = tmp_path / "r.xlsx"
    assert run_report(monkeypatch, database_url, played_room, "--format", "xlsx", "-o", str(out)).exit_code == 0
    book = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    nl = strings("nl")
    report = report_of(db, played_room)
    # One sheet per table of the sections the report has, in the registry's order, the decision note first.
    assert book.sheetnames == [name[:31] for _, name, _ in all_tables(report, nl)]
    assert book.sheetnames[0] == nl["sheet_note"] and nl["sheet_votes"] in book.sheetnames
    votes = book[nl["sheet_votes"]]
    assert [c.value for c in votes[1]] == [nl[k] for k in ("position", "card", "ballot", "choice", "choice_label", "count")]
    assert sum(row[5] for row in votes.iter_rows(min_row=2, values_only=True)) == 4 * 15
    # Dates are dates in the spreadsheet, not text.
    actions = book[nl["sheet_actions"]]
    dues = [row[2] for row in actions.iter_rows(min_row=2, values_only=True)]
    assert dues and all(isinstance(d, dt.datetime) for d in dues)


@pytest.mark.parametrize("fmt", ["html", "csv"])
def test_the_other_formats_are_written_to_the_default_file_name(monkeypatch, database_url, played_room, tmp_path: Path, fmt):
    monkeypatch.chdir(tmp_path)
    result = run_report(monkeypatch, database_url, played_room, "--format", fmt)
    assert result.exit_code == 0, result.output
    written = Path(result.output.strip().splitlines()[-1])
    assert written.exists() and written.name.startswith(f"rapport-{played_room}")


def test_an_unknown_room_is_a_clear_error(monkeypatch, database_url, db):
    result = run_report(monkeypatch, database_url, "ZZZZ-ZZZZ", "--format", "json")
    assert result.exit_code != 0 and "Geen sessie" in result.output


def test_a_written_report_is_readable_by_its_owner_only_even_over_an_open_file(monkeypatch, database_url, played_room,
                                                                             tmp_path: Path):
    target = tmp_path / "rapport.json"
    target.write_text("old")
    target.chmod(0o644)  # a file someone left world-readable: it is narrowed before the report goes in
    result = run_report(monkeypatch, database_url, played_room, "--format", "json", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.stat().st_mode & 0o777 == 0o600
    assert json.loads(target.read_text())["room"]["code"] == played_room
    fresh = tmp_path / "nieuw.csv.zip"
    assert run_report(monkeypatch, database_url, played_room, "--format", "csv", "-o", str(fresh)).exit_code == 0
    assert fresh.stat().st_mode & 0o777 == 0o600
