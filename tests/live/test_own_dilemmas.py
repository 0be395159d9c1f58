"""Own dilemmas: players submit over Socket.IO; the room's facilitator reviews them over HTTP and
accepts one into an own deck (a new version, through the deck library) or a new deck, or rejects it."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from game.extensions import socketio
from game.play import library
from game.play.accounts import create_facilitator
from game.store.models import DeckRecord, SubmissionRecord
from tests.conftest import sign_in

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
DILEMMA = {"title": "Stage bij de buren", "text": "Een collega wil drie maanden stage lopen bij een andere gemeente. Wat doet de leidinggevende?",
           "kind": "dilemma", "options": ["Ja, meteen", "Ja, na de drukke periode", "Nee"]}


@pytest.fixture
def facilitator(app, facilitator_id):
    """The room's facilitator: a dashboard socket and a signed-in browser."""
    http = app.test_client()
    with http.session_transaction() as session:
        sign_in(app, session, facilitator_id)
    sock = socketio.test_client(app, flask_test_client=http)
    yield http, sock
    sock.disconnect()


def token(http, page: str) -> str:
    match = CSRF.search(http.get(page).get_data(as_text=True))
    assert match, page
    return match.group(1)


def count(db, model=SubmissionRecord, **where) -> int:
    with db.transaction() as s:
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return s.scalar(query)


def own_deck(db, facilitator_id) -> str:
    """An organisation's own deck (bundled decks are read-only)."""
    return library.duplicate_deck(db, "talent-en-passie", "onze-dilemmas", "Onze dilemma's", "begeleider").slug


def submit(player, **changes) -> dict:
    return player.call("submit_dilemma", {**DILEMMA, **changes})


def review_form(http, submission_id: int, **changes) -> dict:
    """The review page's form as the browser would post it, with some fields changed."""
    page = f"/submissions/{submission_id}"
    html = http.get(page).get_data(as_text=True)
    data = {"csrf_token": CSRF.search(html).group(1)}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html):
        data.setdefault(name, value)
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', html, re.S):
        data[name] = value
    kind = re.search(r'name="card-kind" value="(\w+)" checked', html)
    data["card-kind"] = kind.group(1)
    data["target"] = re.search(r'<option value="([^"]+)" selected', html).group(1)
    data.update(changes)
    return data


def test_a_player_submits_a_dilemma_and_the_facilitator_is_told(db, facilitator, join, room_code):
    http, sock = facilitator
    assert sock.emit("watch_room", {"code": room_code}, callback=True)["ok"]
    sock.get_received()
    anna = join("Anna")
    reply = submit(anna)
    assert reply["ok"] and reply["submission"]["status"] == "new"
    notices = [m["args"][0] for m in sock.get_received() if m["name"] == "dilemma_submitted"]
    assert notices == [{"new": 1}]
    assert submit(anna)["duplicate"] is True  # a resend after a reconnect counts once
    with db.transaction() as s:
        record = s.scalars(select(SubmissionRecord)).one()
        assert (record.title, record.options, record.status) == (DILEMMA["title"], DILEMMA["options"], "new")
        assert record.player_id == anna.player_id
    assert sock.emit("watch_room", {"code": room_code}, callback=True)["overview"]["submissions"] == 1


def test_a_statement_has_no_options_and_can_be_submitted_after_the_room_ended(db, facilitator, join, room_code):
    http, sock = facilitator
    anna = join("Anna")
    assert sock.emit("end_room", {"code": room_code}, callback=True)["ok"]
    reply = submit(anna, kind="statement", options=[], title="Thuiswerken is werken",
                   text="Wie thuiswerkt, moet net zo bereikbaar zijn als op kantoor.")
    assert reply["ok"]
    with db.transaction() as s:
        assert s.scalars(select(SubmissionRecord)).one().options == []


@pytest.mark.parametrize("changes, code", [
    ({"options": ["Alleen deze"]}, "submission/invalid_options"),
    ({"options": ["Ja", "ja"]}, "submission/invalid_options"),
    ({"kind": "statement"}, "submission/invalid_options"),
    ({"title": "Hm"}, "submission/invalid_title"),
    ({"text": "Te kort"}, "submission/invalid_text"),
    ({"kind": "vraag"}, "payload/invalid"),
    ({"options": ["a"] * 7}, "payload/invalid"),
    ({"author": "Anna"}, "payload/invalid"),
    ({"title": 12}, "payload/invalid"),
])
def test_a_bad_submission_is_refused_and_nothing_is_stored(db, join, changes, code):
    anna = join("Anna")
    reply = submit(anna, **changes)
    assert reply["ok"] is False and reply["error"]["code"] == code
    assert count(db) == 0


def test_without_a_seat_nobody_can_submit(app, db):
    client = socketio.test_client(app)
    assert client.emit("submit_dilemma", DILEMMA, callback=True)["error"]["code"] == "seat/none"
    client.disconnect()
    assert count(db) == 0


def test_a_player_brings_in_at_most_ten(db, join):
    anna = join("Anna")
    for i in range(10):
        assert submit(anna, title=f"Dilemma nummer {i}")["ok"]
    assert submit(anna, title="Nog een dilemma")["error"]["code"] == "submission/too_many"
    assert count(db) == 10


def test_the_facilitator_accepts_an_edited_dilemma_into_an_own_deck_as_a_new_version(db, facilitator_id, facilitator, join, room_code):
    http, _sock = facilitator
    slug = own_deck(db, facilitator_id)
    before = library.get_deck(db, slug)
    submission_id = submit(join("Anna"))["submission"]["id"]
    listing = http.get(f"/rooms/{room_code}/submissions").get_data(as_text=True)
    assert DILEMMA["title"] in listing and f"/submissions/{submission_id}" in listing
    data = review_form(http, submission_id, **{"card-title": "Stage bij een andere gemeente", "target": slug})
    reply = http.post(f"/submissions/{submission_id}", data=data)
    assert reply.status_code == 302, reply.get_data(as_text=True)[:2000]
    after = library.get_deck(db, slug)
    assert after["version"] == before["version"] + 1 and after["action"] == "submission" and after["author"] == "begeleider"
    card = after["content"]["cards"][-1]
    assert card["title"] == "Stage bij een andere gemeente" and card["options"] == DILEMMA["options"] and card["prompts"]
    assert len(after["content"]["cards"]) == len(before["content"]["cards"]) + 1
    with db.transaction() as s:
        record = s.get(SubmissionRecord, submission_id)
        assert (record.status, record.deck_slug) == ("accepted", slug)
    # Reviewed once: a second accept changes nothing.
    again = http.post(f"/submissions/{submission_id}", data=data, follow_redirects=True)
    assert "al beoordeeld" in again.get_data(as_text=True)
    assert library.get_deck(db, slug)["version"] == after["version"]


def test_the_facilitator_accepts_a_dilemma_into_a_new_deck(db, facilitator, join, room_code):
    http, _sock = facilitator
    submission_id = submit(join("Anna"))["submission"]["id"]
    decks_before = count(db, DeckRecord)
    data = review_form(http, submission_id, target="__new__", deck_title="Dilemma's uit onze organisatie")
    assert http.post(f"/submissions/{submission_id}", data=data).status_code == 302
    assert count(db, DeckRecord) == decks_before + 1
    with db.transaction() as s:
        slug = s.get(SubmissionRecord, submission_id).deck_slug
    deck = library.get_deck(db, slug)
    assert deck["version"] == 1 and deck["title"] == "Dilemma's uit onze organisatie" and not deck["bundled"]
    assert [c["title"] for c in deck["content"]["cards"]] == [DILEMMA["title"]]


def test_an_invalid_card_is_shown_with_its_problems_and_nothing_is_saved(db, facilitator_id, facilitator, join):
    http, _sock = facilitator
    slug = own_deck(db, facilitator_id)
    version = library.get_deck(db, slug)["version"]
    submission_id = submit(join("Anna"))["submission"]["id"]
    data = review_form(http, submission_id, **{"card-prompts-0": "", "card-options-1": "", "card-options-2": "", "target": slug})
    reply = http.post(f"/submissions/{submission_id}", data=data)
    assert reply.status_code == 422
    assert 'class="error"' in reply.get_data(as_text=True)
    assert library.get_deck(db, slug)["version"] == version
    assert count(db, status="new") == 1


def test_a_bundled_deck_cannot_receive_a_dilemma(db, facilitator, join):
    http, _sock = facilitator
    submission_id = submit(join("Anna"))["submission"]["id"]
    version = library.get_deck(db, "talent-en-passie")["version"]
    reply = http.post(f"/submissions/{submission_id}", data=review_form(http, submission_id, target="talent-en-passie"))
    assert reply.status_code == 422
    assert library.get_deck(db, "talent-en-passie")["version"] == version
    assert count(db, status="new") == 1


def test_the_facilitator_rejects_a_dilemma(db, facilitator, join, room_code):
    http, _sock = facilitator
    submission_id = submit(join("Anna"))["submission"]["id"]
    reply = http.post(f"/submissions/{submission_id}/reject", data={"csrf_token": token(http, f"/rooms/{room_code}/submissions")})
    assert reply.status_code == 302
    assert count(db, status="rejected") == 1
    assert "afgewezen" in http.get(f"/rooms/{room_code}/submissions").get_data(as_text=True)


def test_a_player_or_another_facilitator_cannot_review(app, db, facilitator_id, join, room_code):
    slug = own_deck(db, facilitator_id)
    version = library.get_deck(db, slug)["version"]
    anna = join("Anna")
    submission_id = submit(anna)["submission"]["id"]
    # A player's browser has no facilitator login: sent to the login page, nothing changes.
    player_http = app.test_client()
    csrf = token(player_http, "/login")  # a valid form token: the refusal below is about who asks
    for url in (f"/submissions/{submission_id}", f"/rooms/{room_code}/submissions"):
        reply = player_http.get(url)
        assert reply.status_code == 302 and "/login" in reply.headers["Location"]
    for url in (f"/submissions/{submission_id}", f"/submissions/{submission_id}/reject"):
        reply = player_http.post(url, data={"csrf_token": csrf, "target": slug, "card-title": "Gekaapt"})
        assert reply.status_code == 302 and "/login" in reply.headers["Location"]
    # A player's socket has no event that reviews: an unknown event is refused out loud.
    assert anna.call("accept_submission", {"id": submission_id})["error"]["code"] == "event/unknown"
    # Another facilitator does not see this room's submissions.
    other = create_facilitator(db, "collega", "nog-een-lang-wachtwoord")
    colleague = app.test_client()
    with colleague.session_transaction() as session:
        sign_in(app, session, other)
    assert colleague.get(f"/submissions/{submission_id}").status_code == 404
    assert colleague.get(f"/rooms/{room_code}/submissions").status_code == 404
    reply = colleague.post(f"/submissions/{submission_id}/reject", data={"csrf_token": token(colleague, "/rooms")})
    assert reply.status_code == 404
    assert count(db, status="new") == 1 and library.get_deck(db, slug)["version"] == version
