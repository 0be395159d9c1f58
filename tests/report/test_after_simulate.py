"""End to end: bots play a room on a real server, then `inzetspel report` reads it back (JSON, PDF, XLSX)."""
from __future__ import annotations

import io
import json

import jsonschema
import openpyxl
import pytest
from sqlalchemy import create_engine, text

from game.report.text import strings
from tests.report.test_cli import SCHEMA, pdf_pages
from tests.server.conftest import run_cli, server_env, start_server, summary_of  # noqa: F401 (fixtures)

pytestmark = pytest.mark.server


def test_a_simulated_room_reports_exactly_the_votes_in_the_database(start_server, server_env, tmp_path):
    server = start_server("gevent")
    created = run_cli(server_env, "rooms", "create", "--deck", "mobiliteit-bespreekbaar", "--teams", "3", "--cards", "3")
    assert created.returncode == 0, created.stderr
    code = created.stdout.strip().splitlines()[-1]
    played = run_cli(server_env, "simulate", "--url", server.url, "--code", code, "--players", "12", "--seed", "5",
                     "--timeout", "90", timeout=150)
    assert summary_of(played.stdout)["finished"], played.stdout[-2000:]

    out = tmp_path / "r.json"
    assert run_cli(server_env, "report", code, "--format", "json", "-o", str(out)).returncode == 0
    report = json.loads(out.read_text())
    jsonschema.Draft202012Validator(SCHEMA).validate(report)
    engine = create_engine(server_env["DATABASE_URL"])
    with engine.connect() as conn:
        in_db = conn.execute(text("SELECT count(*) FROM votes")).scalar()
    engine.dispose()
    counted = sum(sum(c["first"]["counts"]) for c in report["cards"])
    assert counted == sum(c["votes_total"] for c in report["cards"])
    # 12 players vote again at every table: the vote after discussion is released (>= the minimum group).
    counted += sum(sum(c["second"]["counts"]) for c in report["cards"] if c["second"])
    assert counted == in_db > 0

    pdf = tmp_path / "r.pdf"
    assert run_cli(server_env, "report", code, "--format", "pdf", "-o", str(pdf), timeout=120).returncode == 0
    assert pdf_pages(pdf.read_bytes()) > 1
    xlsx = tmp_path / "r.xlsx"
    assert run_cli(server_env, "report", code, "--format", "xlsx", "-o", str(xlsx)).returncode == 0
    sheets = openpyxl.load_workbook(io.BytesIO(xlsx.read_bytes())).sheetnames
    assert sheets[0] == strings("nl")["sheet_note"] and strings("nl")["sheet_votes"] in sheets
