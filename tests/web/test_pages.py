"""The HTTP pages: first-run set-up, login, rooms, the join link, ending a room, and `inzetspel users create`."""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from game.play import rooms
from game.play.accounts import create_facilitator, verify_login
from game.rules.codes import display_join_code
from game.rules.errors import RuleViolation
from game.store.db import Database
from game.store.models import FacilitatorRecord, RoomRecord
from tests.conftest import ROOT

DECK = "mobiliteit-bespreekbaar"
PASSWORD = "een-lang-wachtwoord"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Browser:
    """A Flask test client that fills in forms the way a browser does: with the page's CSRF token."""

    def __init__(self, client):  # noqa: ANN001
        self.client = client

    def get(self, url: str, **kwargs):  # noqa: ANN003, ANN201
        return self.client.get(url, **kwargs)

    def token(self, page: str) -> str:
        html = self.client.get(page, follow_redirects=True).get_data(as_text=True)
        match = CSRF.search(html)
        assert match, f"no CSRF token on {page}"
        return match.group(1)

    def submit(self, url: str, data: dict, page: str | None = None):  # noqa: ANN201
        """POST `data` to `url` with the token from `page` (the form's own page by default)."""
        return self.client.post(url, data={**data, "csrf_token": self.token(page or url)})

    def login(self, username: str = "begeleider", password: str = PASSWORD):  # noqa: ANN201
        return self.submit("/login", {"username": username, "password": password})


@pytest.fixture
def browser(app) -> Browser:
    return Browser(app.test_client())


@pytest.fixture
def account(db) -> int:
    return create_facilitator(db, "begeleider", PASSWORD)


@pytest.fixture
def signed_in(browser: Browser, account: int) -> Browser:
    assert browser.login().status_code == 302
    return browser


@pytest.fixture
def room_code(db, account: int) -> str:
    spec = rooms.RoomSpec(deck_slug=DECK, team_names=("Rood", "Blauw"), cards=3, roles=("Wethouder", "Teamleider", "HR"))
    return rooms.create_room(db, account, spec)


def count(db, model) -> int:  # noqa: ANN001
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(model))


def is_open(db, code: str) -> bool:
    with db.transaction() as s:
        return s.scalar(select(RoomRecord.is_open).where(RoomRecord.code == code))


def unused_code(code: str) -> str:
    """A well-formed join code that is not `code`."""
    return "ABCDEFGH" if code != "ABCDEFGH" else "HGFEDCBA"


# --- first run -----------------------------------------------------------------------------------

def test_a_fresh_install_sends_visitors_to_the_setup_page(browser: Browser):
    for page in ("/", "/login"):
        response = browser.get(page)
        assert response.status_code == 302 and response.location.endswith("/setup"), page
    assert "Maak het eerste account aan" in browser.get("/setup").get_data(as_text=True)


def test_the_first_facilitator_is_created_with_a_hashed_password(browser: Browser, db):
    response = browser.submit("/setup", {"username": "eerste", "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302 and response.location.endswith("/rooms")
    with db.transaction() as s:
        (record,) = s.scalars(select(FacilitatorRecord)).all()
        username, stored = record.username, record.password_hash
    assert username == "eerste"
    assert PASSWORD not in stored and stored.startswith("scrypt:")
    assert check_password_hash(stored, PASSWORD)
    assert browser.get("/rooms").status_code == 200  # signed in straight away


def test_a_setup_with_a_short_or_unconfirmed_password_creates_no_account(browser: Browser, db):
    for password, confirm in [("kort", "kort"), (PASSWORD, PASSWORD + "!"), ("", "")]:
        response = browser.submit("/setup", {"username": "eerste", "password": password, "confirm": confirm})
        assert response.status_code == 200 and 'class="error"' in response.get_data(as_text=True), password
    assert count(db, FacilitatorRecord) == 0


def test_setup_is_closed_once_an_account_exists(browser: Browser, account: int, db):
    response = browser.get("/setup")
    assert response.status_code == 302 and response.location.endswith("/login")
    token = browser.token("/login")
    response = browser.client.post("/setup", data={"username": "indringer", "password": PASSWORD, "confirm": PASSWORD, "csrf_token": token})
    assert response.status_code == 302 and response.location.endswith("/login")
    assert count(db, FacilitatorRecord) == 1
    assert browser.get("/rooms").status_code == 302  # and nobody got signed in


# --- login ---------------------------------------------------------------------------------------

def test_the_rooms_page_requires_login(browser: Browser, room_code: str):
    for url in ("/rooms", f"/rooms/{room_code}"):
        response = browser.get(url)
        assert response.status_code == 302 and "/login?next=" in response.location, url


def test_logging_in_with_the_right_password_opens_the_rooms_page(browser: Browser, account: int):
    response = browser.login()
    assert response.status_code == 302 and response.location.endswith("/rooms")
    assert "Nieuwe sessie" in browser.get("/rooms").get_data(as_text=True)


def test_logging_in_with_a_wrong_password_or_user_is_refused(browser: Browser, account: int):
    for username, password in [("begeleider", PASSWORD + "x"), ("begeleider", PASSWORD.upper()), ("niemand", PASSWORD)]:
        response = browser.login(username, password)
        assert response.status_code == 200
        assert "Gebruikersnaam of wachtwoord klopt niet." in response.get_data(as_text=True)
        assert browser.get("/rooms").status_code == 302


def test_login_sends_you_back_to_the_page_you_asked_for_but_never_off_site(browser: Browser, account: int, room_code: str):
    token = browser.token("/login")
    response = browser.client.post(f"/login?next=/rooms/{room_code}", data={"username": "begeleider", "password": PASSWORD, "csrf_token": token})
    assert response.location.endswith(f"/rooms/{room_code}")
    token = browser.token("/login")
    response = browser.client.post("/login?next=//evil.example/", data={"username": "begeleider", "password": PASSWORD, "csrf_token": token})
    assert response.location.endswith("/rooms") and "evil" not in response.location


# --- rooms ---------------------------------------------------------------------------------------

ROOM_FORM = {"deck": DECK, "title": "MT-sessie najaar", "cards": "3", "teams": "Rood\nBlauw\n", "roles": "Wethouder\nTeamleider\nHR", "shuffle": "y"}


def test_a_room_created_with_the_form_opens_its_dashboard_with_the_join_code(signed_in: Browser, db):
    response = signed_in.submit("/rooms", ROOM_FORM)
    assert response.status_code == 302
    code = response.location.rstrip("/").rsplit("/", 1)[1]
    with db.transaction() as s:
        room = s.scalar(select(RoomRecord).where(RoomRecord.code == code))
        assert (room.title, room.roles, room.cards_total, [t.name for t in room.teams]) == (
            "MT-sessie najaar", ["Wethouder", "Teamleider", "HR"], 3, ["Rood", "Blauw"])
    page = signed_in.get(f"/rooms/{code}").get_data(as_text=True)
    assert display_join_code(code) in page
    assert f"/r/{code}" in page
    assert display_join_code(code) in signed_in.get("/rooms").get_data(as_text=True)


def test_a_room_form_with_an_unknown_deck_creates_no_room(signed_in: Browser, db):
    response = signed_in.submit("/rooms", {**ROOM_FORM, "deck": "bestaat-niet"})
    assert response.status_code == 200
    assert count(db, RoomRecord) == 0


def test_a_form_post_without_a_valid_csrf_token_is_refused(signed_in: Browser, db):
    account = {"username": "nieuw", "password": PASSWORD, "confirm": PASSWORD}
    for url, data in [("/rooms", ROOM_FORM), ("/rooms", {**ROOM_FORM, "csrf_token": "nep." + "a" * 40}),
                      ("/facilitators/new", account), ("/login", {"username": "begeleider", "password": PASSWORD})]:
        response = signed_in.client.post(url, data=data)
        assert response.status_code == 400, url
        assert "Het formulier is verlopen" in response.get_data(as_text=True)
    assert count(db, RoomRecord) == 0
    assert count(db, FacilitatorRecord) == 1


def test_a_facilitator_cannot_see_or_end_another_facilitators_room(browser: Browser, db, room_code: str):
    create_facilitator(db, "collega", PASSWORD)
    browser.login("collega")
    assert browser.get(f"/rooms/{room_code}").status_code == 404
    response = browser.submit(f"/rooms/{room_code}/end", {}, page="/rooms")
    assert response.status_code == 404
    assert is_open(db, room_code)
    assert display_join_code(room_code) not in browser.get("/rooms").get_data(as_text=True)


def test_ending_a_room_makes_it_read_only(signed_in: Browser, db, room_code: str):
    response = signed_in.submit(f"/rooms/{room_code}/end", {}, page=f"/rooms/{room_code}")
    assert response.status_code == 302 and response.location.endswith(f"/rooms/{room_code}")
    assert is_open(db, room_code) is False

    dashboard = signed_in.get(f"/rooms/{room_code}").get_data(as_text=True)
    assert "afgelopen" in dashboard and f"/rooms/{room_code}/end" not in dashboard
    join_page = signed_in.get(f"/r/{room_code}").get_data(as_text=True)
    assert "Deze sessie is afgelopen." in join_page and 'id="join-form"' not in join_page
    with pytest.raises(RuleViolation) as refused:
        rooms.take_seat(db, room_code, "Laatkomer", "HR", None)
    assert refused.value.code == "room/closed"


def test_ending_a_room_needs_a_signed_in_facilitator_and_the_forms_token(browser: Browser, db, room_code: str):
    response = browser.client.post(f"/rooms/{room_code}/end", data={"csrf_token": browser.token("/login")})
    assert response.status_code == 302 and "/login" in response.location
    assert is_open(db, room_code)
    browser.login()
    assert browser.client.post(f"/rooms/{room_code}/end").status_code == 400
    assert is_open(db, room_code)


# --- the player's pages --------------------------------------------------------------------------

def test_the_join_link_shows_the_join_form_with_the_rooms_roles_and_teams(browser: Browser, room_code: str):
    response = browser.get(f"/r/{room_code}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="join-form"' in page
    assert re.findall(r'name="role" value="([^"]+)"', page) == ["Wethouder", "Teamleider", "HR"]
    assert "Rood" in page and "Blauw" in page


def test_a_join_link_in_lower_case_or_with_a_dash_redirects_to_the_canonical_code(browser: Browser, room_code: str):
    for typed in (room_code.lower(), display_join_code(room_code), display_join_code(room_code).lower()):
        response = browser.get(f"/r/{typed}")
        assert response.status_code == 302 and response.location.endswith(f"/r/{room_code}"), typed


def test_an_unknown_code_gives_404_with_a_clear_message(browser: Browser, room_code: str):
    for code in (unused_code(room_code), display_join_code(unused_code(room_code)).lower(), "garbage", "x" * 200):
        response = browser.get(f"/r/{code}")
        assert response.status_code == 404, code
        assert "Geen sessie met deze code. Controleer de code." in response.get_data(as_text=True)


def test_the_code_form_refuses_what_cannot_be_a_code_with_400(browser: Browser, account: int):
    for typed in ("garbage", "", "ABCD-EFG0", "A" * 500):
        response = browser.get("/join", query_string={"code": typed})
        assert response.status_code == 400, typed
        assert "Een code heeft 8 tekens" in response.get_data(as_text=True)


def test_the_code_form_sends_a_well_formed_code_to_its_room(browser: Browser, room_code: str):
    response = browser.get("/join", query_string={"code": display_join_code(room_code).lower()})
    assert response.status_code == 302 and response.location.endswith(f"/r/{room_code}")


# --- the command line ----------------------------------------------------------------------------

def users_create(database_url: str, username: str, password: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "INZETSPEL_PASSWORD": password, "SECRET_KEY": "test-secret",
           "DECKS_DIR": str(ROOT / "decks")}
    return subprocess.run([str(ROOT / ".venv" / "bin" / "inzetspel"), "users", "create", username],
                          capture_output=True, text=True, timeout=60, env=env, stdin=subprocess.DEVNULL, check=False)


def test_users_create_makes_an_account_that_can_log_in(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = users_create(url, "cli-begeleider", PASSWORD)
    assert result.returncode == 0, result.stderr
    assert "created facilitator 'cli-begeleider'" in result.stdout

    db = Database(url)
    try:
        assert verify_login(db, "cli-begeleider", PASSWORD) is not None
        assert verify_login(db, "cli-begeleider", "iets-anders-helemaal") is None
    finally:
        db.dispose()

    again = users_create(url, "cli-begeleider", PASSWORD)
    assert again.returncode != 0 and "bestaat al" in again.stderr
    weak = users_create(url, "tweede", "kort")
    assert weak.returncode != 0 and "minstens 10 tekens" in weak.stderr
