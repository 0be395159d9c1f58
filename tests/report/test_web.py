"""The report over HTTP: owner-only live report and downloads, share links (expiry, revocation), the earlier room."""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from sqlalchemy import select

from game.play.accounts import create_facilitator
from game.report import sharing
from game.report.sections import all_tables
from game.report.text import strings
from game.store.models import ReportShareRecord, RoomRecord
from tests.report.conftest import Browser, play_room
from tests.report.test_aggregate import report_of

LINK = re.compile(r'data-testid="share-link" onclick="this.select\(\)" style="width:100%"|value="(http[^"]+/share/[^"]+)"')


def room_id(db, code: str) -> int:
    with db.transaction() as s:
        return s.scalar(select(RoomRecord.id).where(RoomRecord.code == code))


def test_the_facilitator_sees_the_live_report_with_downloads(db, browser: Browser, played_room):
    page = browser.get(f"/rooms/{played_room}/report")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    nl = strings("nl")
    assert all(nl[key] in html for key in ("note", "note_agree", "note_decide", "note_moved", "note_actions"))
    assert "data:image/svg+xml;base64," in html  # charts rendered server-side
    assert page.headers["Cache-Control"] == "private, no-store"
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"          # once (it once read it twice)
    # The note is at the top of the web page: before the participants' tables and the card pages.
    assert html.index('id="summary"') < html.index(nl["by_role"]) and html.index('id="summary"') < html.index('class="card-page"')
    assert f'data-format="csv">{nl["download_csv_zip"]}' in html                # the button says a zip comes
    for fmt, kind in (("json", "application/json"), ("xlsx", "spreadsheetml"), ("csv", "application/zip"), ("pdf", "application/pdf")):
        download = browser.get(f"/rooms/{played_room}/report?format={fmt}")
        assert download.status_code == 200 and kind in download.mimetype
        assert "attachment" in download.headers["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(browser.get(f"/rooms/{played_room}/report?format=csv").data)).namelist()
    assert {"note.csv", "cards.csv", "votes.csv", "actions.csv", "decisions.csv", "arguments.csv"} <= set(names)
    assert set(names) == {f"{key}.csv" for key, _, _ in all_tables(report_of(db, played_room), nl)}


def test_lowering_the_minimum_group_size_warns_in_the_report(browser: Browser, played_room):
    html = browser.get(f"/rooms/{played_room}/report?min_group=3").get_data(as_text=True)
    assert 'data-testid="privacy-lowered"' in html
    assert browser.get(f"/rooms/{played_room}/report?format=json&min_group=1").json["privacy"]["min_group"] == 3
    assert 'data-testid="privacy-lowered"' not in browser.get(f"/rooms/{played_room}/report").get_data(as_text=True)


def test_the_report_is_only_for_its_facilitator(app, db, played_room):
    anonymous = app.test_client()
    assert anonymous.get(f"/rooms/{played_room}/report").status_code == 302  # to the login page
    create_facilitator(db, "collega", "een-lang-wachtwoord")
    other = Browser(app.test_client())
    assert other.login("collega").status_code == 302
    assert other.get(f"/rooms/{played_room}/report").status_code == 404
    assert other.get(f"/rooms/{played_room}/report?format=json").status_code == 404


def test_an_unknown_format_is_a_bad_request(browser: Browser, played_room):
    assert browser.get(f"/rooms/{played_room}/report?format=docx").status_code == 400


def make_link(browser: Browser, code: str, **data) -> str:  # noqa: ANN003
    response = browser.post(f"/rooms/{code}/report/share", {"days": 30, "min_group": 5, "label": "MT", **data},
                            f"/rooms/{code}/report/share")
    assert response.status_code == 200
    links = re.findall(r'value="(http[^"]+/share/[^"]+)"', response.get_data(as_text=True))
    assert len(links) == 1
    return links[0].split("localhost", 1)[1]


def test_a_share_link_shows_the_report_read_only_and_stores_only_a_hash(app, db, browser: Browser, played_room):
    path = make_link(browser, played_room)
    token = path.rsplit("/", 1)[1]
    assert len(token) >= 40
    with db.transaction() as s:
        share = s.scalar(select(ReportShareRecord))
        assert share.token_hash == sharing.hash_token(token) and token not in share.token_hash
    reader = app.test_client()  # no login
    page = reader.get(path)
    assert page.status_code == 200 and "Rapport gedeelde visie" in page.get_data(as_text=True)
    assert "Delen en vergelijken" not in page.get_data(as_text=True) and "Terug naar het dashboard" not in page.get_data(as_text=True)
    shared = reader.get(path + "?format=json")
    assert shared.json["room"]["code"] == "" and played_room not in shared.headers["Content-Disposition"]  # no join code (issue 17)
    assert shared.json["room"]["title"]  # the rest of the room as before
    assert reader.get(path + "?format=pdf").data.startswith(b"%PDF")


def test_a_revoked_link_gets_a_clear_410_page(app, db, browser: Browser, played_room):
    path = make_link(browser, played_room)
    with db.transaction() as s:
        share_id = s.scalar(select(ReportShareRecord.id))
    revoked = browser.post(f"/rooms/{played_room}/report/share/{share_id}/revoke", {}, f"/rooms/{played_room}/report/share")
    assert revoked.status_code == 302
    for url in (path, path + "?format=pdf"):
        page = app.test_client().get(url)
        assert page.status_code == 410 and "ingetrokken" in page.get_data(as_text=True)
    assert "ingetrokken" in browser.get(f"/rooms/{played_room}/report/share").get_data(as_text=True)


def test_an_expired_link_gets_a_clear_410_page(app, db, facilitator_id, played_room):
    created = dt.datetime(2026, 1, 1, 12)
    token = sharing.create_share(db, facilitator_id, room_id(db, played_room), days=7, now=created)
    assert sharing.resolve_share(db, token, now=created + dt.timedelta(days=6)).room_id == room_id(db, played_room)
    with pytest.raises(sharing.ShareGone):
        sharing.resolve_share(db, token, now=created + dt.timedelta(days=7))
    page = app.test_client().get(f"/share/{token}")  # 'now' is long after 2026-01-08
    assert page.status_code == 410 and "verlopen" in page.get_data(as_text=True)


def test_an_unknown_or_malformed_link_gets_a_404_page_not_a_500(app):
    client = app.test_client()
    for token in ("nope", "x" * 500, "%00", "..%2F..%2Fetc"):
        page = client.get(f"/share/{token}")
        assert page.status_code == 404, token


def test_share_links_are_made_with_csrf_protection(app, browser: Browser, played_room):
    response = browser.client.post(f"/rooms/{played_room}/report/share", data={"days": 30, "min_group": 5})
    assert "value=\"http" not in response.get_data(as_text=True)
    assert browser.client.post(f"/rooms/{played_room}/report/share/1/revoke").status_code == 400


def test_the_facilitator_links_an_earlier_room_of_the_same_deck(db, browser: Browser, facilitator_id):
    before = play_room(db, facilitator_id, cards=2)
    after = play_room(db, facilitator_id, cards=2, seed=3)
    page = browser.get(f"/rooms/{after}/report/share").get_data(as_text=True)
    assert before[:4] in page
    response = browser.post(f"/rooms/{after}/report/previous", {"previous": room_id(db, before)}, f"/rooms/{after}/report/share")
    assert response.status_code == 302
    html = browser.get(f"/rooms/{after}/report").get_data(as_text=True)
    assert 'id="comparison"' in html
    # A later room can not be chosen as the earlier one.
    refused = browser.post(f"/rooms/{before}/report/previous", {"previous": room_id(db, after)}, f"/rooms/{before}/report/share")
    assert refused.status_code == 400


def test_the_dashboard_links_to_the_report(browser: Browser, played_room):
    html = browser.get(f"/rooms/{played_room}").get_data(as_text=True)
    assert f"/rooms/{played_room}/report" in html and f"/rooms/{played_room}/report/share" in html
