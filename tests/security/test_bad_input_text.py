"""Free text at every entry point (socket payloads, forms, the CLI) goes through game/rules/text.py: NFC,
and control characters, direction overrides and invisible-only text are refused with a clear message,
one log line and no traceback, changing nothing, on SQLite and PostgreSQL alike."""
from __future__ import annotations

import datetime as dt
import logging
import os
import re
import subprocess

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.extensions import socketio
from game.play.accounts import create_facilitator
from game.play.rooms import RoomSpec, create_room
from game.rules.errors import RuleViolation
from game.rules.text import clean_text, text_problem
from tests.conftest import ROOT
from tests.security.conftest import fingerprint
from tests.conftest import sign_in

DECK = "mobiliteit-bespreekbaar"
PASSWORD = "een-lang-wachtwoord"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

CONTROL = {
    "nul": "Anna\x00",
    "ansi": "\x1b[31mRood\x1b[0m",
    "rlo": "Factuur\u202egnp.exe",
    "isolate": "\u2066Anna\u2069",
    "bell": "Hallo\x07",
    "c1": "Hallo\x9b",
    "surrogate": "Anna\ud800",
}
INVISIBLE = {
    "zero-width": "\u200b\u200b",
    "joiners": "\u200d\u2060\ufeff",
    "hangul-filler": "\u3164",
    "marks": "\u200e\u200f",
}
BAD = {**{k: (v, "text/control_characters") for k, v in CONTROL.items()},
       **{k: (v, "text/invisible") for k, v in INVISIBLE.items()}}


# --- the rule ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(BAD))
def test_control_characters_and_invisible_only_text_are_refused_with_a_code(name: str):
    value, code = BAD[name]
    with pytest.raises(RuleViolation) as exc:
        clean_text(value)
    assert exc.value.code == code


@pytest.mark.parametrize("value", ["Anna", "Zoë", "José 🌷", "👍🏽", "מנהל\u200f", "علي", "Team\u00a0A", "a\u200db",
                                   "Regel een\nregel twee\ttab", "", "   "])
def test_ordinary_text_in_any_script_with_emoji_and_line_breaks_is_accepted(value: str):
    assert text_problem(value) is None


def test_text_is_normalised_to_nfc_and_trimmed():
    assert clean_text("  Jose\u0301  ") == "Jos\u00e9"
    assert clean_text(" Team \n  A ", single_line=True) == "Team A"
    assert clean_text("Eerste regel\n\nTweede") == "Eerste regel\n\nTweede"


@given(st.text())
def test_clean_text_accepts_nothing_that_a_database_or_terminal_would_choke_on(value: str):
    try:
        cleaned = clean_text(value)
    except RuleViolation as exc:
        assert exc.code in ("text/control_characters", "text/invisible")
        return
    assert "\x00" not in cleaned and "\x1b" not in cleaned and "\u202e" not in cleaned
    cleaned.encode("utf-8")  # no lone surrogate: PostgreSQL and SQLite can store it
    assert clean_text(cleaned) == cleaned  # idempotent: a second entry point changes nothing


# --- socket payloads -----------------------------------------------------------------------------

@pytest.fixture
def room(db) -> tuple[int, str]:
    owner = create_facilitator(db, "begeleider", PASSWORD)
    return owner, create_room(db, owner, RoomSpec(deck_slug=DECK, team_names=("Team A", "Team B"), cards=2, shuffle=False))


@pytest.fixture
def clients(app):
    made = []

    def _client(facilitator_id: int | None = None):  # noqa: ANN202
        http = app.test_client()
        if facilitator_id is not None:
            with http.session_transaction() as session:
                sign_in(app, session, facilitator_id)
        client = socketio.test_client(app, flask_test_client=http)
        made.append(client)
        return client

    yield _client
    for c in made:
        if c.is_connected():
            c.disconnect()


def seated(client, code: str, name: str = "Anna"):  # noqa: ANN001, ANN201
    assert client.emit("take_seat", {"code": code, "name": name, "role": "HR", "team": 1}, callback=True)["ok"]
    client.get_received()
    return client


def due() -> str:
    return (dt.date.today() + dt.timedelta(days=30)).isoformat()


# (event, sender, a valid payload, where the text goes in it)
TEXT_FIELDS = [
    ("take_seat", "stranger", lambda c: {"code": c, "name": "Eva", "role": "HR"}, ("name",)),
    ("take_seat", "stranger", lambda c: {"code": c, "name": "Eva", "role": "HR"}, ("role",)),
    ("take_seat", "stranger", lambda c: {"code": c, "name": "Eva", "role": "HR"}, ("code",)),
    ("post_argument", "player", lambda c: {"round": 1, "id": "arg-tekst-0001", "text": "Mijn punt"}, ("text",)),
    ("submit_dilemma", "player", lambda c: {"title": "Ons dilemma", "text": "Een situatie uit ons werk, lang genoeg.",
                                            "kind": "dilemma", "options": ["Ja", "Nee"]}, ("title",)),
    ("submit_dilemma", "player", lambda c: {"title": "Ons dilemma", "text": "Een situatie uit ons werk, lang genoeg.",
                                            "kind": "dilemma", "options": ["Ja", "Nee"]}, ("text",)),
    ("submit_dilemma", "player", lambda c: {"title": "Ons dilemma", "text": "Een situatie uit ons werk, lang genoeg.",
                                            "kind": "dilemma", "options": ["Ja", "Nee"]}, ("options", 1)),
    ("record_decision", "player", lambda c: {"round": 1, "position": 1, "rationale": "Samen"}, ("rationale",)),
    ("record_decision", "player", lambda c: {"round": 1, "position": 1, "rationale": "Samen",
                                             "action": {"what": "Plannen", "owner": "HR", "due": due()}}, ("action", "what")),
    ("record_decision", "player", lambda c: {"round": 1, "position": 1, "rationale": "Samen",
                                             "action": {"what": "Plannen", "owner": "HR", "due": due()}}, ("action", "owner")),
    ("broadcast_message", "facilitator", lambda c: {"code": c, "text": "Pauze"}, ("text",)),
    ("watch_room", "facilitator", lambda c: {"code": c}, ("code",)),
]


def put(payload: dict, path: tuple, value: str) -> dict:
    target = payload
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return payload


@pytest.mark.parametrize(("event", "sender", "base", "path"), TEXT_FIELDS,
                         ids=[f"{e}-{'.'.join(map(str, p))}" for e, _, _, p in TEXT_FIELDS])
def test_bad_text_in_a_socket_payload_is_refused_clearly_logged_once_and_changes_nothing(
        event, sender, base, path, room, clients, db, caplog):
    owner, code = room
    client = {"stranger": lambda: clients(), "player": lambda: seated(clients(), code),
              "facilitator": lambda: clients(owner)}[sender]()
    client.get_received()
    before = fingerprint(db)
    for name, (value, expected) in BAD.items():
        caplog.clear()
        with caplog.at_level(logging.INFO):
            reply = client.emit(event, put(base(code), path, value), callback=True)
        if name == "surrogate":  # pydantic's strict str refuses it first: not a string at all
            expected = "payload/invalid"
        assert reply["ok"] is False and reply["error"]["code"] == expected, (name, reply)
        assert reply["error"]["message"] in (
            "Haal de onzichtbare stuurtekens weg (zoals NUL, escapecodes of tekens die de schrijfrichting omdraaien).",
            "Deze tekst toont niets: schrijf zichtbare letters of cijfers.") or name == "surrogate"
        assert [m["args"][0] for m in client.get_received() if m["name"] == "error"] == [reply["error"]]
        refused = [r for r in caplog.records if r.name == "game.live.events"]
        assert len(refused) == 1 and expected in refused[0].getMessage(), (name, [r.getMessage() for r in caplog.records])
        assert not [r for r in caplog.records if r.exc_info], name
        assert fingerprint(db) == before, f"{event} {name} changed the database"


def test_a_name_is_stored_in_nfc_and_an_emoji_name_is_welcome(room, clients, db):
    _, code = room
    client = clients()
    reply = client.emit("take_seat", {"code": code, "name": " Jose\u0301 🌷 ", "role": "HR", "team": 1}, callback=True)
    assert reply["ok"], reply
    names = [p["name"] for p in reply["team"]["players"]] if "players" in reply["team"] else None
    from sqlalchemy import select

    from game.store.models import PlayerRecord
    with db.transaction() as s:
        assert s.scalar(select(PlayerRecord.display_name)) == "Jos\u00e9 🌷"
    assert names is None or "Jos\u00e9 🌷" in names


# --- forms ---------------------------------------------------------------------------------------

def token(client, page: str) -> str:  # noqa: ANN001
    return CSRF.search(client.get(page).get_data(as_text=True)).group(1)


def logged_in(app):  # noqa: ANN001, ANN201
    client = app.test_client()
    reply = client.post("/login", data={"username": "begeleider", "password": PASSWORD, "csrf_token": token(client, "/login")})
    assert reply.status_code == 302
    return client


@pytest.mark.parametrize("name", ["nul", "ansi", "zero-width"])
def test_a_login_with_a_bad_username_is_refused_at_the_field_not_a_500(app, room, name: str):
    client = app.test_client()
    reply = client.post("/login", data={"username": BAD[name][0] + "begeleider", "password": PASSWORD,
                                        "csrf_token": token(client, "/login")})
    assert reply.status_code in (200, 400, 422)
    assert "Haal de onzichtbare stuurtekens weg" in reply.get_data(as_text=True) or name == "zero-width"


@pytest.mark.parametrize(("field", "value"), [
    ("title", "Sessie \u202eredro"), ("title", "\x1b[2J"), ("teams", "Team A\n\u200b\u200b\nTeam C"),
    ("teams", "Team A\nTeam\x00B"), ("roles", "HR\n\u2066MT\u2069"), ("save_as", "Sjabloon\x00"),
], ids=["title-rlo", "title-ansi", "teams-invisible", "teams-nul", "roles-isolate", "template-nul"])
def test_a_new_room_with_bad_text_shows_the_reason_and_creates_nothing(app, room, db, field: str, value: str, caplog):
    client = logged_in(app)
    before = fingerprint(db)
    caplog.clear()
    form = {"deck": DECK, "title": "Sessie", "teams": "Team A\nTeam B", "roles": "HR\nMT", "pacing": "team",
            "template": "", "previous": "", "save_as": "", field: value, "csrf_token": token(client, "/rooms")}
    reply = client.post("/rooms", data=form)
    page = reply.get_data(as_text=True)
    assert reply.status_code in (200, 422), reply.status_code
    assert "Haal de onzichtbare stuurtekens weg" in page or "Deze tekst toont niets" in page
    assert fingerprint(db) == before
    assert [r.getMessage() for r in caplog.records if r.name == "game.web.forms"] == [f"refused form field {field}: " + (
        "text/invisible" if "\u200b" in value else "text/control_characters")]
    assert not [r for r in caplog.records if r.exc_info]


@pytest.mark.parametrize("path", ["/decks/ab%00c", "/decks/ab%00c/export.yml", "/decks/" + "a" * 5000,
                                  "/decks/mobiliteit-bespreekbaar?version=99999999999999999999"])
def test_a_deck_address_that_cannot_name_a_deck_is_404_before_any_query(app, room, path: str):
    assert logged_in(app).get(path).status_code == 404


def test_a_template_id_no_integer_can_hold_is_ignored(app, room):
    assert logged_in(app).get("/rooms?template=99999999999999999999").status_code == 200


# --- the command line ----------------------------------------------------------------------------

def test_the_cli_refuses_an_escape_code_in_a_room_title_as_a_usage_error(tmp_path):
    env = {**os.environ, "SECRET_KEY": "test-secret", "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "inzetspel"), "rooms", "create", "--deck", DECK,
                             "--title", "\x1b[2JWeg"], capture_output=True, text=True, timeout=120, env=env, check=False)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "--title" in result.stderr and "Traceback" not in result.stderr
    assert "stuurtekens" in result.stderr


@pytest.mark.parametrize("label", ["MT\x00", "\u202eTM", "\u200b"], ids=["nul", "rlo", "zero-width"])
def test_a_share_link_label_with_bad_text_is_refused_at_the_field_and_makes_no_link(app, room, db, label: str):
    _, code = room
    client = logged_in(app)
    page = f"/rooms/{code}/report/share"
    before = fingerprint(db)
    reply = client.post(page, data={"label": label, "days": "30", "min_group": "5", "csrf_token": token(client, page)})
    assert reply.status_code == 200
    assert "Haal de onzichtbare stuurtekens weg" in reply.get_data(as_text=True) or "Deze tekst toont niets" in reply.get_data(as_text=True)
    assert fingerprint(db) == before


def _strings_checked(annotation: object, metadata: list) -> list[bool]:
    """For every str inside a field's type: does clean_text (an AfterValidator) or a strict pattern guard it?"""
    from typing import Annotated, get_args, get_origin

    from pydantic import AfterValidator, BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [ok for f in annotation.model_fields.values() for ok in _strings_checked(f.annotation, list(f.metadata))]
    if get_origin(annotation) is Annotated:
        base, *meta = get_args(annotation)
        return _strings_checked(base, [*metadata, *meta])
    if annotation is str:
        flat = [inner for m in metadata for inner in (getattr(m, "metadata", None) or [m])]
        return [any(isinstance(m, AfterValidator) for m in flat) or any(getattr(m, "pattern", None) for m in flat)]
    return [ok for arg in get_args(annotation) for ok in _strings_checked(arg, [])]


def test_every_string_of_every_socket_schema_goes_through_the_text_rule_or_a_pattern():
    from pydantic import BaseModel

    from game.live import schemas

    models = [m for m in vars(schemas).values() if isinstance(m, type) and issubclass(m, BaseModel) and m is not BaseModel]
    found = {m.__name__: _strings_checked(m, []) for m in models}
    assert sum(len(v) for v in found.values()) >= 15, found
    assert all(all(v) for v in found.values()), {k: v for k, v in found.items() if not all(v)}
