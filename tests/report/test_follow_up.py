"""The six-month follow-up: `rooms create --previous`, the review on the dashboard, action statuses set on the
report page or through a share link and shown in both reports."""
from __future__ import annotations

import io
import re
import zipfile

import openpyxl

import pytest
from click.testing import CliRunner
from sqlalchemy import inspect, select

from game.cli import cli
from game.play.accounts import create_facilitator
from game.play.follow_up import review, set_status
from game.report import sharing
from game.rules.errors import RuleViolation
from game.store.models import DecisionRecord, RoomRecord
from tests.conftest import ROOT
from tests.report.conftest import DECK, Browser, play_room


def room_id(db, code: str) -> int:  # noqa: ANN001
    with db.transaction() as s:
        return s.scalar(select(RoomRecord.id).where(RoomRecord.code == code))


def run_cli(monkeypatch, database_url: str, *args: str):  # noqa: ANN001, ANN201
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SECRET_KEY", "test-secret")
    monkeypatch.setenv("DECKS_DIR", str(ROOT / "decks"))
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def follow_up_of(monkeypatch, database_url: str, earlier: str) -> str:  # noqa: ANN001
    result = run_cli(monkeypatch, database_url, "rooms", "create", "--deck", DECK, "--teams", "2", "--previous", earlier)
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


def actions(report_json: dict) -> dict[int, str]:
    return {a["id"]: a["status"] for a in report_json["actions"]}


def previous_actions(report_json: dict) -> dict[int, str]:
    return {a["id"]: a["status"] for a in report_json["comparison"]["previous_actions"]}


def share_token(db, facilitator_id: int, code: str) -> str:  # noqa: ANN001
    return sharing.create_share(db, facilitator_id, room_id(db, code))


def test_the_migration_gives_every_action_a_status_that_starts_open(db, played_room):
    with db.transaction() as s:
        columns = {c["name"]: c for c in inspect(s.connection()).get_columns("decisions")}
        statuses = s.scalars(select(DecisionRecord.action_status).where(DecisionRecord.action_what.is_not(None))).all()
    assert not columns["action_status"]["nullable"]
    assert statuses and set(statuses) == {"open"}


def test_a_follow_up_created_with_previous_opens_with_the_earlier_actions_to_review(
        monkeypatch, database_url, db, browser: Browser, played_room):
    code = follow_up_of(monkeypatch, database_url, played_room)
    earlier = room_id(db, played_room)
    with db.transaction() as s:
        assert s.scalar(select(RoomRecord.previous_room_id).where(RoomRecord.code == code)) == earlier
        whats = s.scalars(select(DecisionRecord.action_what).where(DecisionRecord.action_what.is_not(None))).all()
    html = browser.get(f"/rooms/{code}").get_data(as_text=True)
    assert 'data-testid="follow-up-review"' in html
    # Before the first card: the review comes first on the page and is open.
    assert html.index('data-testid="follow-up-review"') < html.index('id="controls-title"')
    assert "<details open>" in html
    for what in whats:
        assert what in html
    assert html.count('class="status-form"') == len(whats) and len(re.findall(r'aria-pressed="true"[^>]*>open<', html)) == len(whats)


def test_a_room_without_an_earlier_one_has_no_review(browser: Browser, played_room):
    assert 'data-testid="follow-up-review"' not in browser.get(f"/rooms/{played_room}").get_data(as_text=True)


def test_previous_must_name_an_existing_room(monkeypatch, database_url, facilitator_id):
    result = run_cli(monkeypatch, database_url, "rooms", "create", "--deck", DECK, "--previous", "ZZZZ-ZZZZ")
    assert result.exit_code != 0 and "--previous ZZZZ-ZZZZ" in result.output


def test_previous_of_another_facilitator_is_refused(monkeypatch, database_url, db, played_room):
    create_facilitator(db, "collega", "een-lang-wachtwoord")
    result = run_cli(monkeypatch, database_url, "rooms", "create", "--deck", DECK, "--facilitator", "collega",
                     "--previous", played_room)
    assert result.exit_code != 0 and "--previous" in result.output
    with db.transaction() as s:
        assert s.scalar(select(RoomRecord.id).where(RoomRecord.previous_room_id.is_not(None))) is None


def test_without_facilitator_the_follow_up_belongs_to_the_earlier_rooms_facilitator(
        monkeypatch, database_url, db, facilitator_id, played_room):
    create_facilitator(db, "eerste-van-twee", "een-lang-wachtwoord")  # not the first account: the owner decides
    code = follow_up_of(monkeypatch, database_url, played_room)
    with db.transaction() as s:
        assert s.scalar(select(RoomRecord.facilitator_id).where(RoomRecord.code == code)) == facilitator_id


def test_a_status_set_on_the_report_page_appears_in_both_reports(monkeypatch, database_url, db, browser: Browser, played_room):
    later = follow_up_of(monkeypatch, database_url, played_room)
    action = min(actions(browser.get(f"/rooms/{played_room}/report?format=json").json))
    response = browser.post(f"/rooms/{played_room}/actions/{action}/status", {"status": "done", "back": "report"},
                            f"/rooms/{played_room}/report")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/rooms/{played_room}/report#action-{action}")
    assert actions(browser.get(f"/rooms/{played_room}/report?format=json").json)[action] == "done"
    assert previous_actions(browser.get(f"/rooms/{later}/report?format=json").json)[action] == "done"
    # The downloads too: the actions sheet of the earlier room, the comparison sheet of the follow-up.
    csv = zipfile.ZipFile(io.BytesIO(browser.get(f"/rooms/{played_room}/report?format=csv").data))
    assert "gedaan" in csv.read("actions.csv").decode("utf-8-sig")
    sheets = openpyxl.load_workbook(io.BytesIO(browser.get(f"/rooms/{later}/report?format=xlsx").data))
    assert any(cell == "gedaan" for ws in sheets.worksheets for row in ws.iter_rows(values_only=True) for cell in row)
    for code in (played_room, later):
        html = browser.get(f"/rooms/{code}/report").get_data(as_text=True)
        row = re.search(rf'<tr id="action-{action}".*?</tr>', html, re.S).group(0)
        assert 'data-testid="status-' in row and ">gedaan<" in row.replace("\n", "")


def test_the_follow_ups_dashboard_sets_a_status_and_returns_to_it(monkeypatch, database_url, db, browser: Browser, played_room):
    later = follow_up_of(monkeypatch, database_url, played_room)
    action = min(actions(browser.get(f"/rooms/{played_room}/report?format=json").json))
    response = browser.post(f"/rooms/{later}/actions/{action}/status", {"status": "dropped", "back": "dashboard"},
                            f"/rooms/{later}")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/rooms/{later}#action-{action}")
    assert previous_actions(browser.get(f"/rooms/{later}/report?format=json").json)[action] == "dropped"
    html = browser.get(f"/rooms/{later}").get_data(as_text=True)
    row = re.search(rf'<tr id="action-{action}".*?</tr>', html, re.S).group(0)
    assert re.search(r'class="status-choice status-dropped pill current" aria-pressed="true"[^>]*>vervallen<', row)


def test_a_status_set_through_a_share_link_appears_in_both_reports(
        monkeypatch, database_url, app, db, facilitator_id, browser: Browser, played_room):
    later = follow_up_of(monkeypatch, database_url, played_room)
    token = share_token(db, facilitator_id, later)
    mt = Browser(app.test_client())
    action = max(previous_actions(mt.get(f"/share/{token}?format=json").json))
    response = mt.post(f"/share/{token}/actions/{action}/status", {"status": "done", "back": "report"}, f"/share/{token}")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/share/{token}#action-{action}")
    assert previous_actions(mt.get(f"/share/{token}?format=json").json)[action] == "done"
    assert actions(browser.get(f"/rooms/{played_room}/report?format=json").json)[action] == "done"
    html = mt.get(f"/share/{token}").get_data(as_text=True)
    assert re.search(rf'<tr id="action-{action}".*?>gedaan<', html, re.S)


def test_a_share_link_cannot_set_the_status_of_another_rooms_action(app, db, facilitator_id, played_room):
    other = play_room(db, facilitator_id, seed=7)
    token = share_token(db, facilitator_id, played_room)
    mt = Browser(app.test_client())
    with db.transaction() as s:
        foreign = s.scalar(select(DecisionRecord.round_id).where(DecisionRecord.action_what.is_not(None))
                           .order_by(DecisionRecord.id.desc()))
    assert foreign not in actions(mt.get(f"/share/{token}?format=json").json)
    response = mt.post(f"/share/{token}/actions/{foreign}/status", {"status": "done", "back": "report"}, f"/share/{token}")
    assert response.status_code == 404
    with db.transaction() as s:
        assert s.scalar(select(DecisionRecord.action_status).where(DecisionRecord.round_id == foreign)) == "open"
    assert other  # the other room exists and is untouched


def test_a_revoked_share_link_sets_nothing(app, db, facilitator_id, played_room):
    token = share_token(db, facilitator_id, played_room)
    mt = Browser(app.test_client())
    action = min(actions(mt.get(f"/share/{token}?format=json").json))
    page = mt.get(f"/share/{token}").get_data(as_text=True)  # the form was loaded before the link was revoked
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    with db.transaction() as s:
        share_id = s.scalar(select(sharing.ReportShareRecord.id))
    sharing.revoke_share(db, facilitator_id, room_id(db, played_room), share_id)
    response = mt.client.post(f"/share/{token}/actions/{action}/status", data={"status": "done", "back": "report", "csrf_token": csrf})
    assert response.status_code == 404
    with db.transaction() as s:
        assert s.scalar(select(DecisionRecord.action_status).where(DecisionRecord.round_id == action)) == "open"


def test_a_status_without_csrf_or_outside_the_three_is_refused(app, db, browser: Browser, played_room):
    action = min(actions(browser.get(f"/rooms/{played_room}/report?format=json").json))
    assert browser.client.post(f"/rooms/{played_room}/actions/{action}/status", data={"status": "done"}).status_code == 400
    refused = browser.post(f"/rooms/{played_room}/actions/{action}/status", {"status": "finished", "back": "report"},
                           f"/rooms/{played_room}/report")
    assert refused.status_code == 400
    elsewhere = browser.post(f"/rooms/{played_room}/actions/{action}/status", {"status": "done", "back": "https://example.org"},
                             f"/rooms/{played_room}/report")
    assert elsewhere.status_code == 400
    with db.transaction() as s:
        assert s.scalar(select(DecisionRecord.action_status).where(DecisionRecord.round_id == action)) == "open"


def test_another_facilitator_cannot_set_a_status(app, db, played_room):
    create_facilitator(db, "collega", "een-lang-wachtwoord")
    own = play_room(db, 2, seed=3)
    other = Browser(app.test_client())
    assert other.login("collega").status_code == 302
    with db.transaction() as s:
        foreign = s.scalar(select(DecisionRecord.round_id).where(DecisionRecord.action_what.is_not(None)).order_by(DecisionRecord.id))
    response = other.post(f"/rooms/{played_room}/actions/{foreign}/status", {"status": "done", "back": "report"},
                          f"/rooms/{own}/report")
    assert response.status_code == 404


def test_the_use_case_refuses_a_decision_without_an_action_and_an_unknown_status(db, played_room):
    rid = room_id(db, played_room)
    with db.transaction() as s:
        without = s.scalar(select(DecisionRecord.round_id).where(DecisionRecord.action_what.is_(None)))
        with_action = s.scalar(select(DecisionRecord.round_id).where(DecisionRecord.action_what.is_not(None)))
    with pytest.raises(RuleViolation) as refused:
        set_status(db, rid, without, "done")
    assert refused.value.code == "action/not_found"
    with pytest.raises(RuleViolation) as unknown:
        set_status(db, rid, with_action, "half")
    assert unknown.value.code == "action/status"


def test_the_review_counts_statuses_and_closes_once_a_card_is_drawn(db, facilitator_id, played_room):
    from game.play import rooms

    later = rooms.create_room(db, facilitator_id, rooms.RoomSpec(deck_slug=DECK, team_names=("A",), previous_room_code=played_room))
    first = review(db, facilitator_id, later)
    set_status(db, room_id(db, later), first["actions"][0]["id"], "done")
    again = review(db, facilitator_id, later)
    assert again["counts"] == {"open": len(first["actions"]) - 1, "done": 1, "dropped": 0}
    assert not again["started"]
